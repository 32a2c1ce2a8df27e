import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { fixturesDir } from '../../../src/package-root.js'
import { bearer, build, DEFAULT, JSON_TYPE, jsonError, slotsUrl, type Simulator } from '../../helpers/app.js'

/** A fixture as a snapshot gives it back: the document, without the editor's `$schema` hint. */
const fixture = (name: string): unknown => {
  const { $schema: _schema, ...document } = JSON.parse(readFileSync(join(fixturesDir, `${name}.json`), 'utf8')) as Record<string, unknown>
  return document
}
const johnSales = slotsUrl(DEFAULT.account, DEFAULT.john.session, 'v=1&skill=Sales')

async function json (sim: Simulator, method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown): Promise<[number, unknown]> {
  const res = await sim.request({ method, url, payload: payload as Record<string, unknown> })
  return [res.statusCode, res.body === '' ? undefined : JSON.parse(res.body)]
}

t.test('GET /__admin/scenario gives back the loaded fixture exactly, and PUT takes it back unchanged', async (t) => {
  const sim = await build(t)
  const res = await sim.request({ url: '/__admin/scenario' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], JSON_TYPE)
  t.strictSame(JSON.parse(res.body), fixture('default'))
  t.strictSame(await json(sim, 'PUT', '/__admin/scenario', JSON.parse(res.body)), [200, fixture('default')])
  t.strictSame(await json(sim, 'GET', '/__admin/scenario'), [200, fixture('default')])
})

t.test('PUT /__admin/scenario replaces all state, by document or by fixture name; reset returns to the start', async (t) => {
  const sim = await build(t)
  t.strictSame(await json(sim, 'PUT', '/__admin/scenario', { name: 'busy' }), [200, fixture('busy')])
  const gone = await sim.request({ url: johnSales, headers: bearer(DEFAULT.john.bearer) })
  t.equal(gone.statusCode, 401, 'the default account is gone with its sessions')
  t.strictSame(await json(sim, 'PUT', '/__admin/scenario', fixture('unlimited')), [200, fixture('unlimited')])
  t.strictSame(await json(sim, 'POST', '/__admin/scenario/reset'), [200, fixture('default')])
  const back = await sim.request({ url: johnSales, headers: bearer(DEFAULT.john.bearer) })
  t.equal(back.body, '{"availableSlots":2}')
})

t.test('with every account deleted, the empty snapshot still goes back in', async (t) => {
  const sim = await build(t)
  t.strictSame(await json(sim, 'DELETE' as 'GET', '/__admin/accounts/12345678'), [204, undefined])
  const empty = { description: (fixture('default') as { description: string }).description, accounts: {} }
  t.strictSame(await json(sim, 'GET', '/__admin/scenario'), [200, empty])
  t.strictSame(await json(sim, 'PUT', '/__admin/scenario', empty), [200, empty])
})

t.test('a bad scenario is refused with 400 naming the JSON path, and nothing changes', async (t) => {
  const sim = await build(t)
  const bad = structuredClone(fixture('default')) as { accounts: Record<string, { agents: Record<string, { skills: string[], maxChats: unknown }> }> }
  const john = bad.accounts['12345678']?.agents.John as { skills: string[], maxChats: unknown }
  const cases: Array<[unknown, number, number, string]> = [
    [{ ...bad, accounts: { 12345678: { ...bad.accounts['12345678'], agents: { John: { ...john, maxChats: '3' } } } } }, 400, 22,
      "invalid request: $.accounts['12345678'].agents.John.maxChats: must be integer"],
    [{ ...bad, accounts: { 12345678: { ...bad.accounts['12345678'], agents: { ...bad.accounts['12345678']?.agents, John: { ...john, skills: ['Nope'] } } } } }, 400, 22,
      "invalid request: $.accounts['12345678'].agents.John.skills[0]: skill 'Nope' does not exist in account 12345678"],
    [{ ...bad, accounts: { 12345678: { ...bad.accounts['12345678'], agents: { John: { ...john, maxChats: '3', skills: ['Sales', 7] } } } } }, 400, 22,
      "invalid request: 2 problems:\n  $.accounts['12345678'].agents.John.maxChats: must be integer\n  $.accounts['12345678'].agents.John.skills[1]: must be string"],
    [{ ...bad, accounts: { 12345678: { ...bad.accounts['12345678'], agents: { ...bad.accounts['12345678']?.agents, John: { ...john, skills: ['Nope', 'Nada'] } } } } }, 400, 22,
      "invalid request: 2 problems:\n  $.accounts['12345678'].agents.John.skills[0]: skill 'Nope' does not exist in account 12345678\n" +
      "  $.accounts['12345678'].agents.John.skills[1]: skill 'Nada' does not exist in account 12345678"],
    [{ description: '', accounts: {} }, 400, 22, 'invalid request: $.description: must NOT have fewer than 1 characters'],
    [{ name: 'no-such-fixture' }, 404, 33, ''],
    [{ name: '../etc/passwd' }, 400, 22, 'invalid request: $.name: must match pattern "^[A-Za-z0-9_-]{1,100}$"'],
    [{ name: 'busy', extra: 1 }, 400, 22, 'invalid request: $.extra: is not a known property']
  ]
  for (const [payload, status, code, message] of cases) {
    const res = await sim.request({ method: 'PUT', url: '/__admin/scenario', payload: payload as Record<string, unknown> })
    t.equal(res.statusCode, status, message)
    t.equal(JSON.parse(res.body).error.internalCode, code)
    if (message !== '') t.equal(res.body, jsonError(code, message))
    else t.match(JSON.parse(res.body).error.message, /^no fixture 'no-such-fixture': fixtures\/no-such-fixture\.json: cannot read the scenario \(ENOENT\)/)
    t.strictSame(await json(sim, 'GET', '/__admin/scenario'), [200, fixture('default')], 'unchanged')
  }
  const notJson = await sim.request({ method: 'PUT', url: '/__admin/scenario', headers: { 'content-type': 'application/json' }, payload: '{"description":' })
  t.equal(notJson.statusCode, 400)
  t.equal(JSON.parse(notJson.body).error.internalCode, 21)
  const none = await sim.request({ method: 'PUT', url: '/__admin/scenario' })
  t.equal(none.statusCode, 400)
  t.equal(none.body, jsonError(22, 'invalid request: 2 problems:\n  $.description: is required\n  $.accounts: is required'))
})

