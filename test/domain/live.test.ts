import t from 'tap'
import fc from 'fast-check'
import { holds } from '../helpers/property.js'
import { SimulatedClock } from '../../src/domain/clock.js'
import { CATCH_UP_EVENTS, LiveModel, MAX_LIVE_QUEUED } from '../../src/domain/live.js'
import { isDeepStrictEqual } from 'node:util'
import { CHAT_STATES, ConflictError, ModelError, type Account, type ChatState } from '../../src/domain/model.js'
import { UNLIMITED } from '../../src/domain/estimator.js'
import type { ShiftStep } from '../../src/domain/live-settings.js'
import { buildAccount, buildWorld, snapshotAccount, type AccountInput, type ScenarioInput } from '../../src/domain/scenario.js'
import type { World } from '../../src/domain/world.js'

const START = Date.parse('2026-12-01T17:00:00Z')

function liveWorld (accounts: Record<string, AccountInput>, seed = 1): { world: World, clock: SimulatedClock, live: LiveModel, account: (id?: string) => Account } {
  const world = buildWorld({ description: 'live', accounts } satisfies ScenarioInput)
  const clock = SimulatedClock.frozenAt(START)
  const live = new LiveModel(world, clock, seed)
  live.catchUp()
  return { world, clock, live, account: (id = 'a') => world.account(id) as Account }
}

/** What the running totals say, and what a recount of every agent and skill gives. */
function recount (account: Account): unknown {
  const pool = (agents: ReturnType<Account['agentList']>, queued: number) => {
    const online = agents.filter((agent) => agent.chatState === 'Online')
    const unlimited = online.some((agent) => agent.maxChats === UNLIMITED)
    return {
      onlineAgents: online.length,
      freeSlots: unlimited ? Infinity : online.reduce((sum, agent) => sum + Math.max(0, agent.maxChats - agent.activeChats), 0),
      activeChats: online.reduce((sum, agent) => sum + agent.activeChats, 0),
      queuedChats: queued
    }
  }
  const agents = account.agentList()
  const skills = account.skillList()
  const agentsByState = Object.fromEntries(CHAT_STATES.map((state) => [state, agents.filter((agent) => agent.chatState === state).length]))
  return {
    ...pool(agents, skills.reduce((sum, skill) => sum + skill.queued, 0)),
    agentsByState,
    skills: new Map(skills.map((skill) => [skill.name, pool(agents.filter((agent) => agent.skills.includes(skill.name)), skill.queued)]))
  }
}

/** The answers of a model built afresh from the account's snapshot (with the handle times it has learned). */
function answersOf (account: Account): unknown[] {
  const answers: unknown[] = []
  for (const wait of [0, 30, 120, 600]) {
    answers.push(account.accountSlots(wait))
    for (const skill of account.skillList()) answers.push(account.skillSlots(skill.name, wait), account.waitEstimate(skill.name))
  }
  return answers
}

function fresh (account: Account): Account {
  const copy = buildAccount(account.id, snapshotAccount(account))
  for (const skill of account.skillList()) copy.liveHandleTime(skill.name, account.handleTimeOf(skill.name) as number)
  return copy
}

const chatsIn = (account: Account): number =>
  account.agentList().reduce((sum, agent) => sum + agent.activeChats, 0) + account.skillList().reduce((sum, skill) => sum + skill.queued, 0)

const NAMES = ['s0', 's1', 's2']
const skillArb = fc.record({
  queued: fc.integer({ min: 0, max: 5 }),
  meanHandleTimeSec: fc.integer({ min: 30, max: 900 }),
  meanPatienceSec: fc.option(fc.integer({ min: 10, max: 600 }), { nil: undefined }),
  arrivalsPerHour: fc.integer({ min: 0, max: 300 }),
  handleTime: fc.constantFrom({ distribution: 'exponential' as const }, { distribution: 'lognormal' as const, cv: 0.8 })
})
const agentArb = (skills: number) => fc.record({
  chatState: fc.constantFrom<ChatState>(...CHAT_STATES),
  maxChats: fc.integer({ min: -1, max: 4 }),
  activeChats: fc.integer({ min: 0, max: 4 }),
  skills: fc.subarray(NAMES.slice(0, skills), { minLength: 1 }),
  shifts: fc.option(fc.constantFrom<ShiftStep[]>(
    [{ at: '17:10', chatState: 'Away' }, { at: '17:40', chatState: 'Online' }],
    [{ at: '17:20', chatState: 'Online' }]
  ), { nil: undefined })
}).map((agent) => ({ ...agent, activeChats: agent.maxChats === -1 ? agent.activeChats : Math.min(agent.activeChats, agent.maxChats) }))
const accountArb = fc.integer({ min: 1, max: 3 }).chain((skills) => fc.record({
  skills: fc.array(skillArb, { minLength: skills, maxLength: skills }),
  agents: fc.array(agentArb(skills), { minLength: 1, maxLength: 6 })
}))

