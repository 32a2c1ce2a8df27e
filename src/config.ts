/** The one place configuration is read: command-line flags, then environment variables, then defaults. */
import { parseArgs } from 'node:util'

export interface Config {
  scenario: string
  port: number
  host: string
  logLevel: string
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

export const USAGE = `Usage: npm start -- [options]   (or: node dist/src/server.js [options])

Options (each also as an environment variable):
  --scenario <name|path>  SCENARIO   fixture name in fixtures/ or a path to a scenario .json   [default]
  --port <n>              PORT       port to listen on, 0 for any free one                     [8080]
  --host <h>              HOST       address to listen on                                      [127.0.0.1]
  --log-level <level>     LOG_LEVEL  ${LOG_LEVELS.join(', ')}        [info]
  --help                             print this and exit`

/** Reads the configuration; throws ConfigError naming the bad option and what is allowed. `help` asks for usage. */
export function readConfig (argv: string[], env: NodeJS.ProcessEnv): Config | 'help' {
  let values
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        scenario: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean' }
      }
    }))
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\n\n${USAGE}`)
  }
  if (values.help === true) return 'help'
  const pick = (flag: string | undefined, name: string, fallback: string): { value: string, source: string } =>
    flag !== undefined
      ? { value: flag, source: `--${name.toLowerCase().replace('_', '-')}` }
      : env[name] !== undefined && env[name] !== '' ? { value: env[name] as string, source: name } : { value: fallback, source: name }

  const scenario = pick(values.scenario, 'SCENARIO', 'default')
  const port = pick(values.port, 'PORT', '8080')
  const host = pick(values.host, 'HOST', '127.0.0.1')
  const logLevel = pick(values['log-level'], 'LOG_LEVEL', 'info')

  if (!/^\d{1,5}$/.test(port.value) || Number(port.value) > 65535) {
    throw new ConfigError(`${port.source}=${JSON.stringify(port.value)} is not a port; use a whole number from 0 to 65535`)
  }
  if (host.value.trim() === '') throw new ConfigError(`${host.source} is empty; use an address such as 127.0.0.1 or 0.0.0.0`)
  if (!LOG_LEVELS.includes(logLevel.value)) {
    throw new ConfigError(`${logLevel.source}=${JSON.stringify(logLevel.value)} is not a log level; use one of ${LOG_LEVELS.join(', ')}`)
  }
  return { scenario: scenario.value, port: Number(port.value), host: host.value, logLevel: logLevel.value }
}
