/** Logging: pino, as JSON lines (containers, files) or pretty on a terminal; credentials are never written. */
import type { FastifyRequest, FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'
import { maskQuery } from './domain/journal.js'

export const REDACTED_HEADERS = ['req.headers.authorization', 'req.headers.cookie']

export const prettyLogs = (format: Config['logFormat'], isTTY: boolean | undefined): boolean =>
  format === 'pretty' || (format === 'auto' && isTTY === true)

export function loggerOptions (level: Config['logLevel'], pretty: boolean): FastifyServerOptions['logger'] {
  return {
    level,
    redact: REDACTED_HEADERS,
    serializers: { req: requestForLog },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {})
  }
}

/** A request as Fastify logs it, with secrets in its query (a visitor's `appKey=`) masked as the journal masks them. */
export function requestForLog (request: FastifyRequest): Record<string, unknown> {
  const q = request.url.indexOf('?')
  return {
    method: request.method,
    url: q === -1 ? request.url : request.url.slice(0, q + 1) + maskQuery(request.url.slice(q + 1)),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort
  }
}
