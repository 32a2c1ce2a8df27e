import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { bearer, build, DEFAULT, JSON_TYPE, jsonError, NOW, slotsUrl, type Simulator } from '../../helpers/app.js'

const { account, john, mary } = DEFAULT
const johnUrl = (query = 'v=1', suffix = ''): string => slotsUrl(account, john.session, query, suffix)
const johnPath = slotsUrl(account, john.session, '')
const maryPath = slotsUrl(account, mary.session, '')
const asJohn = bearer(john.bearer)
const INJECTED = { 'user-agent': 'lightMyRequest', host: 'localhost:80' }

const at = (seconds: number): string => new Date(NOW + seconds * 1000).toISOString()

interface Entry {
  id: number
  time: string
  method: string
  path: string
  query: Record<string, string | string[]>
  headers: Record<string, string>
  status: number | null
  account?: string
}

/** A journal entry as the admin API shows it, with the keys in its order; durationMs is checked apart. */
const entry = ({ account, ...rest }: Entry): Record<string, unknown> =>
  ({ ...rest, durationMs: 0, ...(account === undefined ? {} : { account }) })

/** The body with every durationMs set to 0, once each is seen to be a number of milliseconds. */
function withoutDurations (t: Test, body: string): string {
  for (const [, ms] of body.matchAll(/"durationMs":([^,}]*)/g)) {
    t.ok(Number(ms) >= 0 && /^\d+(\.\d{1,3})?$/.test(ms as string), `durationMs ${String(ms)}`)
  }
  return body.replace(/"durationMs":[^,}]*/g, '"durationMs":0')
}

async function journal (t: Test, sim: Pick<Simulator, 'request'>, query = ''): Promise<string> {
  const res = await sim.request({ url: `/__admin/requests${query}` })
  t.equal(res.statusCode, 200, `GET /__admin/requests${query}`)
  t.equal(res.headers['content-type'], JSON_TYPE)
  return withoutDurations(t, res.body)
}

const listing = (requests: Entry[], { matched = requests.length, dropped = 0, limit = 10000 } = {}): string =>
  JSON.stringify({ requests: requests.map(entry), matched, dropped, limit })

async function count (t: Test, sim: Pick<Simulator, 'request'>, payload?: object): Promise<string> {
  const res = await sim.request({ method: 'POST', url: '/__admin/requests/count', ...(payload === undefined ? {} : { payload }) })
  t.equal(res.statusCode, 200, `POST /__admin/requests/count ${JSON.stringify(payload)}`)
  t.equal(res.headers['content-type'], JSON_TYPE)
  return res.body
}

/** A few public requests (and admin ones between them, which are not recorded), ten seconds apart. */
async function traffic (sim: Simulator): Promise<{ entries: Entry[], responses: LightMyRequestResponse[] }> {
  const requests: Array<[InjectOptions, Omit<Entry, 'id' | 'time' | 'method' | 'path'> & { method?: string, path: string }]> = [
    [{ url: johnUrl('v=1&skill=Sales&maxWaitTime=60'), headers: asJohn },
      { path: johnPath, query: { v: '1', skill: 'Sales', maxWaitTime: '60' }, headers: { authorization: 'Bearer 313d…', ...INJECTED }, status: 200, account }],
    [{ url: johnUrl('v=1', '.xml'), headers: { ...asJohn, accept: 'application/xml' } },
      { path: `${johnPath}.xml`, query: { v: '1' }, headers: { authorization: 'Bearer 313d…', accept: 'application/xml', ...INJECTED }, status: 200, account }],
    [{ url: johnUrl('v=1') },
      { path: johnPath, query: { v: '1' }, headers: INJECTED, status: 401, account }],
    [{ url: slotsUrl(account, mary.session), headers: asJohn },
      { path: maryPath, query: { v: '1' }, headers: { authorization: 'Bearer 313d…', ...INJECTED }, status: 403, account }],
    [{ method: 'HEAD', url: slotsUrl(account, mary.session, 'v=1&agent=Mary'), headers: bearer(mary.bearer) },
      { method: 'HEAD', path: maryPath, query: { v: '1', agent: 'Mary' }, headers: { authorization: 'Bearer 2344…', ...INJECTED }, status: 200, account }],
    [{ url: '/api/nothing?x=1&x=2&y', headers: { authorization: 'Basic dXNlcjpwYXNz' } },
      { path: '/api/nothing', query: { x: ['1', '2'], y: '' }, headers: { authorization: 'Basic dXNl…', ...INJECTED }, status: 404 }],
    [{ method: 'DELETE', url: johnUrl(), headers: { authorization: `Bearer ${john.bearer} extra` } },
      { method: 'DELETE', path: johnPath, query: { v: '1' }, headers: { authorization: 'Bearer 313d… …', ...INJECTED }, status: 405 }]
  ]
  const entries: Entry[] = []
  const responses: LightMyRequestResponse[] = []
  for (const [i, [options, expected]] of requests.entries()) {
    responses.push(await sim.request(options))
    entries.push({ id: i + 1, time: at(10 * i), method: 'GET', ...expected } as Entry)
    // Admin requests are not journaled; each moves the clock ten seconds.
    await sim.request({ method: 'POST', url: '/__admin/clock/advance', payload: { seconds: 10 } })
    await sim.request({ url: '/__admin/requests' })
  }
  return { entries, responses }
}

