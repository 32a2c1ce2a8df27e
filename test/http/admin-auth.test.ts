import type { InjectOptions } from 'fastify'
import t, { type Test } from 'tap'
import { bearer, build, DEFAULT, JSON_TYPE, jsonError, slotsUrl, type Simulator } from '../helpers/app.js'

const { account, john } = DEFAULT
const ADMIN_TOKEN = 'admin-secret-token-0123'
const asAdmin = bearer(ADMIN_TOKEN)
const HOW = "this simulator was started with ADMIN_TOKEN: send 'Authorization: Bearer <ADMIN_TOKEN>'"
const MISSING = `missing admin token; ${HOW}`
const WRONG = `wrong admin token; ${HOW}`

/** Every admin route but the health check, each with a body it would accept. */
const ADMIN_ROUTES: InjectOptions[] = [
  { method: 'GET', url: '/__admin/scenario' },
  { method: 'PUT', url: '/__admin/scenario', payload: { name: 'empty' } },
  { method: 'POST', url: '/__admin/scenario/reset' },
  { method: 'POST', url: '/__admin/reset' },
  { method: 'GET', url: '/__admin/estimator' },
  { method: 'PUT', url: '/__admin/estimator', payload: { p: 0.9 } },
  { method: 'GET', url: `/__admin/accounts/${account}/estimate?skill=Sales&maxWaitTime=60` },
  { method: 'GET', url: `/__admin/accounts/${account}` },
  { method: 'PUT', url: '/__admin/accounts/777', payload: { skills: {}, agents: {}, sessions: {} } },
  { method: 'DELETE', url: `/__admin/accounts/${account}` },
  { method: 'PUT', url: `/__admin/accounts/${account}/agents/Zoe`, payload: { id: 9, nickname: 'Zoe', chatState: 'Online', maxChats: 1, activeChats: 0, skills: [] } },
  { method: 'PATCH', url: `/__admin/accounts/${account}/agents/John`, payload: { chatState: 'Away' } },
  { method: 'DELETE', url: `/__admin/accounts/${account}/agents/John` },
  { method: 'PUT', url: `/__admin/accounts/${account}/skills/Returns`, payload: { id: 9, queued: 0, meanHandleTimeSec: 60 } },
  { method: 'PATCH', url: `/__admin/accounts/${account}/skills/Sales`, payload: { queued: 5 } },
  { method: 'GET', url: `/__admin/accounts/${account}/chats` },
  { method: 'POST', url: `/__admin/accounts/${account}/chats`, payload: { skill: 'Sales' } },
  { method: 'DELETE', url: `/__admin/accounts/${account}/chats/chat-1` },
  { method: 'POST', url: `/__admin/accounts/${account}/sessions`, payload: { agent: 'John' } },
  { method: 'DELETE', url: `/__admin/accounts/${account}/sessions/${john.session}` },
  { method: 'GET', url: '/__admin/clock' },
  { method: 'PUT', url: '/__admin/clock', payload: { mode: 'frozen', now: '2030-01-01T00:00:00Z' } },
  { method: 'POST', url: '/__admin/clock/advance', payload: { seconds: 60 } },
  { method: 'PUT', url: '/__admin/seed', payload: { seed: 5 } },
  { method: 'GET', url: '/__admin/faults' },
  { method: 'POST', url: '/__admin/faults', payload: { effect: { type: 'error', status: 503 } } },
  { method: 'DELETE', url: '/__admin/faults' },
  { method: 'DELETE', url: '/__admin/faults/fault-1' },
  { method: 'GET', url: '/__admin/requests' },
  { method: 'POST', url: '/__admin/requests/count', payload: {} },
  { method: 'DELETE', url: '/__admin/requests' }
]

const label = (options: InjectOptions): string => `${String(options.method)} ${String(options.url)}`

