/**
 * The one place configuration is read: command-line flags, then environment variables, then defaults, validated
 * together by env-schema into one Config. A bad value names the option, where it came from, and what is allowed.
 */
import { parseArgs } from 'node:util'
import envSchema from 'env-schema'
import { MAX_SPEED, type ClockSetting } from './domain/clock.js'

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const

export interface Config {
  scenario: string
  /** A folder in which scenario names are looked up before the built-in fixtures. */
  fixturesDir: string | undefined
  port: number
  host: string
  logLevel: typeof LOG_LEVELS[number]
  /** `auto`: pretty on a terminal, JSON lines otherwise. */
  logFormat: typeof LOG_FORMATS[number]
  /** `*` (any origin, reflected, with credentials), `off`, or a list of exact origins. */
  corsOrigin: '*' | 'off' | string[]
  /** When set, the admin API (but its health check) needs it as a bearer token. */
  adminToken: string | undefined
  /** Requests the journal keeps; 0 keeps none. */
  journalLimit: number
  /** GET /metrics, and every request timed for it. */
  metrics: boolean
  /** Reload the scenario file when it changes. */
  watch: boolean
  /** Two log lines per request (received, answered); off by default, as in WireMock: a mock server's log is for its own events. */
  logRequests: boolean
  /** How the clock runs from the start; undefined: as the scenario says, else frozen. */
  clock: ClockSetting | undefined
  /** The seed of the draws; undefined: the scenario's, else 1. */
  seed: number | undefined
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

interface Option {
  flag: string
  /** A flag without a value (`--watch`); its variable takes true or false. */
  boolean?: true
  /** Never echoed in an error. */
  secret?: true
  env: string
  schema: Record<string, unknown>
  default?: string
  argument: string
  help: string
  /** What a value must be, and what is allowed, for the error message. */
  what: string
  allowed: string
}

/** What every flag without a value shares: off unless given; its variable takes true, false, 1 or 0. */
const SWITCH = { boolean: true, what: 'true or false', schema: { enum: ['true', 'false', '1', '0'] }, default: 'false', argument: '', allowed: 'true or false' } as const
const switchedOn = (value: string | undefined): boolean => value === 'true' || value === '1'

const OPTIONS = [
  {
    flag: 'scenario', what: 'a scenario', env: 'SCENARIO', schema: { type: 'string', minLength: 1 }, default: 'default', argument: '<name|path>',
    help: 'fixture name or path to a scenario .json', allowed: 'a fixture name such as busy or the path of a .json file'
  },
  {
    flag: 'fixtures', what: 'a folder', env: 'FIXTURES_DIR', schema: { type: 'string', minLength: 1 }, argument: '<dir>',
    help: 'folder where scenario names are looked up first', allowed: 'a folder of scenario .json files'
  },
  {
    flag: 'port', what: 'a port', env: 'PORT', schema: { type: 'string', pattern: '^\\d{1,5}$' }, default: '8080', argument: '<n>',
    help: 'port to listen on, 0 for any free one', allowed: 'a whole number from 0 to 65535'
  },
  {
    flag: 'host', what: 'an address', env: 'HOST', schema: { type: 'string', pattern: '\\S' }, default: '127.0.0.1', argument: '<address>',
    help: 'address to listen on (0.0.0.0: every interface)', allowed: 'an address such as 127.0.0.1 or 0.0.0.0'
  },
  {
    flag: 'log-level', what: 'a log level', env: 'LOG_LEVEL', schema: { enum: LOG_LEVELS }, default: 'info', argument: '<level>',
    help: LOG_LEVELS.join(', '), allowed: `one of ${LOG_LEVELS.join(', ')}`
  },
  {
    flag: 'log-format', what: 'a log format', env: 'LOG_FORMAT', schema: { enum: LOG_FORMATS }, default: 'auto', argument: '<format>',
    help: 'auto (pretty on a terminal, else JSON lines), json, pretty', allowed: `one of ${LOG_FORMATS.join(', ')}`
  },
  {
    flag: 'admin-token', secret: true, what: 'an admin token', env: 'ADMIN_TOKEN', schema: { type: 'string', pattern: '^[\\x21-\\x7e]{16,256}$' }, argument: '<token>',
    help: 'protects /__admin (prefer the variable: flags show in ps)', allowed: '16 to 256 visible ASCII characters'
  },
  {
    flag: 'journal-limit', what: 'a journal size', env: 'JOURNAL_LIMIT', schema: { type: 'string', pattern: '^\\d{1,7}$' }, default: '10000',
    argument: '<n>', help: 'requests the journal keeps (0: none)', allowed: 'a whole number from 0 to 1000000'
  },
  {
    flag: 'metrics', what: 'a metrics setting', env: 'METRICS', schema: { enum: ['on', 'off'] }, default: 'on', argument: '<on|off>',
    help: 'GET /metrics, every request timed for it (off: no route, no cost)', allowed: 'on or off'
  },
  { flag: 'log-requests', ...SWITCH, env: 'LOG_REQUESTS', help: 'log every request, when it comes and when it is answered (at info)' },
  { flag: 'watch', ...SWITCH, env: 'WATCH', help: 'reload the scenario file when it changes' },
  {
    flag: 'clock', what: 'a clock setting', env: 'CLOCK', schema: { type: 'string', pattern: '^(frozen|realtime|[0-9]{1,7}(\\.[0-9]{1,6})?)$' },
    argument: '<frozen|realtime|n>', help: 'frozen, realtime, or n simulated seconds a second (60: an hour a minute)  [the scenario\'s, else frozen]',
    allowed: `frozen, realtime, or a speed from 0.000001 to ${MAX_SPEED} (simulated seconds per real second, such as 60)`
  },
  {
    flag: 'seed', what: 'a seed', env: 'SEED', schema: { type: 'string', pattern: '^[0-9]{1,10}$' }, argument: '<n>',
    help: 'the seed of the draws (faults, the live model)  [the scenario\'s, else 1]', allowed: 'a whole number from 0 to 4294967295'
  },
  {
    flag: 'cors-origin', what: 'a CORS setting', env: 'CORS_ORIGIN', schema: { type: 'string', minLength: 1 }, default: '*', argument: '<origins>',
    help: '* (any, with credentials), off, or origins separated by commas',
    allowed: '*, off, or origins such as http://localhost:5173 separated by commas'
  }
] as const satisfies readonly Option[]

type Flag = typeof OPTIONS[number]['flag']

const usageFlag = (o: Option): string => `--${o.flag} ${o.argument}`.trimEnd()
/** The columns' widths: the longest flag and variable, and two spaces. */
const FLAG_COLUMN = Math.max(...OPTIONS.map((o) => usageFlag(o).length)) + 2
const ENV_COLUMN = Math.max(...OPTIONS.map((o) => o.env.length)) + 2

export const USAGE = `Usage: chat-capacity-simulator [options]   (from a clone: npm start -- [options])

Options (each also as an environment variable):
${OPTIONS.map((o) => `  ${usageFlag(o).padEnd(FLAG_COLUMN)}${o.env.padEnd(ENV_COLUMN)}${o.help}${'default' in o ? `  [${o.default}]` : ''}`).join('\n')}
  ${'-h, --help'.padEnd(FLAG_COLUMN + ENV_COLUMN)}print this and exit
  ${'-v, --version'.padEnd(FLAG_COLUMN + ENV_COLUMN)}print the version and exit`

const schema = {
  type: 'object',
  properties: Object.fromEntries(OPTIONS.map((o) => [o.env, 'default' in o ? { ...o.schema, default: o.default } : o.schema])),
  required: OPTIONS.filter((o) => 'default' in o).map((o) => o.env)
}

/** Reads the configuration; throws ConfigError naming the bad option and what is allowed. `help` asks for usage, `version` for the version. */
export function readConfig (argv: string[], env: NodeJS.ProcessEnv): Config | 'help' | 'version' {
  let flags: Partial<Record<Flag | 'help' | 'version', string | boolean>>
  try {
    flags = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(OPTIONS.map((o) => [o.flag, { type: 'boolean' in o ? 'boolean' as const : 'string' as const }])),
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' }
      }
    }).values
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\n\n${USAGE}`)
  }
  if (flags.help === true) return 'help'
  if (flags.version === true) return 'version'

  // An empty environment variable counts as unset; a flag beats the environment.
  const data: Record<string, string> = {}
  const source: Record<string, string> = {}
  for (const o of OPTIONS) {
    const flag = flags[o.flag]
    if (flag !== undefined) {
      data[o.env] = String(flag)
      source[o.env] = `--${o.flag}`
    } else if (env[o.env] !== undefined && env[o.env] !== '') {
      data[o.env] = env[o.env] as string
      source[o.env] = o.env
    }
  }
  let values: Record<string, string>
  try {
    values = envSchema({ schema, data, env: false, dotenv: false })
  } catch (err) {
    const [first] = (err as { errors?: Array<{ instancePath: string }> }).errors ?? []
    const option = OPTIONS.find((o) => first?.instancePath === `/${o.env}`)
    if (option === undefined) throw err
    const shown = 'secret' in option ? ' (its value is not shown)' : `=${JSON.stringify(data[option.env])}`
    throw new ConfigError(`${source[option.env]}${shown} is not ${option.what}; use ${option.allowed}`)
  }
  const port = Number(values.PORT)
  if (port > 65535) throw new ConfigError(`${source.PORT}=${JSON.stringify(data.PORT)} is not a port; use a whole number from 0 to 65535`)
  const journalLimit = Number(values.JOURNAL_LIMIT)
  if (journalLimit > 1_000_000) {
    throw new ConfigError(`${source.JOURNAL_LIMIT}=${JSON.stringify(data.JOURNAL_LIMIT)} is not a journal size; use a whole number from 0 to 1000000`)
  }
  const seed = values.SEED === undefined ? undefined : Number(values.SEED)
  if (seed !== undefined && seed > 4294967295) throw new ConfigError(`${source.SEED}=${JSON.stringify(data.SEED)} is not a seed; use a whole number from 0 to 4294967295`)
  return {
    scenario: values.SCENARIO as string,
    fixturesDir: values.FIXTURES_DIR,
    port,
    host: values.HOST as string,
    logLevel: values.LOG_LEVEL as Config['logLevel'],
    logFormat: values.LOG_FORMAT as Config['logFormat'],
    corsOrigin: corsOrigin(values.CORS_ORIGIN as string, source.CORS_ORIGIN ?? 'CORS_ORIGIN'),
    adminToken: values.ADMIN_TOKEN,
    journalLimit,
    metrics: values.METRICS === 'on',
    watch: switchedOn(values.WATCH),
    logRequests: switchedOn(values.LOG_REQUESTS),
    clock: clockSetting(values.CLOCK, source.CLOCK ?? 'CLOCK', data.CLOCK),
    seed
  }
}

function clockSetting (value: string | undefined, source: string, given: string | undefined): ClockSetting | undefined {
  if (value === undefined) return undefined
  if (value === 'frozen' || value === 'realtime') return { mode: value, speed: 1 }
  const speed = Number(value)
  if (!(speed > 0 && speed <= MAX_SPEED)) {
    throw new ConfigError(`${source}=${JSON.stringify(given)} is not a clock setting; use frozen, realtime, or a speed from 0.000001 to ${MAX_SPEED} ` +
      '(simulated seconds per real second, such as 60)')
  }
  return { mode: 'realtime', speed }
}

function corsOrigin (value: string, source: string): Config['corsOrigin'] {
  if (value === '*' || value === 'off') return value
  const origins = value.split(',').map((origin) => origin.trim())
  for (const origin of origins) {
    let parsed: URL | undefined
    try { parsed = new URL(origin) } catch {}
    if (parsed?.origin !== origin) {
      throw new ConfigError(`${source}=${JSON.stringify(value)} is not a CORS setting: ${JSON.stringify(origin)} is not an origin; ` +
        'use *, off, or origins such as http://localhost:5173 separated by commas')
    }
  }
  return origins
}
