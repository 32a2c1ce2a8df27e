import t from 'tap'
import { readConfig } from '../src/config.js'

t.test('defaults', async (t) => {
  t.same(readConfig([], {}), { scenario: 'default', port: 8080, host: '127.0.0.1', logLevel: 'info' })
})

t.test('flags win over the environment, which wins over defaults', async (t) => {
  const env = { SCENARIO: 'busy', PORT: '9000', HOST: '0.0.0.0', LOG_LEVEL: 'warn' }
  t.same(readConfig([], env), { scenario: 'busy', port: 9000, host: '0.0.0.0', logLevel: 'warn' })
  t.same(readConfig(['--scenario', 'unlimited', '--port', '0', '--host', '::1', '--log-level', 'silent'], env),
    { scenario: 'unlimited', port: 0, host: '::1', logLevel: 'silent' })
  t.same(readConfig([], { PORT: '' }), { scenario: 'default', port: 8080, host: '127.0.0.1', logLevel: 'info' }, 'empty is unset')
  t.equal(readConfig(['--help'], {}), 'help')
})

t.test('a bad value names the option and what is allowed', async (t) => {
  t.throws(() => readConfig([], { PORT: 'abc' }), { name: 'ConfigError', message: 'PORT="abc" is not a port; use a whole number from 0 to 65535' })
  t.throws(() => readConfig(['--port', '65536'], {}), { name: 'ConfigError', message: '--port="65536" is not a port; use a whole number from 0 to 65535' })
  t.throws(() => readConfig(['--port=-1'], {}), { name: 'ConfigError', message: '--port="-1" is not a port; use a whole number from 0 to 65535' })
  t.throws(() => readConfig(['--host', ' '], {}), { name: 'ConfigError', message: '--host is empty; use an address such as 127.0.0.1 or 0.0.0.0' })
  t.throws(() => readConfig([], { LOG_LEVEL: 'loud' }), {
    name: 'ConfigError', message: 'LOG_LEVEL="loud" is not a log level; use one of fatal, error, warn, info, debug, trace, silent'
  })
  t.throws(() => readConfig(['--colour'], {}), { name: 'ConfigError', message: /^Unknown option '--colour'/ })
})
