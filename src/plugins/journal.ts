/**
 * Records every request to the public API in the journal, when its answer has gone: the availableSlots routes
 * and requests no route takes, but not the admin API, /metrics or /documentation.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Clock } from '../domain/clock.js'
import { compactHeaders, detached, type Journal } from '../domain/journal.js'
import { ADMIN_PREFIX } from '../routes/admin/support.js'
import { pathOf } from './errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route of the simulated API: journaled, and subject to faults. */
    api?: boolean
  }
}

export const isPublic = (request: FastifyRequest): boolean =>
  request.routeOptions.config.api === true || (request.routeOptions.url === undefined && !request.url.startsWith(ADMIN_PREFIX))

/** Past this length a URL is not kept alive by the path and query sliced from it: they are copied. */
const SHORT_URL = 256
const same = (text: string): string => text

export function journalRecord (journal: Journal, clock: Clock, request: FastifyRequest, status: number | null, durationMs: number): void {
  const url = request.url
  const q = url.indexOf('?')
  const keep = url.length <= SHORT_URL ? same : detached
  journal.record({
    time: clock.now(),
    method: request.method,
    path: keep(pathOf(url)),
    query: q === -1 ? '' : keep(url.slice(q + 1)),
    headers: compactHeaders(request.headers),
    status,
    durationMs,
    account: (request.params as { accountId?: string } | undefined)?.accountId
  })
}

export function journalSupport (app: FastifyInstance, journal: Journal, clock: Clock): void {
  if (journal.limit === 0) return
  app.addHook('onResponse', (request, reply, done) => {
    if (isPublic(request)) journalRecord(journal, clock, request, reply.statusCode, reply.elapsedTime)
    done()
  })
}