t.test('a scenario with 40,000 chats loads in linear time and round-trips', async (t) => {
  // Before, each chat was checked by scanning all chats listed before it: about 5 s for this document.
  const sim = await build(t)
  const chats = Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [`c${i}`, { skill: 'S' }]))
  const doc = { description: 'many chats', accounts: { 1: { skills: { S: { id: 1, queued: 40_000, meanHandleTimeSec: 60 } }, agents: {}, sessions: {}, chats } } }
  const res = await sim.request({ method: 'PUT', url: '/__admin/scenario', payload: doc })
  t.equal(res.statusCode, 200)
  t.strictSame(JSON.parse(res.body), doc)
  const tooMany = { ...doc, accounts: { 1: { ...doc.accounts[1], chats: { ...chats, extra: { skill: 'S' } } } } }
  const refused = await sim.request({ method: 'PUT', url: '/__admin/scenario', payload: tooMany })
  t.equal(refused.statusCode, 400)
  t.equal(JSON.parse(refused.body).error.message, "invalid request: $.accounts['1'].chats.extra.skill: skill 'S' has queued 40000, fewer than the queued chats listed for it")
})

t.test('POST /__admin/reset puts everything back as the simulator started: scenario, clock, faults, seed, journal', async (t) => {
  const sim = await build(t)
  const get = async (url: string): Promise<unknown> => JSON.parse((await sim.request({ url })).body)
  const before = { scenario: await get('/__admin/scenario'), clock: await get('/__admin/clock'), faults: await get('/__admin/faults') }
  await sim.request({ method: 'PATCH', url: '/__admin/accounts/12345678/agents/John', payload: { chatState: 'Away' } })
  await sim.request({ method: 'PUT', url: '/__admin/estimator', payload: { criterion: 'mean' } })
  await sim.request({ method: 'PUT', url: '/__admin/clock', payload: { mode: 'realtime', speed: 60, now: '2030-01-01T00:00:00Z' } })
  await sim.request({ method: 'PUT', url: '/__admin/seed', payload: { seed: 42 } })
  await sim.request({ method: 'POST', url: '/__admin/faults', payload: { effect: { type: 'error', status: 503 } } })
  await sim.request({ url: '/api/account/12345678/agentSession/sessJohn/chat/availableSlots?v=1' })
  t.equal(((await get('/__admin/requests')) as { requests: unknown[] }).requests.length, 1, 'a request in the journal')

  const res = await sim.request({ method: 'POST', url: '/__admin/reset' })
  t.equal(res.statusCode, 200)
  t.strictSame(JSON.parse(res.body), before.scenario, 'the scenario as loaded (the estimator setting with it)')
  t.strictSame(await get('/__admin/scenario'), before.scenario)
  t.strictSame(await get('/__admin/clock'), before.clock, 'the clock as it started: frozen at the test time')
  t.strictSame(await get('/__admin/faults'), before.faults, 'no faults, the seed as it started')
  t.strictSame(await get('/__admin/requests'), { requests: [], matched: 0, dropped: 0, limit: 10000 }, 'an empty journal')
  const fault = await sim.request({ method: 'POST', url: '/__admin/faults', payload: { effect: { type: 'error', status: 503 } } })
  t.equal(JSON.parse(fault.body).id, 'fault-1', 'fault ids start again')
})