t.test('every request to the public API is recorded, and nothing else', async (t) => {
  const sim = await build(t)
  t.equal(await journal(t, sim), listing([]), 'empty at first')
  const { entries, responses } = await traffic(sim)
  t.same(responses.map((res) => res.statusCode), [200, 200, 401, 403, 200, 404, 405])
  // Neither the health check, the metrics, the documentation, nor an unknown admin route are recorded.
  for (const url of ['/__admin/health', '/metrics', '/documentation/json', '/__admin/nothing']) await sim.request({ url })
  t.equal(await journal(t, sim), listing(entries))
  t.equal(await count(t, sim), '{"count":7,"dropped":0}')
})

t.test('GET /__admin/requests: filters', async (t) => {
  const sim = await build(t)
  const { entries } = await traffic(sim)
  const pick = (...ids: number[]): Entry[] => ids.map((id) => entries[id - 1] as Entry)
  const cases: Array<[string, Entry[], { matched?: number }?]> = [
    ['method=HEAD', pick(5)],
    ['method=GET', pick(1, 2, 3, 4, 6)],
    ['method=PUT', []],
    [`path=${johnPath}`, pick(1, 3, 7)],
    ['path=*.xml', pick(2)],
    [`path=${encodeURIComponent('/api/account/*/agentSession/sessMary/*')}`, pick(4, 5)],
    ['path=/api/*', entries],
    ['path=/api', []],
    [`account=${account}`, pick(1, 2, 3, 4, 5)],
    ['account=87654321', []],
    ['status=200', pick(1, 2, 5)],
    ['status=404', pick(6)],
    ['status=500', []],
    [`since=${at(30)}`, pick(4, 5, 6, 7)],
    ['since=2026-06-01T12:00:30.001Z', pick(5, 6, 7)],
    ['since=2026-06-01T14:01:00%2B02:00', pick(7)],
    ['since=2030-01-01T00:00:00Z', []],
    ['limit=2', pick(6, 7), { matched: 7 }],
    ['limit=10000', entries],
    ['method=GET&status=200&limit=1', pick(2), { matched: 2 }],
    [`method=GET&path=*availableSlots&account=${account}&status=200&since=${at(0)}`, pick(1)]
  ]
  for (const [query, expected, options] of cases) {
    t.equal(await journal(t, sim, `?${query}`), listing(expected, options), query)
  }
})

t.test('POST /__admin/requests/count: the same filters, in the body', async (t) => {
  const sim = await build(t)
  await traffic(sim)
  const cases: Array<[object | undefined, number]> = [
    [undefined, 7],
    [{}, 7],
    [{ method: 'HEAD' }, 1],
    [{ path: johnPath }, 3],
    [{ path: '*.xml' }, 1],
    [{ account }, 5],
    [{ status: 200 }, 3],
    [{ status: 405 }, 1],
    [{ since: at(30) }, 4],
    [{ since: '2026-06-01T14:01:00+02:00' }, 1],
    [{ method: 'GET', path: '/api/account/*', account, status: 200, since: at(10) }, 1]
  ]
  for (const [filter, n] of cases) t.equal(await count(t, sim, filter), `{"count":${n},"dropped":0}`, JSON.stringify(filter))
})

