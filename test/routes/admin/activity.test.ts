import t from 'tap'
import { bearer, build, DEFAULT, jsonError, slotsUrl, type Simulator } from '../../helpers/app.js'

const ACCOUNT = `/__admin/accounts/${DEFAULT.account}`

async function call (sim: Simulator, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<[number, unknown]> {
  const res = await sim.request({ method, url, payload: payload as Record<string, unknown> })
  return [res.statusCode, res.body === '' ? undefined : JSON.parse(res.body)]
}
const slots = async (sim: Simulator, query: string): Promise<string> =>
  (await sim.request({ url: slotsUrl(DEFAULT.account, DEFAULT.john.session, query), headers: bearer(DEFAULT.john.bearer) })).body
const account = async (sim: Simulator): Promise<unknown> => (await call(sim, 'GET', ACCOUNT))[1]

t.test('chats: routed to the agent with most free slots, queued when none is free, ended to free the slot', async (t) => {
  const sim = await build(t)
  // Support: John has 2 free, Mary none; two chats queued.
  t.strictSame(await call(sim, 'POST', `${ACCOUNT}/chats`, { skill: 'Support' }), [201, { id: 'chat-1', skill: 'Support', agent: 'John', queued: false }])
  t.equal(await slots(sim, 'v=1&agent=John'), '{"availableSlots":1}')
  t.strictSame(await call(sim, 'POST', `${ACCOUNT}/chats`, { skill: 'Sales', agent: 'John' }), [201, { id: 'chat-2', skill: 'Sales', agent: 'John', queued: false }])
  t.equal(await slots(sim, 'v=1&agent=John'), '{"availableSlots":0}')
  t.strictSame(await call(sim, 'POST', `${ACCOUNT}/chats`, { skill: 'Sales' }), [201, { id: 'chat-3', skill: 'Sales', queued: true }])
  t.equal(await slots(sim, 'v=1&skill=Sales'), '{"availableSlots":0}')
  t.strictSame(await call(sim, 'GET', `${ACCOUNT}/chats`), [200, { chats: [
    { id: 'chat-1', skill: 'Support', agent: 'John', queued: false },
    { id: 'chat-2', skill: 'Sales', agent: 'John', queued: false },
    { id: 'chat-3', skill: 'Sales', queued: true }
  ] }])
  // The snapshot lists them, already counted in John's activeChats and Sales' queue.
  t.match(await account(sim), { agents: { John: { activeChats: 3 } }, skills: { Sales: { queued: 1 } },
    chats: { 'chat-1': { skill: 'Support', agent: 'John' }, 'chat-2': { skill: 'Sales', agent: 'John' }, 'chat-3': { skill: 'Sales' } } })
  t.strictSame(await call(sim, 'DELETE', `${ACCOUNT}/chats/chat-2`), [204, undefined])
  t.equal(await slots(sim, 'v=1&agent=John'), '{"availableSlots":1}')
  t.strictSame(await call(sim, 'DELETE', `${ACCOUNT}/chats/chat-3`), [204, undefined])
  t.equal(await slots(sim, 'v=1&skill=Sales'), '{"availableSlots":1}')
  // A tracked chat holds its place: John's activeChats cannot drop below it, and its skill cannot be taken from him.
  const before = await account(sim)
  const patch = await sim.request({ method: 'PATCH', url: `${ACCOUNT}/agents/John`, payload: { activeChats: 0 } })
  t.equal(patch.body, jsonError(22, 'invalid request: $.activeChats: activeChats (0) is less than the 1 chats routed to the agent through the admin API (chat-1); end those first'))
  const skills = await sim.request({ method: 'PATCH', url: `${ACCOUNT}/agents/John`, payload: { skills: ['Sales'] } })
  t.equal(skills.body, jsonError(22, "invalid request: $.skills: chat chat-1 of skill 'Support' is routed to the agent; keep the skill or end the chat first"))
  t.strictSame(await account(sim), before, 'unchanged')
})

t.test('chats: bad requests are refused and change nothing', async (t) => {
  const sim = await build(t)
  const before = await account(sim)
  const cases: Array<[unknown, number, number, string]> = [
    [{ skill: 'Marketing' }, 400, 22, "invalid request: $.skill: skill 'Marketing' does not exist in account 12345678"],
    [{ skill: 'Sales', agent: 'Ghost' }, 400, 22, "invalid request: $.agent: agent 'Ghost' does not exist in account 12345678"],
    [{ skill: 'Billing', agent: 'John' }, 400, 22, "invalid request: $.agent: agent 'John' does not have skill 'Billing'"],
    [{ skill: 'Support', agent: 'Mary' }, 409, 42, 'agent \'Mary\' has all 2 of its chats, so it has no free slot; leave out "agent" to queue the chat instead'],
    [{ skill: 'Sales', agent: 'Peter' }, 409, 42, 'agent \'Peter\' is Away, so it has no free slot; leave out "agent" to queue the chat instead'],
    [{ skill: 5 }, 400, 22, 'invalid request: $.skill: must be string'],
    [{}, 400, 22, 'invalid request: $.skill: is required']
  ]
  for (const [payload, status, code, message] of cases) {
    const res = await sim.request({ method: 'POST', url: `${ACCOUNT}/chats`, payload: payload as Record<string, unknown> })
    t.equal(res.statusCode, status, message)
    t.equal(res.body, jsonError(code, message))
  }
  t.strictSame(await call(sim, 'DELETE', `${ACCOUNT}/chats/chat-9`), [404, JSON.parse(jsonError(33, "chat 'chat-9' does not exist in account 12345678 (or has ended)"))])
  t.strictSame(await account(sim), before, 'unchanged')
})

t.test('sessions: issue a bearer for an agent, use it, revoke it; expiry follows the clock', async (t) => {
  const sim = await build(t)
  const [status, session] = await call(sim, 'POST', `${ACCOUNT}/sessions`, { agent: 'Ravi', agentSessionId: 'sessRavi', bearer: 'ef'.repeat(32), expiresInSec: 60 })
  t.equal(status, 201)
  t.strictSame(session, { agentSessionId: 'sessRavi', agent: 'Ravi', bearer: 'ef'.repeat(32), expiresAt: '2026-06-01T12:01:00.000Z' })
  const url = slotsUrl(DEFAULT.account, 'sessRavi', 'v=1&agent=Ravi')
  t.equal((await sim.request({ url, headers: bearer('ef'.repeat(32)) })).body, '{"availableSlots":3}')
  sim.clock.advance(60_000)
  const expired = await sim.request({ url, headers: bearer('ef'.repeat(32)) })
  const later = (code: number, message: string): string => JSON.stringify({ error: { time: '2026-06-01T12:01:00.000Z', message, internalCode: code } })
  t.equal(expired.body, later(10, 'the bearer token expired at 2026-06-01T12:01:00.000Z; start a new agent session'))

  // Generated id and bearer.
  const [, generated] = await call(sim, 'POST', `${ACCOUNT}/sessions`, { agent: 'Mary' }) as [number, { agentSessionId: string, bearer: string }]
  t.match(generated, { agentSessionId: /^sess-[0-9a-f]{12}$/, agent: 'Mary', bearer: /^[0-9a-f]{64}$/ })
  const mine = slotsUrl(DEFAULT.account, generated.agentSessionId, 'v=1')
  t.equal((await sim.request({ url: mine, headers: bearer(generated.bearer) })).statusCode, 200)
  t.strictSame(await call(sim, 'DELETE', `${ACCOUNT}/sessions/${generated.agentSessionId}`), [204, undefined])
  t.equal((await sim.request({ url: mine, headers: bearer(generated.bearer) })).statusCode, 401, 'revoked')
  t.strictSame(await call(sim, 'DELETE', `${ACCOUNT}/sessions/${generated.agentSessionId}`),
    [404, JSON.parse(later(33, `agent session '${generated.agentSessionId}' does not exist in account 12345678`))])
})

t.test('sessions: bad requests are refused and change nothing', async (t) => {
  const sim = await build(t)
  const before = await account(sim)
  const cases: Array<[unknown, number, number, string]> = [
    [{ agent: 'Ghost' }, 400, 22, "invalid request: $.agent: agent 'Ghost' does not exist in account 12345678"],
    [{ agent: 'Mary', bearer: DEFAULT.john.bearer }, 400, 22, 'invalid request: $.bearer: this bearer is already used by another agent session; each needs its own'],
    [{ agent: 'Mary', bearer: 'ABC' }, 400, 22, 'invalid request: $.bearer: must match pattern "^[0-9a-f]{64}$"'],
    [{ agent: 'Mary', agentSessionId: 'sessJohn' }, 409, 42, 'agent session sessJohn already exists in account 12345678'],
    [{ agent: 'Mary', expiresInSec: '60' }, 400, 22, 'invalid request: $.expiresInSec: must be integer'],
    [{ agent: 'Mary', expiresInSec: 60, expiresAt: '2030-01-01T00:00:00Z' }, 400, 22, 'invalid request: $.expiresInSec: give expiresAt or expiresInSec, not both'],
    [{ agent: 'Mary', expiresAt: 'tomorrow' }, 400, 22, 'invalid request: $.expiresAt: must match format "date-time"'],
    [{ agent: 'Mary', agentSessionId: '..' }, 400, 22, 'invalid request: $.agentSessionId: must match pattern "^(?!\\.\\.?$)[A-Za-z0-9._~-]{1,100}$"'],
    [{ agent: 'Mary', agentSessionId: '.' }, 400, 22, 'invalid request: $.agentSessionId: must match pattern "^(?!\\.\\.?$)[A-Za-z0-9._~-]{1,100}$"']
  ]
  for (const [payload, status, code, message] of cases) {
    const res = await sim.request({ method: 'POST', url: `${ACCOUNT}/sessions`, payload: payload as Record<string, unknown> })
    t.equal(res.statusCode, status, message)
    t.equal(res.body, jsonError(code, message))
  }
  t.strictSame(await account(sim), before, 'unchanged')
})

t.test('chats: a skill holds at most 1,000,000,000 queued chats, so that its snapshot always loads again', async (t) => {
  const sim = await build(t)
  t.equal((await call(sim, 'PATCH', `${ACCOUNT}/skills/Billing`, { queued: 1_000_000_000 }))[0], 200)
  await call(sim, 'PATCH', `${ACCOUNT}/agents/Ravi`, { chatState: 'Away' })
  const before = await account(sim)
  t.strictSame(await call(sim, 'POST', `${ACCOUNT}/chats`, { skill: 'Billing' }), [409, {
    error: { time: '2026-06-01T12:00:00.000Z', message: "skill 'Billing' already has 1000000000 chats queued, the most a skill holds; end some first", internalCode: 42 }
  }])
  t.strictSame(await account(sim), before, 'unchanged')
  const reloaded = await sim.request({ method: 'PUT', url: '/__admin/scenario', payload: JSON.parse((await sim.request({ url: '/__admin/scenario' })).body) })
  t.equal(reloaded.statusCode, 200, 'the snapshot loads again')
})

t.test('chats and sessions: a missing account is 404 whatever the body (the account is looked up first)', async (t) => {
  const sim = await build(t)
  const missing = JSON.parse(jsonError(33, 'account 999 does not exist; PUT /__admin/accounts/999 creates it'))
  for (const route of ['chats', 'sessions']) {
    for (const payload of [undefined, { nothing: 1 }, { skill: 'Sales', agent: 'John' }]) {
      t.strictSame(await call(sim, 'POST', `/__admin/accounts/999/${route}`, payload), [404, missing], `${route} ${JSON.stringify(payload)}`)
    }
  }
})
