/** What the journal keeps of a request, and which requests are the public API's. */
import type { FastifyRequest } from 'fastify'
import type { Clock } from '../domain/clock.js'
import { maskQuery, type Journal } from '../domain/journal.js'
import { pathOf } from './errors.js'
import { ADMIN_PREFIX } from './paths.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route of the simulated API: journaled, and subject to faults. */
    api?: boolean
  }
}

export const isPublic = (request: FastifyRequest, route = request.routeOptions): boolean =>
  route.config.api === true || (route.url === undefined && !request.url.startsWith(ADMIN_PREFIX))

export function journalRecord (journal: Journal, clock: Clock, request: FastifyRequest, status: number | null, durationMs: number): void {
  const url = request.url
  const q = url.indexOf('?')
  journal.record({
    time: clock.now(),
    method: request.method,
    path: pathOf(url),
    query: q === -1 ? '' : maskQuery(url.slice(q + 1)),
    headers: request.headers,
    status,
    durationMs,
    account: (request.params as { accountId?: string } | undefined)?.accountId
  })
}