t.test('the client called availableSlots exactly twice', async (t) => {
  const sim = await build(t)
  // Some requests from before the test, forgotten.
  await sim.request({ url: johnUrl(), headers: asJohn })
  const cleared = await sim.request({ method: 'DELETE', url: '/__admin/requests' })
  t.equal(cleared.statusCode, 204)
  // The client under test.
  for (const query of ['v=1&skill=Sales', 'v=1&skill=Support']) {
    const res = await sim.request({ url: johnUrl(query), headers: asJohn })
    t.equal(res.statusCode, 200)
  }
  await sim.request({ url: '/api/health' }) // an unrouted call the client also made
  t.equal(await count(t, sim, { method: 'GET', path: '/api/account/*/agentSession/*/chat/availableSlots*', account }),
    '{"count":2,"dropped":0}')
  t.equal(await count(t, sim, { path: '*/chat/availableSlots', status: 200 }), '{"count":2,"dropped":0}')
  const listed = JSON.parse(await journal(t, sim, '?path=*/chat/availableSlots')) as { requests: Entry[] }
  t.same(listed.requests.map((r) => [r.id, r.query]), [[2, { v: '1', skill: 'Sales' }], [3, { v: '1', skill: 'Support' }]])
})

t.test('a bounded journal drops the oldest, and says how many', async (t) => {
  const sim = await build(t, 'default', { journalLimit: 3 })
  for (let i = 0; i < 5; i++) {
    await sim.request({ url: johnUrl(`v=1&n=${i}`), headers: asJohn })
    sim.clock.advance(1000)
  }
  const kept = (id: number): Entry => ({
    id, time: at(id - 1), method: 'GET', path: johnPath, query: { v: '1', n: String(id - 1) }, headers: { authorization: 'Bearer 313d…', ...INJECTED }, status: 200, account
  })
  t.equal(await journal(t, sim), listing([kept(3), kept(4), kept(5)], { dropped: 2, limit: 3 }))
  t.equal(await journal(t, sim, '?limit=1'), listing([kept(5)], { matched: 3, dropped: 2, limit: 3 }))
  t.equal(await count(t, sim), '{"count":3,"dropped":2}')
  t.equal(await count(t, sim, { since: at(0) }), '{"count":3,"dropped":2}', 'the dropped are not counted')

  const cleared = await sim.request({ method: 'DELETE', url: '/__admin/requests' })
  t.equal(cleared.statusCode, 204)
  t.equal(cleared.body, '')
  t.equal(await journal(t, sim), listing([], { limit: 3 }), 'clearing forgets the dropped count too')
  t.equal(await count(t, sim), '{"count":0,"dropped":0}')
  await sim.request({ url: johnUrl('v=1&n=5'), headers: asJohn })
  t.equal(await journal(t, sim), listing([kept(6)], { limit: 3 }), 'ids go on after a clear')
})

t.test('journalLimit 0 keeps nothing', async (t) => {
  const sim = await build(t, 'default', { journalLimit: 0 })
  await sim.request({ url: johnUrl(), headers: asJohn })
  t.equal(await journal(t, sim), listing([], { limit: 0 }))
  t.equal(await count(t, sim), '{"count":0,"dropped":0}')
})

t.test('DELETE /__admin/requests clears the journal', async (t) => {
  const sim = await build(t)
  await traffic(sim)
  const res = await sim.request({ method: 'DELETE', url: '/__admin/requests' })
  t.equal(res.statusCode, 204)
  t.equal(res.body, '')
  t.equal(await journal(t, sim), listing([]))
  t.equal(await count(t, sim), '{"count":0,"dropped":0}')
  const again = await sim.request({ method: 'DELETE', url: '/__admin/requests' })
  t.equal(again.statusCode, 204, 'clearing an empty journal is fine')
})

