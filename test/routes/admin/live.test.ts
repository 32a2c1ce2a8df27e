import t from 'tap'
import { build, bearer, DEFAULT, JSON_TYPE, slotsUrl, type Simulator } from '../../helpers/app.js'
import { loadScenario } from '../../../src/scenarios.js'
import type { ScenarioDocument } from '../../../src/domain/scenario.js'

const APP_KEY = { authorization: 'LivePerson appKey=5ccd8aaa1646eb9da7bc166d349a1502' }
const EVENING = '2026-06-01T17:00:00.000Z'

const body = async (sim: Simulator, url: string, headers: Record<string, string> = {}): Promise<string> =>
  (await sim.request({ url, headers })).body

/** An agent or skill of the account as the admin API shows it now. */
const entity = async (sim: Simulator, kind: 'agents' | 'skills', name: string): Promise<Record<string, unknown> & { activeChats: number, queued: number }> =>
  JSON.parse(await body(sim, `/__admin/accounts/${DEFAULT.account}`))[kind][name]

/** The live scenario, its frozen clock set to 17:00 (every test's clock starts at noon). */
async function evening (t: Parameters<typeof build>[0], options: Parameters<typeof build>[2] = {}): Promise<Simulator> {
  const sim = await build(t, 'live', options)
  const set = await sim.request({ method: 'PUT', url: '/__admin/clock', payload: { mode: 'frozen', now: EVENING } })
  t.equal(set.statusCode, 200)
  return sim
}

/** What a client sees at each of `steps` advances of `seconds`: slots, availability, wait, and the live counters. */
async function watch (sim: Simulator, steps: number, seconds: number): Promise<string[]> {
  const seen: string[] = []
  for (let i = 0; i < steps; i++) {
    const advanced = await sim.request({ method: 'POST', url: '/__admin/clock/advance', payload: { seconds } })
    seen.push(advanced.body)
    for (const skill of ['Sales', 'Support']) {
      seen.push(await body(sim, slotsUrl(DEFAULT.account, DEFAULT.john.session, `v=1&skill=${skill}&maxWaitTime=60`), bearer(DEFAULT.john.bearer)))
      seen.push(await body(sim, `/api/account/${DEFAULT.account}/chat/estimatedWaitTime?v=1&skill=${skill}`, APP_KEY))
    }
    seen.push(await body(sim, `/api/account/${DEFAULT.account}/chat/availability?v=1&skill=Support&maxWaitTime=60`, APP_KEY))
    seen.push(await body(sim, '/__admin/live'))
  }
  return seen
}

t.test('the same seed, scenario and clock steps give the same answers, byte for byte; another seed, others', async (t) => {
  const first = await watch(await evening(t), 16, 900)
  const again = await watch(await evening(t), 16, 900)
  const other = await watch(await evening(t, { seed: 2 }), 16, 900)
  t.equal(first.length, 16 * 7)
  t.equal(again.join('\n'), first.join('\n'), 'seed 1 twice: the same')
  t.not(other.join('\n'), first.join('\n'), 'seed 2: another evening')
  const slots = new Set(first.filter((line) => line.startsWith('{"availableSlots"')))
  t.ok(slots.size >= 4, `the answer changes as the evening goes on (${[...slots].join(' ')})`)
})

