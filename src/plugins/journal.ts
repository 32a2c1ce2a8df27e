/**
 * Records every request to the public API in the journal, when its answer has gone: the availableSlots routes
 * and requests no route takes, but not the admin API, /metrics or /documentation.
 */
import type { ResponseObserver } from './responses.js'
import type { Clock } from '../domain/clock.js'
import type { Journal } from '../domain/journal.js'
import { isPublic, journalRecord } from '../http/journal-record.js'

/** What records each answered public request (for the one onResponse hook); none when the journal keeps nothing. */
export function journalSupport (journal: Journal, clock: Clock): ResponseObserver | undefined {
  if (journal.limit === 0) return undefined
  return (request, reply, elapsedMs, route) => {
    if (isPublic(request, route)) journalRecord(journal, clock, request, reply.statusCode, elapsedMs)
  }
}