t.test('GET /__admin/requests: bad filters are 400, and the journal is unchanged', async (t) => {
  const sim = await build(t)
  const { entries } = await traffic(sim)
  const cases: Array<[string, string]> = [
    ['status=abc', "status must be a whole number, not 'abc'"],
    ['status=200.0', "status must be a whole number, not '200.0'"],
    ['status=', "status must be a whole number, not ''"],
    ['status=99', '$.status: must be >= 100'],
    ['status=600', '$.status: must be <= 599'],
    ['status=200&status=404', "filter 'status' given 2 times; give it once"],
    ['method=GET&method=HEAD&method=PUT', "filter 'method' given 3 times; give it once"],
    ['verb=GET', "unknown filter 'verb'; use method, path, account, status, since or limit"],
    ['Status=200', "unknown filter 'Status'; use method, path, account, status, since or limit"],
    ['limit=0', 'limit must be 1..10000, not 0'],
    ['limit=10001', 'limit must be 1..10000, not 10001'],
    ['limit=-1', "limit must be a whole number, not '-1'"],
    ['limit=ten', "limit must be a whole number, not 'ten'"],
    ['limit=1&limit=2', "filter 'limit' given 2 times; give it once"],
    ['method=get', '$.method: must match pattern "^[A-Z]{1,20}$"'],
    ['since=yesterday', '$.since: must match format "date-time"'],
    ['since=2026-06-30T23:59:60Z', '$.since: must be an ISO-8601 date-time'],
    ['path=', '$.path: must NOT have fewer than 1 characters'],
    ['account=%ZZ', 'the query is not valid percent-encoding (account=%ZZ)']
  ]
  for (const [query, message] of cases) {
    const res = await sim.request({ url: `/__admin/requests?${query}` })
    t.equal(res.statusCode, 400, query)
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, jsonError(22, `invalid request: ${message}`).replace(new Date(NOW).toISOString(), at(70)))
  }
  t.equal(await journal(t, sim), listing(entries))
})

t.test('POST /__admin/requests/count: bad filters are 400, and the journal is unchanged', async (t) => {
  const sim = await build(t)
  await sim.request({ url: johnUrl(), headers: asJohn })
  const before = await journal(t, sim)
  const cases: Array<[unknown, string]> = [
    [{ status: '200' }, '$.status: must be integer'],
    [{ status: 200.5 }, '$.status: must be integer'],
    [{ status: 99 }, '$.status: must be >= 100'],
    [{ method: 'get' }, '$.method: must match pattern "^[A-Z]{1,20}$"'],
    [{ method: 1 }, '$.method: must be string'],
    [{ path: '' }, '$.path: must NOT have fewer than 1 characters'],
    [{ account: '' }, '$.account: must NOT have fewer than 1 characters'],
    [{ since: 'x' }, '$.since: must match format "date-time"'],
    [{ since: '2026-06-30T23:59:60Z' }, '$.since: must be an ISO-8601 date-time'],
    [{ limit: 1 }, '$.limit: is not a known property'],
    [{ verb: 'GET' }, '$.verb: is not a known property'],
    [['GET'], '$: must be object']
  ]
  for (const [payload, message] of cases) {
    const res = await sim.request({ method: 'POST', url: '/__admin/requests/count', payload: payload as object })
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, jsonError(22, `invalid request: ${message}`))
  }
  t.equal(await journal(t, sim), before)
  t.equal(await count(t, sim), '{"count":1,"dropped":0}')
})

t.test('header-heavy requests are journaled compactly: credentials masked, at most 1,024 characters of headers each', async (t) => {
  const sim = await build(t)
  const heavy = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`x-h${String(i).padStart(4, '0')}`, 'v'.repeat(12)]))
  for (let i = 0; i < 300; i++) {
    await sim.request({ url: `/nowhere/${i}`, headers: { cookie: 'sid=secret', 'x-api-key': 'key-secret', ...heavy } })
  }
  const res = await sim.request({ url: '/__admin/requests' })
  t.equal(res.statusCode, 200)
  const { requests } = JSON.parse(res.body) as { requests: Array<{ path: string, headers: Record<string, string> }> }
  t.equal(requests.length, 300)
  t.ok(res.body.length < 300 * 1600, `${res.body.length} characters for 300 records`)
  const first = requests[0] as { headers: Record<string, string> }
  t.equal(first.headers.cookie, '…')
  t.equal(first.headers['x-api-key'], '…')
  t.notOk(res.body.includes('secret'), 'no credential anywhere in the journal')
  t.ok(requests.every((r) => Object.entries(r.headers).reduce((sum, [name, value]) => sum + name.length + value.length, 0) <= 1024), 'each within budget')
})