t.test('advancing the clock runs the simulation through the interval: chats arrive and end, shifts change', async (t) => {
  const sim = await evening(t)
  const before = (await entity(sim, 'agents', 'Anna'))
  t.equal(before.chatState, 'Away', 'Anna comes in at 18:00')
  const advanced = await sim.request({ method: 'POST', url: '/__admin/clock/advance', payload: { seconds: 3600 } })
  t.equal(advanced.statusCode, 200)
  t.equal(advanced.headers['content-type'], JSON_TYPE)
  t.equal(advanced.body, '{"now":"2026-06-01T18:00:00.000Z","mode":"frozen","speed":1,"liveAccounts":1,"behindSec":0}')
  t.equal((await entity(sim, 'agents', 'Anna')).chatState, 'Online', 'Anna is Online at 18:00')
  const live = JSON.parse(await body(sim, '/__admin/live'))
  t.same(Object.keys(live.accounts), [DEFAULT.account], 'one live account')
  const sales = live.accounts[DEFAULT.account].skills.Sales
  t.ok(sales.arrived > 0 && sales.ended > 0, `Sales chats arrived (${sales.arrived}) and ended (${sales.ended}) in the hour`)
  t.equal(live.behindSec, 0)
  // Chats in the model = chats at the start + what happened.
  const account = JSON.parse(await body(sim, `/__admin/accounts/${DEFAULT.account}`))
  const skills = Object.values(live.accounts[DEFAULT.account].skills) as Array<Record<string, number>>
  const happened = skills.reduce((sum, s) => sum + (s.arrived as number) - (s.ended as number) - (s.abandoned as number), 0)
  const inModel = (Object.values(account.agents) as Array<{ activeChats: number }>).reduce((sum, a) => sum + a.activeChats, 0) +
    (Object.values(account.skills) as Array<{ queued: number }>).reduce((sum, s) => sum + s.queued, 0)
  t.equal(inModel, 1 + 2 + 1 + 2 + 2 + happened, 'the six chats at 17:00, plus arrivals, less ends and abandonments')
})

t.test('an agent set Away takes no new chat while the clock runs; back Online, it takes the queue', async (t) => {
  const sim = await evening(t)
  for (let i = 0; i < 2; i++) {
    const started = await sim.request({ method: 'POST', url: `/__admin/accounts/${DEFAULT.account}/chats`, payload: { skill: 'Sales', agent: 'Peter' } })
    t.equal(started.statusCode, 201)
  }
  for (const agent of ['John', 'Peter']) {
    const away = await sim.request({ method: 'PATCH', url: `/__admin/accounts/${DEFAULT.account}/agents/${agent}`, payload: { chatState: 'Away' } })
    t.equal(away.statusCode, 200)
  }
  const peterBefore = (await entity(sim, 'agents', 'Peter')).activeChats
  await sim.request({ method: 'POST', url: '/__admin/clock/advance', payload: { seconds: 600 } })
  const peter = (await entity(sim, 'agents', 'Peter'))
  t.ok(peter.activeChats <= peterBefore, `Peter's chats only end (${peterBefore} → ${peter.activeChats})`)
  t.equal(await body(sim, slotsUrl(DEFAULT.account, DEFAULT.john.session, 'v=1&skill=Sales'), bearer(DEFAULT.john.bearer)), '{"availableSlots":0}',
    'nobody Online for Sales')
  const queued = (await entity(sim, 'skills', 'Sales')).queued
  t.ok(queued > 0, `Sales chats wait (${queued})`)
  await sim.request({ method: 'PATCH', url: `/__admin/accounts/${DEFAULT.account}/agents/Peter`, payload: { chatState: 'Online' } })
  await sim.request({ url: '/__admin/clock' })
  const after = (await entity(sim, 'agents', 'Peter'))
  t.equal(after.activeChats, Math.min(4, peter.activeChats + queued), 'Online again, Peter takes the waiting chats into his free slots at once')
})

t.test('a chat started through the admin API in a live account ends by itself', async (t) => {
  const sim = await evening(t)
  const started = await sim.request({ method: 'POST', url: `/__admin/accounts/${DEFAULT.account}/chats`, payload: { skill: 'Billing', agent: 'Ravi' } })
  t.equal(started.statusCode, 201)
  const { id } = JSON.parse(started.body)
  const listed = async (): Promise<string[]> => JSON.parse(await body(sim, `/__admin/accounts/${DEFAULT.account}/chats`)).chats.map((chat: { id: string }) => chat.id)
  t.same(await listed(), [id])
  await sim.request({ method: 'POST', url: '/__admin/clock/advance', payload: { seconds: 6 * 3600 } })
  t.same(await listed(), [], 'after six hours of 10-minute chats it has ended')
  const ended = await sim.request({ method: 'DELETE', url: `/__admin/accounts/${DEFAULT.account}/chats/${id}` })
  t.equal(ended.statusCode, 404)
})