/** What the admin API shows of the simulator's state, read with the admin token. */
async function state (t: Test, sim: Pick<Simulator, 'request'>): Promise<string[]> {
  const bodies: string[] = []
  for (const url of ['/__admin/scenario', '/__admin/clock', '/__admin/faults', '/__admin/requests', `/__admin/accounts/${account}/chats`]) {
    const res = await sim.request({ url, headers: asAdmin })
    t.equal(res.statusCode, 200, `GET ${url} with the admin token`)
    bodies.push(res.body.replace(/"durationMs":[^,}]*/g, '"durationMs":0'))
  }
  return bodies
}

t.test('with ADMIN_TOKEN, every admin route but the health check needs it', async (t) => {
  const sim = await build(t, 'default', { adminToken: ADMIN_TOKEN })
  await sim.request({ url: slotsUrl(account, john.session), headers: bearer(john.bearer) }) // something in the journal
  const before = await state(t, sim)
  const refusals: Array<[Record<string, string>, string, string]> = [
    [{}, MISSING, 'no Authorization header'],
    [{ authorization: '' }, WRONG, 'an empty one'],
    [{ authorization: 'Bearer wrong-token-wrong-token' }, WRONG, 'a wrong token'],
    [{ authorization: `Bearer ${ADMIN_TOKEN.toUpperCase()}` }, WRONG, 'the token is case-sensitive'],
    [{ authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` }, WRONG, 'a prefix of the token'],
    [{ authorization: `Bearer ${ADMIN_TOKEN}x` }, WRONG, 'the token and more'],
    [{ authorization: `Bearer ${ADMIN_TOKEN} ${ADMIN_TOKEN}` }, WRONG, 'two tokens'],
    [{ authorization: ADMIN_TOKEN }, WRONG, 'without the scheme'],
    [{ authorization: `Basic ${ADMIN_TOKEN}` }, WRONG, 'another scheme'],
    [bearer(john.bearer), WRONG, 'an agent session\'s bearer']
  ]
  for (const route of ADMIN_ROUTES) {
    for (const [headers, message, why] of refusals) {
      const res = await sim.request({ ...route, headers })
      t.equal(res.statusCode, 401, `${label(route)}: ${why}`)
      t.equal(res.headers['content-type'], JSON_TYPE)
      t.equal(res.body, jsonError(12, message))
    }
  }
  t.same(await state(t, sim), before, 'no refused request changed anything')
})

t.test('the admin token is checked before the body', async (t) => {
  const sim = await build(t, 'default', { adminToken: ADMIN_TOKEN })
  const res = await sim.request({ method: 'PUT', url: '/__admin/clock', payload: { mode: 'sideways' } })
  t.equal(res.statusCode, 401)
  t.equal(res.headers['content-type'], JSON_TYPE)
  t.equal(res.body, jsonError(12, MISSING))
  const authorized = await sim.request({ method: 'PUT', url: '/__admin/clock', payload: { mode: 'sideways' }, headers: asAdmin })
  t.equal(authorized.statusCode, 400)
  t.equal(authorized.body, jsonError(22, 'invalid request: $.mode: must be one of realtime, frozen'))
})

t.test('the health check is open, with any token or none', async (t) => {
  const sim = await build(t, 'default', { adminToken: ADMIN_TOKEN, scenario: 'default' })
  for (const headers of [{}, { authorization: 'Bearer wrong-token-wrong-token' }, asAdmin, bearer(john.bearer)]) {
    const res = await sim.request({ url: '/__admin/health', headers })
    t.equal(res.statusCode, 200, JSON.stringify(headers))
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, '{"status":"ok","version":"0.1.0","scenario":"default","accounts":1}')
  }
})

t.test('the right token opens the admin API; the scheme name is case-insensitive', async (t) => {
  const sim = await build(t, 'default', { adminToken: ADMIN_TOKEN })
  for (const authorization of [`Bearer ${ADMIN_TOKEN}`, `bearer ${ADMIN_TOKEN}`, `BEARER ${ADMIN_TOKEN}`, `Bearer   ${ADMIN_TOKEN}`, `Bearer ${ADMIN_TOKEN}  `]) {
    const res = await sim.request({ url: '/__admin/clock', headers: { authorization } })
    t.equal(res.statusCode, 200, JSON.stringify(authorization))
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, '{"now":"2026-06-01T12:00:00.000Z","mode":"frozen","speed":1,"liveAccounts":0,"behindSec":0}')
  }
  const advanced = await sim.request({ method: 'POST', url: '/__admin/clock/advance', payload: { seconds: 60 }, headers: asAdmin })
  t.equal(advanced.statusCode, 200)
  t.equal(advanced.body, '{"now":"2026-06-01T12:01:00.000Z","mode":"frozen","speed":1,"liveAccounts":0,"behindSec":0}')
  const fault = await sim.request({ method: 'POST', url: '/__admin/faults', payload: { effect: { type: 'latency', ms: 0 } }, headers: asAdmin })
  t.equal(fault.statusCode, 201)
  t.equal(fault.body, '{"effect":{"type":"latency","ms":0},"id":"fault-1","fired":0}')
  const removed = await sim.request({ method: 'DELETE', url: '/__admin/faults/fault-1', headers: asAdmin })
  t.equal(removed.statusCode, 204)
  t.equal(removed.body, '')
})

t.test('the admin token is not an agent session\'s bearer', async (t) => {
  const sim = await build(t, 'default', { adminToken: ADMIN_TOKEN })
  const res = await sim.request({ url: slotsUrl(account, john.session), headers: asAdmin })
  t.equal(res.statusCode, 401)
  t.equal(res.headers['content-type'], JSON_TYPE)
  t.equal(res.body, jsonError(10, "the bearer token is not recognised; send 'Authorization: Bearer <token>' with the bearer of a login (POST /api/account/{accountId}/login)"))
  const ok = await sim.request({ url: slotsUrl(account, john.session), headers: bearer(john.bearer) })
  t.equal(ok.statusCode, 200, 'the agent session\'s bearer works as ever')
  t.equal(ok.body, '{"availableSlots":3}')
  // The journal shows only the first four characters of any token, the admin token too.
  const journal = await sim.request({ url: '/__admin/requests', headers: asAdmin })
  const { requests } = JSON.parse(journal.body) as { requests: Array<{ headers: { authorization: string }, status: number }> }
  t.same(requests.map((r) => [r.headers.authorization, r.status]), [['Bearer admi…', 401], ['Bearer 313d…', 200]])
})

t.test('without ADMIN_TOKEN the admin API is open', async (t) => {
  const sim = await build(t)
  for (const headers of [{}, { authorization: 'Bearer whatever-whatever' }, bearer(john.bearer), { authorization: 'Basic xyz' }]) {
    const res = await sim.request({ url: '/__admin/clock', headers })
    t.equal(res.statusCode, 200, JSON.stringify(headers))
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, '{"now":"2026-06-01T12:00:00.000Z","mode":"frozen","speed":1,"liveAccounts":0,"behindSec":0}')
  }
  const seeded = await sim.request({ method: 'PUT', url: '/__admin/seed', payload: { seed: 3 } })
  t.equal(seeded.statusCode, 200)
  t.equal(seeded.body, '{"seed":3}')
})

t.test('a refused admin request carries a Bearer challenge for the admin realm', async (t) => {
  const sim = await build(t, 'default', { adminToken: ADMIN_TOKEN })
  const missing = await sim.request({ url: '/__admin/clock' })
  t.equal(missing.statusCode, 401)
  t.equal(missing.headers['www-authenticate'], 'Bearer realm="simulator admin"')
  const wrong = await sim.request({ url: '/__admin/clock', headers: bearer('not-the-admin-token-at-all') })
  t.equal(wrong.statusCode, 401)
  t.equal(wrong.headers['www-authenticate'], 'Bearer realm="simulator admin", error="invalid_token"')
  const ok = await sim.request({ url: '/__admin/clock', headers: asAdmin })
  t.equal(ok.statusCode, 200)
  t.equal(ok.headers['www-authenticate'], undefined)
})
