/** Logging: pino, as JSON lines (containers, files) or pretty on a terminal; credentials are never written. */
import type { FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'

export const REDACTED_HEADERS = ['req.headers.authorization', 'req.headers.cookie']

export const prettyLogs = (format: Config['logFormat'], isTTY: boolean | undefined): boolean =>
  format === 'pretty' || (format === 'auto' && isTTY === true)

export function loggerOptions (level: Config['logLevel'], pretty: boolean): FastifyServerOptions['logger'] {
  return {
    level,
    redact: REDACTED_HEADERS,
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {})
  }
}