t.test('a scenario without live settings does not change as the clock runs', async (t) => {
  const sim = await build(t)
  const before = await body(sim, `/__admin/accounts/${DEFAULT.account}`)
  const advanced = await sim.request({ method: 'POST', url: '/__admin/clock/advance', payload: { seconds: 86400 } })
  t.equal(advanced.body, '{"now":"2026-06-02T12:00:00.000Z","mode":"frozen","speed":1,"liveAccounts":0,"behindSec":0}')
  t.equal(await body(sim, `/__admin/accounts/${DEFAULT.account}`), before)
  t.equal(await body(sim, '/__admin/live'), '{"accounts":{},"behindSec":0}')
})

t.test('live settings are checked: times of day in order, one kind of arrivals', async (t) => {
  const sim = await build(t)
  const scenario = loadScenario('live').document as ScenarioDocument
  const account = scenario.accounts[DEFAULT.account] as ScenarioDocument['accounts'][string]
  const cases: Array<[string, (doc: ScenarioDocument['accounts'][string]) => void, string]> = [
    ['dailyArrivals out of order', (doc) => { (doc.skills.Support as { dailyArrivals: Array<{ from: string }> }).dailyArrivals[2] = { from: '16:00', perHour: 1 } as never },
      `$.accounts['${DEFAULT.account}'].skills.Support.dailyArrivals[2].from: 16:00 is not later than 17:00; give the times of day in increasing order`],
    ['both kinds of arrivals', (doc) => { (doc.skills.Billing as { dailyArrivals?: unknown }).dailyArrivals = [{ from: '00:00', perHour: 1 }] },
      `$.accounts['${DEFAULT.account}'].skills.Billing.dailyArrivals: give arrivalsPerHour or dailyArrivals, not both`],
    ['shifts out of order', (doc) => { (doc.agents.Peter as { shifts: Array<{ at: string }> }).shifts[1] = { at: '17:00', chatState: 'Away' } as never },
      `$.accounts['${DEFAULT.account}'].agents.Peter.shifts[1].at: 17:00 is not later than 17:00; give the times of day in increasing order`]
  ]
  for (const [name, change, message] of cases) {
    const doc = structuredClone({ ...scenario, accounts: { [DEFAULT.account]: account } })
    change(doc.accounts[DEFAULT.account] as ScenarioDocument['accounts'][string])
    const refused = await sim.request({ method: 'PUT', url: '/__admin/scenario', payload: doc })
    t.equal(refused.statusCode, 400, name)
    t.equal(JSON.parse(refused.body).error.message, `invalid request: ${message}`, name)
  }
  t.equal(JSON.parse(await body(sim, '/__admin/clock')).liveAccounts, 0, 'nothing was loaded')
})

t.test('/metrics counts the live chats', async (t) => {
  const sim = await evening(t)
  await sim.request({ method: 'POST', url: '/__admin/clock/advance', payload: { seconds: 3600 } })
  const live = JSON.parse(await body(sim, '/__admin/live')).accounts[DEFAULT.account].skills.Sales
  const metrics = await body(sim, '/metrics')
  t.match(metrics, `simulator_live_chats_total{account="${DEFAULT.account}",skill="Sales",event="arrived"} ${live.arrived}\n`)
  t.match(metrics, `simulator_live_chats_total{account="${DEFAULT.account}",skill="Sales",event="ended"} ${live.ended}\n`)
  t.match(metrics, `simulator_live_handle_time_seconds{account="${DEFAULT.account}",skill="Sales"} ${live.handleTimeSec}\n`)
})
