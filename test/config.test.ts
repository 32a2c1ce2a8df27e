import t from 'tap'
import { readConfig, USAGE } from '../src/config.js'

const DEFAULTS = {
  scenario: 'default', fixturesDir: undefined, port: 8080, host: '127.0.0.1', logLevel: 'info', logFormat: 'auto', corsOrigin: '*',
  adminToken: undefined, journalLimit: 10000, metrics: true, watch: false, logRequests: false, clock: undefined, seed: undefined
}

t.test('defaults', async (t) => {
  t.strictSame(readConfig([], {}), DEFAULTS)
})

t.test('flags win over the environment, which wins over defaults', async (t) => {
  const env = {
    SCENARIO: 'busy', FIXTURES_DIR: '/fixtures', PORT: '9000', HOST: '0.0.0.0', LOG_LEVEL: 'warn', LOG_FORMAT: 'json', CORS_ORIGIN: 'off'
  }
  const more = { ADMIN_TOKEN: 'x'.repeat(16), JOURNAL_LIMIT: '5', METRICS: 'off', WATCH: 'true', LOG_REQUESTS: '1' }
  t.strictSame(readConfig([], { ...env, ...more }), {
    scenario: 'busy', fixturesDir: '/fixtures', port: 9000, host: '0.0.0.0', logLevel: 'warn', logFormat: 'json', corsOrigin: 'off',
    adminToken: 'x'.repeat(16), journalLimit: 5, metrics: false, watch: true, logRequests: true, clock: undefined, seed: undefined
  })
  t.strictSame(readConfig(['--scenario', 'unlimited', '--fixtures', 'mine', '--port', '0', '--host', '::1', '--log-level', 'silent',
    '--log-format', 'pretty', '--cors-origin', 'http://localhost:5173, https://app.example.com', '--admin-token', 'y'.repeat(20),
    '--journal-limit', '0', '--metrics', 'on', '--watch', '--log-requests'], { ...env, METRICS: 'off', WATCH: 'false', LOG_REQUESTS: 'false' }), {
    scenario: 'unlimited', fixturesDir: 'mine', port: 0, host: '::1', logLevel: 'silent', logFormat: 'pretty',
    corsOrigin: ['http://localhost:5173', 'https://app.example.com'], adminToken: 'y'.repeat(20), journalLimit: 0, metrics: true, watch: true, logRequests: true, clock: undefined, seed: undefined
  })
  t.strictSame(readConfig([], { PORT: '', SCENARIO: '' }), DEFAULTS, 'empty is unset')
  t.strictSame(readConfig([], { UNRELATED: 'x' }), DEFAULTS, 'other variables are ignored')
  t.equal(readConfig(['--help'], {}), 'help')
  t.equal(readConfig(['-h'], {}), 'help')
  t.equal(readConfig(['--version'], {}), 'version')
  t.equal(readConfig(['-v'], { PORT: 'abc' }), 'version', 'asking for the version reads no other option')
})

t.test('a bad value names the option, where it came from and what is allowed', async (t) => {
  const cases: Array<[string[], NodeJS.ProcessEnv, string]> = [
    [[], { PORT: 'abc' }, 'PORT="abc" is not a port; use a whole number from 0 to 65535'],
    [['--port', '65536'], {}, '--port="65536" is not a port; use a whole number from 0 to 65535'],
    [['--port=-1'], {}, '--port="-1" is not a port; use a whole number from 0 to 65535'],
    [['--port', '80.5'], { PORT: '80' }, '--port="80.5" is not a port; use a whole number from 0 to 65535'],
    [['--host', ' '], {}, '--host=" " is not an address; use an address such as 127.0.0.1 or 0.0.0.0'],
    [[], { LOG_LEVEL: 'loud' }, 'LOG_LEVEL="loud" is not a log level; use one of fatal, error, warn, info, debug, trace, silent'],
    [[], { LOG_FORMAT: 'xml' }, 'LOG_FORMAT="xml" is not a log format; use one of auto, json, pretty'],
    [[], { CORS_ORIGIN: 'localhost:5173' }, 'CORS_ORIGIN="localhost:5173" is not a CORS setting: "localhost:5173" is not an origin; ' +
      'use *, off, or origins such as http://localhost:5173 separated by commas'],
    [['--cors-origin', 'http://a.example/,'], {}, '--cors-origin="http://a.example/," is not a CORS setting: "http://a.example/" is not an origin; ' +
      'use *, off, or origins such as http://localhost:5173 separated by commas'],
    [[], { ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN (its value is not shown) is not an admin token; use 16 to 256 visible ASCII characters'],
    [[], { JOURNAL_LIMIT: '-1' }, 'JOURNAL_LIMIT="-1" is not a journal size; use a whole number from 0 to 1000000'],
    [[], { JOURNAL_LIMIT: '2000000' }, 'JOURNAL_LIMIT="2000000" is not a journal size; use a whole number from 0 to 1000000'],
    [[], { METRICS: 'no' }, 'METRICS="no" is not a metrics setting; use on or off'],
    [[], { WATCH: 'yes' }, 'WATCH="yes" is not true or false; use true or false']
  ]
  for (const [argv, env, message] of cases) t.throws(() => readConfig(argv, env), { name: 'ConfigError', message }, message)
  // Node's own wording, then the usage.
  t.throws(() => readConfig(['--colour'], {}), { name: 'ConfigError', message: /^Unknown option '--colour'[^\n]*\n\nUsage: chat-capacity-simulator / })
  t.throws(() => readConfig(['busy'], {}), { name: 'ConfigError', message: /^Unexpected argument 'busy'/ })
})

t.test('--help lists every option with its environment variable', async (t) => {
  for (const [flag, env] of [['scenario', 'SCENARIO'], ['fixtures', 'FIXTURES_DIR'], ['port', 'PORT'], ['host', 'HOST'],
    ['log-level', 'LOG_LEVEL'], ['log-format', 'LOG_FORMAT'], ['cors-origin', 'CORS_ORIGIN'], ['admin-token', 'ADMIN_TOKEN'],
    ['journal-limit', 'JOURNAL_LIMIT'], ['metrics', 'METRICS'], ['clock', 'CLOCK'], ['seed', 'SEED']] as const) {
    t.match(USAGE, new RegExp(`\\n  --${flag} <[^>]+> {2,}${env} {2,}\\S`), flag)
  }
  // In columns: every variable starts where the others do, and so does every description.
  const lines = USAGE.split('\n').filter((line) => line.startsWith('  -'))
  const options = lines.map((line) => / {2,}([A-Z_]+) {2,}(\S.*)$/.exec(line)).filter((match) => match !== null)
  t.equal(options.length, 14, 'every option has a variable')
  t.equal(new Set(options.map((match) => match.index + match[0].indexOf(match[1] as string))).size, 1, 'the variables in one column')
  const starts = new Set(options.map((match) => match.index + match[0].lastIndexOf(match[2] as string)))
  t.equal(starts.size, 1, 'the descriptions in one column')
  t.equal(USAGE.split('\n').filter((line) => line.startsWith('  -h, --help') || line.startsWith('  -v, --version'))
    .filter((line) => line.indexOf(line.trim().split(/ {2,}/)[1] as string) === [...starts][0]).length, 2, '-h and -v too')
  t.match(USAGE, /\n {2}--watch\s+WATCH\s+reload the scenario file when it changes {2}\[false\]\n/)
  t.match(USAGE, /\n {2}--log-requests\s+LOG_REQUESTS\s+log every request, when it comes and when it is answered \(at info\) {2}\[false\]\n/)
})