type Step =
  | { advance: number }
  | { agent: number, chatState: ChatState }
  | { agent: number, maxChats: number }
  | { start: number, on?: number }
  | { end: number }
  | { skill: number, queued: number }
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ advance: fc.integer({ min: 1, max: 1800 }) }) },
  fc.record({ agent: fc.nat(5), chatState: fc.constantFrom<ChatState>(...CHAT_STATES) }),
  fc.record({ agent: fc.nat(5), maxChats: fc.integer({ min: -1, max: 4 }) }),
  fc.record({ start: fc.nat(2), on: fc.option(fc.nat(5), { nil: undefined }) }),
  fc.record({ end: fc.nat(20) }),
  fc.record({ skill: fc.nat(2), queued: fc.integer({ min: 0, max: 6 }) })
)

t.test('live accounts: chats are conserved, no agent passes maxChats, totals equal a recount, answers equal a fresh model\'s', async (t) => {
  holds(t, 'after any sequence of clock steps and admin changes', fc.property(accountArb, fc.array(stepArb, { maxLength: 25 }), fc.integer({ min: 1, max: 1000 }), (doc, steps, seed) => {
    const { clock, live, account } = liveWorld({
      a: {
        skills: Object.fromEntries(doc.skills.map((skill, i) => [NAMES[i] as string, skill])),
        agents: Object.fromEntries(doc.agents.map((agent, i) => [`g${i}`, agent]))
      }
    }, seed)
    const model = account()
    // Chats in the model = chats at start + arrived − ended − abandoned + what admin changes added.
    let expected = chatsIn(model)
    const totals = (): number => {
      let sum = 0
      for (const counts of Object.values(live.view().accounts.a?.skills ?? {})) sum += counts.arrived - counts.ended - counts.abandoned
      return sum
    }
    let counted = totals()
    for (const step of steps) {
      const before = chatsIn(model)
      // Agents without shifts that are not Online before a clock step: they get no new chat during it.
      const resting = new Map(model.agentList().filter((agent) => agent.chatState !== 'Online' && agent.shifts === undefined).map((agent) => [agent.loginName, agent.activeChats]))
      try {
        if ('advance' in step) clock.advance(step.advance * 1000)
        else if ('chatState' in step) {
          const agent = model.agentList()[step.agent % model.agentList().length]
          if (agent !== undefined) model.putAgent({ ...agent, chatState: step.chatState })
        } else if ('maxChats' in step) {
          const agent = model.agentList()[step.agent % model.agentList().length]
          if (agent !== undefined) model.putAgent({ ...agent, maxChats: step.maxChats })
        } else if ('start' in step) {
          const skill = model.skillList()[step.start % model.skillList().length] as { name: string }
          const agent = step.on === undefined ? undefined : model.agentList()[step.on % model.agentList().length]
          model.startChat(skill.name, agent?.loginName)
        } else if ('end' in step) {
          const chat = [...model.chats.keys()][step.end % Math.max(1, model.chats.size)]
          if (chat !== undefined) model.endChat(chat)
        } else {
          const skill = model.skillList()[step.skill % model.skillList().length]
          if (skill !== undefined) model.putSkill({ ...skill, queued: step.queued })
        }
      } catch (error) {
        if (!(error instanceof ModelError || error instanceof ConflictError)) throw error
      }
      expected += chatsIn(model) - before
      live.catchUp(Infinity)
      const now = totals()
      expected += now - counted
      counted = now
      if (chatsIn(model) !== expected) throw new Error(`after ${JSON.stringify(step)}: ${chatsIn(model)} chats in the model, ${expected} counted`)
      for (const agent of model.agentList()) {
        if (agent.activeChats < 0 || (agent.maxChats !== -1 && agent.activeChats > agent.maxChats)) throw new Error(`${agent.loginName}: ${agent.activeChats} of ${agent.maxChats}`)
      }
      for (const skill of model.skillList()) {
        if (skill.queued < 0) throw new Error(`${skill.name}: ${skill.queued} queued`)
        // Work-conserving: a chat never waits while an Online agent with its skill has a free slot.
        const free = model.agentList().find((agent) => agent.chatState === 'Online' && agent.skills.includes(skill.name) &&
          (agent.maxChats === -1 || agent.activeChats < agent.maxChats))
        if (skill.queued > 0 && free !== undefined) throw new Error(`after ${JSON.stringify(step)}: ${skill.queued} ${skill.name} chats wait while ${free.loginName} has a free slot`)
      }
      if ('advance' in step) {
        for (const [name, chats] of resting) {
          const agent = model.agent(name)
          if (agent !== undefined && agent.chatState !== 'Online' && agent.activeChats > chats) throw new Error(`${name} is ${agent.chatState} but got a chat`)
        }
      }
      if (!isDeepStrictEqual(model.gauges(), recount(model))) throw new Error(`running totals ${JSON.stringify(model.gauges())} ≠ a recount`)
      const answers = answersOf(model)
      const again = answersOf(fresh(model))
      if (JSON.stringify(answers) !== JSON.stringify(again)) throw new Error(`answers ${JSON.stringify(answers)} ≠ fresh ${JSON.stringify(again)}`)
    }
    return true
  }), { numRuns: 60 })
})

