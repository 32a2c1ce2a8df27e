/** The journal of requests to the public API: list with filters, count with the same filters, clear. */
import type { JournalFilter as Filter, JournalRecord as DomainRecord } from '../../domain/journal.js'
import { AdminBadRequest } from '../../http/errors.js'
import { adminOperation, failure, json, noContent } from '../../http/schemas/contract.js'
import {
  CountBody, JournalCount, JournalFilter, JournalPage, JournalQuery, MAX_LIMIT, STATUS_RANGE, type JournalFilterBody, type JournalRecordView
} from '../../http/schemas/journal.js'
import { queryErrors, singleValues, type AdminApp, type Simulation } from './support.js'

const listRequests = adminOperation({
  operationId: 'listRequests',
  summary: 'The request journal',
  description: 'Every request to the public API once its answer has gone (the availableSlots routes, and requests no route ' +
    'takes outside `/__admin`; not the admin API, `/metrics` or `/documentation`), in a ring of `JOURNAL_LIMIT` ' +
    'records (10000 by default; 0 keeps none) whose text also keeps within 32 MiB (two bytes a character): when ' +
    'either is reached the oldest is dropped, and counted in `dropped`. Each record is compact (see JournalRecord: ' +
    'credentials masked, headers bounded): about 1.5 KB of JSON for a header-heavy request. A full journal of ASCII ' +
    'text lists in under 20 MB; text that JSON escapes or writes in UTF-8 multi-byte characters up to about 50 MB. ' +
    'The filters are combined; each may be given once, and an unknown parameter is 400. Of the records that match, ' +
    'the newest `limit` are listed, oldest first. Bearers are masked to their first 4 characters.',
  querystring: JournalQuery,
  response: {
    200: json('The records that match, oldest first.', JournalPage),
    400: failure('An unknown, repeated or invalid filter, or a query that is not valid percent-encoding (internalCode 22).')
  }
}, 'GET')

const clearRequests = adminOperation({
  operationId: 'clearRequests',
  summary: 'Empty the request journal',
  description: 'Its `dropped` count starts again at 0. No body.',
  response: { 204: noContent('Emptied.') }
})

const countRequests = adminOperation({
  operationId: 'countRequests',
  summary: 'Count the journaled requests that match',
  description: 'The filters of `GET /__admin/requests` in a JSON body (`status` a number); no body, or `null`, counts every record.',
  body: CountBody,
  response: {
    200: json('How many match.', JournalCount),
    400: failure('An invalid filter (internalCode 22), or a body that is not valid JSON (21).')
  }
})

/** The journal's view of a request: the query parsed (the headers were masked and bounded when it was recorded). */
function view (entry: DomainRecord): JournalRecordView {
  const query: Record<string, string | string[]> = {}
  for (const [key, value] of new URLSearchParams(entry.query)) {
    const seen = query[key]
    query[key] = seen === undefined ? value : [seen, value].flat()
  }
  return {
    id: entry.id,
    time: new Date(entry.time).toISOString(),
    method: entry.method,
    path: entry.path,
    query,
    headers: entry.headers,
    status: entry.status,
    durationMs: Math.round(entry.durationMs * 1000) / 1000,
    ...(entry.account === undefined ? {} : { account: entry.account })
  }
}

/** A date-time the schema's format takes but a date cannot be (a leap second) is refused here. */
function toFilter (body: JournalFilterBody): Filter {
  const since = body.since === undefined ? undefined : Date.parse(body.since)
  if (since !== undefined && Number.isNaN(since)) throw new AdminBadRequest('invalid request: $.since: must be an ISO-8601 date-time')
  return { method: body.method, path: body.path, account: body.account, status: body.status, since }
}

const wholeNumber = (key: string) => (value: string) => `${key} must be a whole number, not '${value}'`

export function requestRoutes (app: AdminApp, sim: Simulation): void {
  app.get('/requests', {
    schema: listRequests,
    preValidation: singleValues(JournalQuery, 'filter', `${Object.keys(JournalFilter.properties).join(', ')} or limit`),
    schemaErrorFormatter: queryErrors({ status: wholeNumber('status'), limit: wholeNumber('limit') })
  }, async (request) => {
    const { limit = String(MAX_LIMIT), status, ...rest } = request.query
    // The schema took digits; the ranges are checked on the numbers, as a body's are.
    const code = status === undefined ? undefined : Number(status)
    if (code !== undefined && code < STATUS_RANGE.minimum) throw new AdminBadRequest(`invalid request: $.status: must be >= ${STATUS_RANGE.minimum}`)
    if (code !== undefined && code > STATUS_RANGE.maximum) throw new AdminBadRequest(`invalid request: $.status: must be <= ${STATUS_RANGE.maximum}`)
    const max = Number(limit)
    if (max < 1 || max > MAX_LIMIT) throw new AdminBadRequest(`invalid request: limit must be 1..${MAX_LIMIT}, not ${max}`)
    const found = sim.journal.find(toFilter({ ...rest, ...(code === undefined ? {} : { status: code }) }))
    return {
      // The newest `limit` of those that match, oldest first.
      requests: found.slice(Math.max(0, found.length - max)).map(view),
      matched: found.length,
      dropped: sim.journal.dropped,
      limit: sim.journal.limit
    }
  })

  app.post('/requests/count', { schema: countRequests }, async (request) =>
    ({ count: sim.journal.count(toFilter(request.body ?? {})), dropped: sim.journal.dropped }))

  app.delete('/requests', { schema: clearRequests }, async (_request, reply) => {
    sim.journal.clear()
    return reply.code(204).send()
  })
}
