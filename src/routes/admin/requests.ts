/** The journal of requests to the public API: list with filters, count with the same filters, clear. */
import type { JournalFilter, JournalRecord } from '../../domain/journal.js'
import { AdminBadRequest } from '../../http/errors.js'
import type { Query } from '../../http/querystring.js'
import { bodySchema, checked, singleValues, type AdminApp, type Simulation } from './support.js'

interface FilterBody { method?: string, path?: string, account?: string, status?: number, since?: string }

const FILTER_PROPERTIES = {
  method: { type: 'string', pattern: '^[A-Z]{1,20}$' },
  path: { type: 'string', minLength: 1, maxLength: 1000 },
  account: { type: 'string', minLength: 1, maxLength: 64 },
  status: { type: 'integer', minimum: 100, maximum: 599 },
  since: { type: 'string', format: 'date-time' }
}
const filterBody = bodySchema<FilterBody>({ type: 'object', additionalProperties: false, properties: FILTER_PROPERTIES })
const MAX_LIMIT = 10000

/** The journal's view of a request: the query parsed (the headers were masked and bounded when it was recorded). */
function view (entry: JournalRecord): Record<string, unknown> {
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

function toFilter (body: FilterBody, where: string): JournalFilter {
  const since = body.since === undefined ? undefined : Date.parse(body.since)
  if (since !== undefined && Number.isNaN(since)) throw new AdminBadRequest(`invalid request: ${where}since: must be an ISO-8601 date-time`)
  return { method: body.method, path: body.path, account: body.account, status: body.status, since }
}

/** Filters given in the query string: each at most once; status and limit in digits. */
function fromQuery (query: Query): { filter: JournalFilter, limit: number } {
  const filters = Object.keys(FILTER_PROPERTIES)
  const { limit, status, ...rest } = singleValues(query, [...filters, 'limit'], 'filter', `${filters.join(', ')} or limit`)
  for (const [key, value] of [['status', status], ['limit', limit]] as const) {
    if (value !== undefined && !/^\d{1,6}$/.test(value)) throw new AdminBadRequest(`invalid request: ${key} must be a whole number, not '${value}'`)
  }
  const body = checked(filterBody, { ...rest, ...(status === undefined ? {} : { status: Number(status) }) }, [])
  const max = limit === undefined ? MAX_LIMIT : Number(limit)
  if (max < 1 || max > MAX_LIMIT) throw new AdminBadRequest(`invalid request: limit must be 1..${MAX_LIMIT}, not ${max}`)
  return { filter: toFilter(body, '$.'), limit: max }
}

export function requestRoutes (app: AdminApp, sim: Simulation): void {
  app.get<{ Querystring: Query }>('/requests', async (request) => {
    const { filter, limit } = fromQuery(request.query)
    const found = sim.journal.find(filter)
    return {
      // The newest `limit` of those that match, oldest first.
      requests: found.slice(Math.max(0, found.length - limit)).map(view),
      matched: found.length,
      dropped: sim.journal.dropped,
      limit: sim.journal.limit
    }
  })

  app.post('/requests/count', async (request) => {
    const body = request.body === undefined || request.body === null ? {} : checked(filterBody, request.body)
    return { count: sim.journal.count(toFilter(body, '$.')), dropped: sim.journal.dropped }
  })

  app.delete('/requests', async (_request, reply) => {
    sim.journal.clear()
    return reply.code(204).send()
  })
}