const busy = (agents: number, perHour: number, extra: Partial<AccountInput['skills'][string]> = {}): Record<string, AccountInput> => ({
  a: {
    skills: { S: { meanHandleTimeSec: 300, arrivalsPerHour: perHour, ...extra } },
    agents: Object.fromEntries(Array.from({ length: agents }, (_, i) => [`g${i}`, { chatState: 'Online' as const, maxChats: 3, skills: ['S'] }]))
  }
})

t.test('a catch-up applies at most CATCH_UP_EVENTS events; slices catch up to the same state as one long run', async (t) => {
  const sliced = liveWorld(busy(1000, 30_000))
  const whole = liveWorld(busy(1000, 30_000))
  for (const { clock } of [sliced, whole]) clock.advance(2 * 3600 * 1000)
  t.equal(sliced.live.catchUp(), CATCH_UP_EVENTS, 'the first slice stops at the budget')
  t.ok(sliced.live.behindSec > 0 && sliced.live.behindSec < 2 * 3600, `and the model lags (${sliced.live.behindSec} s behind)`)
  t.equal(sliced.live.due, true, 'so the next read goes on')
  let slices = 1
  while (sliced.live.behindSec > 0) {
    const events = sliced.live.catchUp()
    if (events > CATCH_UP_EVENTS) t.fail(`a slice of ${events} events`)
    slices++
  }
  const events = whole.live.catchUp(Infinity)
  t.ok(events > 4 * CATCH_UP_EVENTS, `two busy hours are ${events} events`)
  t.equal(slices, Math.ceil(events / CATCH_UP_EVENTS), 'each slice but the last full')
  t.equal(JSON.stringify(sliced.live.view()), JSON.stringify(whole.live.view()), 'the same counters')
  t.equal(JSON.stringify(snapshotAccount(sliced.account())), JSON.stringify(snapshotAccount(whole.account())), 'the same model')
})

t.test('a live skill keeps at most MAX_LIVE_QUEUED chats queued; the rest leave at once, counted as abandoned', async (t) => {
  const { clock, live, account } = liveWorld({ a: { skills: { S: { meanHandleTimeSec: 300, arrivalsPerHour: 60_000 } }, agents: { g: { chatState: 'Away', maxChats: 1, skills: ['S'] } } } })
  clock.advance(3600 * 1000)
  live.catchUp(Infinity)
  const counts = live.view().accounts.a?.skills.S
  t.equal(account().skill('S')?.queued, MAX_LIVE_QUEUED)
  t.equal(counts?.queued, MAX_LIVE_QUEUED)
  t.equal(counts?.abandoned, (counts?.arrived ?? 0) - MAX_LIVE_QUEUED, 'every arrival past the limit')
  t.ok((counts?.arrived ?? 0) > 50_000, `${counts?.arrived} arrived in the hour`)
})

