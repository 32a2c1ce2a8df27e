/**
 * Records every request to the public API in the journal, when its answer has gone: the availableSlots routes
 * and requests no route takes, but not the admin API, /metrics or /documentation.
 */
import type { FastifyRequest } from 'fastify'
import type { ResponseObserver } from './responses.js'
import type { Clock } from '../domain/clock.js'
import type { Journal } from '../domain/journal.js'
import { ADMIN_PREFIX } from '../routes/admin/support.js'
import { pathOf } from './errors.js'

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
    query: q === -1 ? '' : url.slice(q + 1),
    headers: request.headers,
    status,
    durationMs,
    account: (request.params as { accountId?: string } | undefined)?.accountId
  })
}

/** What records each answered public request (for the one onResponse hook); none when the journal keeps nothing. */
export function journalSupport (journal: Journal, clock: Clock): ResponseObserver | undefined {
  if (journal.limit === 0) return undefined
  return (request, reply, elapsedMs, route) => {
    if (isPublic(request, route)) journalRecord(journal, clock, request, reply.statusCode, elapsedMs)
  }
}