t.test('the learned handle time follows the chats that end (α = 0.05) and feeds the estimator', async (t) => {
  // The estimator starts from 60 s; the chats really last 600 s on average.
  const { clock, live, account } = liveWorld(busy(50, 200, { meanHandleTimeSec: 60, handleTime: { distribution: 'exponential', meanSec: 600 } }))
  t.equal(account().handleTimeOf('S'), 60, 'at first the scenario\'s figure')
  clock.advance(12 * 3600 * 1000)
  live.catchUp(Infinity)
  const learned = account().handleTimeOf('S') as number
  // In steady state the EWMA of exponential times of mean m has standard deviation m·√(α/(2−α)) ≈ 96 s; 4 of them either side.
  t.ok(Math.abs(learned - 600) <= 4 * 600 * Math.sqrt(0.05 / 1.95), `learned ${learned} s from chats of mean 600 s`)
  t.equal(live.view().accounts.a?.skills.S?.handleTimeSec, learned)
  t.equal(account().skill('S')?.meanHandleTimeSec, 60, 'the scenario\'s figure stays, for snapshots')
  const online = account().onlineAgents('S') as number
  t.same(account().estimate('S', 60)?.pool.release, { num: online * 3, den: learned }, 'the estimator frees slots at the learned rate')
})

t.test('plan steps count against the budget, and a jump of more than a day replays only the last day', async (t) => {
  // An agent with a step every half hour, and nothing else to happen.
  const shifts: ShiftStep[] = Array.from({ length: 48 }, (_, i) => ({ at: `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 === 0 ? '00' : '30'}`, chatState: i % 2 === 0 ? 'Online' : 'Away' }))
  const { clock, live, account } = liveWorld({ a: { skills: { S: { meanHandleTimeSec: 300 } }, agents: { g: { chatState: 'Online', maxChats: 1, skills: ['S'], shifts } } } })
  clock.advance(200 * 365 * 86_400_000)
  const steps = live.catchUp(Infinity)
  t.equal(steps, 48, 'two hundred years later: only the last day\'s 48 steps are replayed')
  t.equal(live.behindSec, 0)
  t.equal(account().agent('g')?.chatState, clock.now() % 3_600_000 < 1_800_000 ? 'Online' : 'Away', 'and the agent is as its plan says now')
  clock.advance(3 * 86_400_000)
  t.equal(live.catchUp(10), 10, 'a budget of 10 stops after 10 steps')
  t.ok(live.behindSec > 0, 'the model lags')
})

t.test('an unlimited agent holds at most MAX_ACTIVE_CHATS chats in a live account, so that snapshots load', async (t) => {
  const { clock, live, account } = liveWorld({ a: { skills: { S: { meanHandleTimeSec: 86400, arrivalsPerHour: 10_000 } }, agents: { u: { chatState: 'Online', maxChats: -1, skills: ['S'] } } } })
  clock.advance(3600 * 1000)
  live.catchUp(Infinity)
  t.equal(account().agent('u')?.activeChats, 1000)
  t.ok((account().skill('S')?.queued ?? 0) > 0, 'the rest wait')
  t.equal(account().skillSlots('S', 0), -1, 'the skill still answers -1: the agent is unlimited')
  t.doesNotThrow(() => buildAccount('a', snapshotAccount(account())), 'the snapshot loads')
})

t.test('a lagging account does not starve the others: catch-ups take the live accounts in turn', async (t) => {
  const { clock, live } = liveWorld({ ...busy(200, 60_000), b: { skills: { T: { meanHandleTimeSec: 60, arrivalsPerHour: 60 } }, agents: { h: { chatState: 'Online', maxChats: 1, skills: ['T'] } } } })
  clock.advance(6 * 3600 * 1000)
  for (let i = 0; i < 4; i++) live.catchUp()
  const view = live.view()
  t.ok((view.accounts.b?.skills.T?.arrived ?? 0) > 200, `the light account ran its six hours (${view.accounts.b?.skills.T?.arrived} arrivals)`)
  t.ok(live.behindSec > 0, 'while the busy one still lags')
})

t.test('the learned handle time goes on after a reseed, and is dropped when the account stops being live', async (t) => {
  const { world, clock, live, account } = liveWorld(busy(50, 200, { meanHandleTimeSec: 60, handleTime: { distribution: 'exponential', meanSec: 600 } }))
  clock.advance(12 * 3600 * 1000)
  live.catchUp(Infinity)
  const learned = account().handleTimeOf('S') as number
  t.ok(learned > 300, `learned ${learned} s`)
  live.reseed(2)
  live.catchUp(Infinity)
  t.equal(account().handleTimeOf('S'), learned, 'a reseed keeps it')
  const skill = account().skill('S') as NonNullable<ReturnType<Account['skill']>>
  const { arrivalsPerHour: _rate, handleTime: _handle, ...still } = skill
  account().putSkill(still)
  live.catchUp(Infinity)
  t.equal(live.accounts, 0, 'no longer live')
  t.equal(account().handleTimeOf('S'), 60, 'the estimator is back to meanHandleTimeSec')
  t.equal(world.account('a'), account())
})
