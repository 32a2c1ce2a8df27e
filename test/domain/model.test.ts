import t from 'tap'
import fc from 'fast-check'
import { availableSlots, resolveCriterion, type EstimatorSettings } from '../../src/domain/estimator.js'
import { Account, CHAT_STATES, ModelError, type Agent, type Skill } from '../../src/domain/model.js'
import { holds } from '../helpers/property.js'

/** Ids must be unique in an account: one per name, the same for the same name. */
const ids = new Map<string, number>()
const idOf = (name: string): number => ids.get(name) ?? (ids.set(name, ids.size + 1).get(name) as number)

const skill = (name: string, queued: number, meanHandleTimeSec: number, meanPatienceSec?: number): Skill =>
  ({ name, id: idOf(`skill ${name}`), queued, meanHandleTimeSec, meanPatienceSec })

const agent = (loginName: string, chatState: Agent['chatState'], maxChats: number, activeChats: number, skills: string[]): Agent =>
  ({ loginName, id: idOf(`agent ${loginName}`), nickname: loginName, chatState, maxChats, activeChats, skills })

function sample (): Account {
  const account = new Account('1')
  account.putSkill(skill('Sales', 1, 300))
  account.putSkill(skill('Support', 0, 600))
  account.putAgent(agent('A', 'Online', 3, 1, ['Sales']))
  account.putAgent(agent('B', 'Online', 2, 0, ['Sales', 'Support']))
  account.putAgent(agent('C', 'Away', 5, 0, ['Support']))
  return account
}

t.test('agent answers', async (t) => {
  const account = sample()
  t.equal(account.agentSlots('A'), 2, 'maxChats − activeChats')
  t.equal(account.agentSlots('C'), 0, 'not Online: 0')
  t.equal(account.agentSlots('Z'), undefined, 'unknown')
  account.putAgent(agent('U', 'Online', -1, 7, ['Sales']))
  t.equal(account.agentSlots('U'), -1, 'Online and unlimited')
  account.putAgent(agent('U', 'Occupied', -1, 7, ['Sales']))
  t.equal(account.agentSlots('U'), 0, 'unlimited but Occupied')
})

t.test('skill and account answers come from running totals', async (t) => {
  const account = sample()
  t.equal(account.skillSlots('Sales', 0), 3, 'F = 2 + 2, Q = 1')
  t.equal(account.skillSlots('Support', 0), 2, 'only B is Online with Support')
  t.equal(account.skillSlots('Nope', 0), undefined)
  t.equal(account.accountSlots(0), 3, 'F = 4 over A and B once each, Q = 1')
  // Sales: S = 5 slots at 300 s, so R·T = 5 within 300 s; the waiting chats have nobody ahead (Q < F) and the
  // 3rd starts in time with P(Poisson(5) ≥ 3) = 0.875, the 4th with 0.735 < 0.8: 3 at once + 3.
  t.equal(account.skillSlots('Sales', 300), 6)
  t.equal(account.skillSlots('Sales', 300, { criterion: 'mean' }), 8, 'mean: 4 − 1 + ⌊5⌋')
  // The account: A's 3 slots at 300 s, B's 2 at the mean of 300 and 600 s: R·T = 3 + 4/3; P(Poisson(13/3) ≥ 3) = 0.808.
  t.equal(account.accountSlots(300), 6)
  account.putAgent(agent('A', 'Away', 3, 1, ['Sales']))
  // Only B: R·T = 2; the 1st waiting chat starts in time with 0.865, the 2nd with 0.594.
  t.equal(account.skillSlots('Sales', 300), 2, 'an Away agent neither offers slots nor frees them for new chats')
  t.ok(account.removeAgent('B'))
  t.notOk(account.removeAgent('B'), 'already gone')
  t.equal(account.skillSlots('Sales', 0), 0)
  t.equal(account.skillSlots('Support', 0), 0)
})

t.test('the whole account frees each agent at the mean of its skills\' handle times', async (t) => {
  const account = new Account('1')
  account.putSkill(skill('Fast', 0, 100))
  account.putSkill(skill('Slow', 0, 500))
  account.putAgent(agent('A', 'Online', 6, 6, ['Fast', 'Slow']))
  // mean handle time 300 s, 6 slots: R = 6/300 per second; by the mean criterion 86400 s → exactly 1728.
  const mean = { criterion: 'mean' as const }
  t.equal(account.accountSlots(86400, mean), 1728)
  t.equal(account.accountSlots(49, mean), 0, '⌊49·6/300⌋ = 0')
  t.equal(account.accountSlots(50, mean), 1, '⌊50·6/300⌋ = 1, exactly')
  t.equal(account.accountSlots(50), 0, 'probability 0.8: the first release comes within 50 s with 1 − e^−1 = 0.63')
  t.equal(account.accountSlots(81), 1, 'within 81 s: 1 − e^−1.62 = 0.802')
})

t.test('an unlimited Online agent makes its skills and the account unlimited', async (t) => {
  const account = sample()
  account.putAgent(agent('U', 'Online', -1, 0, ['Support']))
  t.equal(account.skillSlots('Support', 0), -1)
  t.equal(account.skillSlots('Sales', 0), 3, 'not its skill')
  t.equal(account.accountSlots(600), -1)
})

t.test('a change that breaks an invariant is refused and changes nothing', async (t) => {
  const account = sample()
  t.throws(() => account.putAgent(agent('A', 'Online', 2, 3, ['Sales'])), new ModelError(
    'activeChats (3) exceeds maxChats (2); allowed: 0..maxChats, or any count when maxChats is -1', ['activeChats']))
  t.throws(() => account.putAgent(agent('A', 'Online', 3, 1, ['Nope'])), new ModelError("skill 'Nope' does not exist in account 1", ['skills', 0]))
  t.throws(() => account.putAgent(agent('A', 'Online', 3, 1, [])), new ModelError('an agent needs at least one skill', ['skills']))
  t.equal(new ModelError('an agent needs at least one skill', ['skills']).message, 'skills: an agent needs at least one skill')
  t.equal(account.agentSlots('A'), 2)
  t.equal(account.skillSlots('Sales', 0), 3)
  t.same(account.problemWith(agent('X', 'Online', 2, 3, ['Sales'])), {
    field: ['activeChats'],
    message: 'activeChats (3) exceeds maxChats (2); allowed: 0..maxChats, or any count when maxChats is -1'
  })
  t.same(account.problemWith(agent('X', 'Online', 2, 0, ['Sales', 'Nope'])), {
    field: ['skills', 1], message: "skill 'Nope' does not exist in account 1"
  })
  t.equal(account.problemWith(agent('X', 'Online', -1, 40, ['Sales'])), undefined, 'unlimited takes any count')
})

/** The same answers computed from scratch over every agent: what the running totals must always equal. */
function reference (skills: Map<string, Skill>, agents: Map<string, Agent>, name: string | undefined, wait: number, scenario?: EstimatorSettings): number {
  const online = [...agents.values()].filter((a) => a.chatState === 'Online' && (name === undefined || a.skills.includes(name)))
  const limited = online.filter((a) => a.maxChats !== -1)
  const free = limited.reduce((sum, a) => sum + a.maxChats - a.activeChats, 0)
  const slots = limited.reduce((sum, a) => sum + a.maxChats, 0)
  const unlimited = online.some((a) => a.maxChats === -1)
  if (name !== undefined) {
    const s = skills.get(name) as Skill
    return availableSlots({
      unlimited, free, slots, queued: s.queued, release: { num: BigInt(slots), den: BigInt(s.meanHandleTimeSec) }, meanPatienceSec: s.meanPatienceSec
    }, wait, resolveCriterion(s.estimator, scenario))
  }
  let num = 0n
  let den = 1n
  for (const a of limited) {
    const handleSum = BigInt(a.skills.reduce((sum, k) => sum + (skills.get(k) as Skill).meanHandleTimeSec, 0))
    num = num * handleSum + BigInt(a.maxChats * a.skills.length) * den
    den *= handleSum
  }
  const queued = [...skills.values()].reduce((sum, s) => sum + s.queued, 0)
  return availableSlots({ unlimited, free, slots, queued, release: { num, den } }, wait, resolveCriterion(undefined, scenario))
}

const NAMES = ['S1', 'S2', 'S3']
const settingsArb: fc.Arbitrary<EstimatorSettings> = fc.oneof(
  fc.constant({}),
  fc.constant({ criterion: 'mean' as const }),
  fc.record({ criterion: fc.constantFrom('probability' as const, undefined), p: fc.constantFrom(0.5, 0.8, 0.95) })
)
const skillArb = fc.record({
  name: fc.constantFrom(...NAMES),
  queued: fc.integer({ min: 0, max: 20 }),
  meanHandleTimeSec: fc.integer({ min: 1, max: 900 }),
  meanPatienceSec: fc.option(fc.integer({ min: 1, max: 900 }), { nil: undefined }),
  estimator: fc.option(settingsArb, { nil: undefined })
}).map((s) => ({ ...s, id: idOf(`skill ${s.name}`) }))
const agentArb = fc.record({
  loginName: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
  chatState: fc.constantFrom(...CHAT_STATES),
  maxChats: fc.integer({ min: -1, max: 6 }),
  activeChats: fc.integer({ min: 0, max: 6 }),
  skills: fc.subarray(NAMES, { minLength: 1 })
}).map((a) => ({ ...a, id: idOf(`agent ${a.loginName}`), nickname: a.loginName, activeChats: a.maxChats === -1 ? a.activeChats : Math.min(a.activeChats, a.maxChats) }))
const op = fc.oneof(
  fc.record({ put: agentArb }),
  fc.record({ remove: fc.constantFrom('a', 'b', 'c', 'd', 'e') }),
  fc.record({ skill: skillArb })
)

t.test('after any sequence of changes, the running totals answer as a recount from scratch', async (t) => {
  holds(t, 'totals = recount', fc.property(fc.array(op, { maxLength: 40 }), fc.integer({ min: 0, max: 86400 }), fc.option(settingsArb, { nil: undefined }), (ops, wait, scenario) => {
    const account = new Account('1')
    const skills = new Map<string, Skill>()
    const agents = new Map<string, Agent>()
    for (const name of NAMES) {
      const s = skill(name, 0, 300)
      skills.set(name, s)
      account.putSkill(s)
    }
    for (const o of ops) {
      if ('put' in o) {
        account.putAgent(o.put)
        agents.set(o.put.loginName, o.put)
      } else if ('remove' in o) {
        account.removeAgent(o.remove)
        agents.delete(o.remove)
      } else {
        account.putSkill(o.skill)
        skills.set(o.skill.name, o.skill)
      }
      // Asked after every change: a remembered answer must be forgotten when its pool changes.
      const same = NAMES.every((n) => account.skillSlots(n, wait, scenario) === reference(skills, agents, n, wait, scenario)) &&
        account.accountSlots(wait, scenario) === reference(skills, agents, undefined, wait, scenario)
      if (!same) return false
    }
    return true
  }), { numRuns: 500 })
})

// Chats started through the admin API. These accounts give every skill and agent its own id.

type Named<T> = Omit<T, 'name' | 'loginName'>
const withId = {
  skill: (name: string, s: Named<Skill>): Skill => ({ name, ...s }),
  agent: (loginName: string, id: number, chatState: Agent['chatState'], maxChats: number, activeChats: number, skills: string[]): Agent =>
    ({ loginName, id, nickname: loginName, chatState, maxChats, activeChats, skills })
}

/** Ann 2 free and Bob 3 free take Sales; Cat is Away; Dan is full; Eve is unlimited but Occupied. */
function chatAccount (): Account {
  const account = new Account('9')
  account.putSkill(withId.skill('Sales', { id: 101, queued: 0, meanHandleTimeSec: 300 }))
  account.putSkill(withId.skill('Support', { id: 102, queued: 1, meanHandleTimeSec: 600 }))
  account.putSkill(withId.skill('Billing', { id: 103, queued: 0, meanHandleTimeSec: 300 }))
  account.putAgent(withId.agent('Ann', 1, 'Online', 3, 1, ['Sales', 'Support']))
  account.putAgent(withId.agent('Bob', 2, 'Online', 4, 1, ['Sales']))
  account.putAgent(withId.agent('Cat', 3, 'Away', 5, 0, ['Sales', 'Support']))
  account.putAgent(withId.agent('Dan', 4, 'Online', 2, 2, ['Support']))
  account.putAgent(withId.agent('Eve', 5, 'Occupied', -1, 0, ['Billing']))
  return account
}

/** Everything the account answers or lists, as a copy. */
const stateOf = (account: Account): unknown => structuredClone({
  skills: account.skillList(),
  agents: account.agentList(),
  chats: [...account.chats.entries()],
  gauges: account.gauges(),
  agentSlots: account.agentList().map((a) => account.agentSlots(a.loginName)),
  skillSlots: account.skillList().map((s) => [account.skillSlots(s.name, 0), account.skillSlots(s.name, 600)]),
  accountSlots: [account.accountSlots(0), account.accountSlots(600)]
})

/** The error `fn` throws, as name, message and field (undefined for errors without one). */
function refusal (fn: () => unknown): { name: string, message: string, field: unknown } {
  try {
    fn()
  } catch (err) {
    const e = err as Error & { field?: unknown }
    return { name: e.name, message: e.message, field: e.field }
  }
  throw new Error('did not throw')
}

const activeOf = (account: Account): Record<string, number> =>
  Object.fromEntries(account.agentList().map((a) => [a.loginName, a.activeChats]))

t.test('a chat goes to the Online agent of its skill with the most free slots, the first added on a tie', async (t) => {
  const account = chatAccount()
  t.strictSame(account.gauges().skills.get('Sales'), { onlineAgents: 2, freeSlots: 5, activeChats: 2, queuedChats: 0 })
  const routed = Array.from({ length: 5 }, () => account.startChat('Sales'))
  t.strictSame(routed, [
    { id: 'chat-1', skill: 'Sales', agent: 'Bob' }, // Bob 3 free, Ann 2
    { id: 'chat-2', skill: 'Sales', agent: 'Ann' }, // 2 and 2: Ann was added first
    { id: 'chat-3', skill: 'Sales', agent: 'Bob' }, // Ann 1, Bob 2
    { id: 'chat-4', skill: 'Sales', agent: 'Ann' }, // 1 and 1
    { id: 'chat-5', skill: 'Sales', agent: 'Bob' } // Ann 0, Bob 1
  ])
  t.strictSame(activeOf(account), { Ann: 3, Bob: 4, Cat: 0, Dan: 2, Eve: 0 }, 'Cat is Away and gets none')
  t.equal(account.agentSlots('Ann'), 0)
  t.equal(account.agentSlots('Bob'), 0)
  t.strictSame(account.gauges().skills.get('Sales'), { onlineAgents: 2, freeSlots: 0, activeChats: 7, queuedChats: 0 })
  t.strictSame(account.startChat('Sales'), { id: 'chat-6', skill: 'Sales' }, 'no free slot: queued')
  t.equal(account.skill('Sales')?.queued, 1)
  t.strictSame(account.gauges().skills.get('Sales'), { onlineAgents: 2, freeSlots: 0, activeChats: 7, queuedChats: 1 })
  t.equal(account.gauges().queuedChats, 2, 'the account counts it too (Support had 1)')
  t.strictSame([...account.chats.keys()], ['chat-1', 'chat-2', 'chat-3', 'chat-4', 'chat-5', 'chat-6'])
})

t.test('a chat of a skill only a full agent, an Away one or an Occupied unlimited one has is queued', async (t) => {
  const account = chatAccount()
  t.strictSame(account.startChat('Support'), { id: 'chat-1', skill: 'Support', agent: 'Ann' }, 'Dan is full, Cat Away')
  t.strictSame(account.startChat('Billing'), { id: 'chat-2', skill: 'Billing' }, 'Eve is unlimited but Occupied')
  t.equal(account.skill('Billing')?.queued, 1)
  t.equal(account.skill('Support')?.queued, 1, 'the routed one is not queued')
  t.equal(account.agent('Eve')?.activeChats, 0)
})

t.test('an Online unlimited agent is preferred to any count of free slots, the first of two', async (t) => {
  const account = chatAccount()
  account.putAgent(withId.agent('Uma', 6, 'Online', -1, 4, ['Sales']))
  account.putAgent(withId.agent('Zed', 7, 'Online', -1, 0, ['Sales']))
  t.strictSame(account.startChat('Sales'), { id: 'chat-1', skill: 'Sales', agent: 'Uma' })
  t.strictSame(account.startChat('Sales'), { id: 'chat-2', skill: 'Sales', agent: 'Uma' }, 'still unlimited')
  t.equal(account.agent('Uma')?.activeChats, 6)
  t.equal(account.agent('Bob')?.activeChats, 1)
  t.equal(account.agentSlots('Uma'), -1)
})

t.test('a chat for a given agent', async (t) => {
  const account = chatAccount()
  t.strictSame(account.startChat('Sales', 'Ann'), { id: 'chat-1', skill: 'Sales', agent: 'Ann' }, 'even though Bob has more free slots')
  t.equal(account.agent('Ann')?.activeChats, 2)
  t.equal(account.agentSlots('Ann'), 1)
  t.strictSame(account.startChat('Support', 'Ann'), { id: 'chat-2', skill: 'Support', agent: 'Ann' })
  t.equal(account.agentSlots('Ann'), 0)
  account.putAgent(withId.agent('Uma', 6, 'Online', -1, 0, ['Billing']))
  t.strictSame(account.startChat('Billing', 'Uma'), { id: 'chat-3', skill: 'Billing', agent: 'Uma' }, 'unlimited takes any')
  t.equal(account.agent('Uma')?.activeChats, 1)
})

t.test('a chat that cannot start is refused and changes nothing', async (t) => {
  const account = chatAccount()
  account.startChat('Support')
  const before = stateOf(account)
  t.strictSame(refusal(() => account.startChat('Nope')),
    { name: 'ModelError', message: "skill: skill 'Nope' does not exist in account 9", field: ['skill'] })
  t.strictSame(refusal(() => account.startChat('Nope', 'Ann')),
    { name: 'ModelError', message: "skill: skill 'Nope' does not exist in account 9", field: ['skill'] }, 'the skill is checked first')
  t.strictSame(refusal(() => account.startChat('Sales', 'Zoe')),
    { name: 'ModelError', message: "agent: agent 'Zoe' does not exist in account 9", field: ['agent'] })
  t.strictSame(refusal(() => account.startChat('Billing', 'Ann')),
    { name: 'ModelError', message: "agent: agent 'Ann' does not have skill 'Billing'", field: ['agent'] })
  t.strictSame(refusal(() => account.startChat('Support', 'Dan')), {
    name: 'ConflictError',
    message: 'agent \'Dan\' has all 2 of its chats, so it has no free slot; leave out "agent" to queue the chat instead',
    field: undefined
  })
  t.strictSame(refusal(() => account.startChat('Sales', 'Cat')), {
    name: 'ConflictError',
    message: 'agent \'Cat\' is Away, so it has no free slot; leave out "agent" to queue the chat instead',
    field: undefined
  }, 'not Online: no free slot, however many are free')
  t.strictSame(stateOf(account), before, 'slots, gauges, agents, skills and chats as they were')
  t.strictSame(account.startChat('Billing'), { id: 'chat-2', skill: 'Billing' }, 'no chat id was used up by the refusals')
})

t.test('ending a chat frees its slot or shortens its queue', async (t) => {
  const account = chatAccount()
  const initial = stateOf(account)
  const routed = account.startChat('Sales')
  const queued = account.startChat('Billing')
  t.strictSame([routed, queued], [{ id: 'chat-1', skill: 'Sales', agent: 'Bob' }, { id: 'chat-2', skill: 'Billing' }])
  t.equal(account.agentSlots('Bob'), 2)
  t.equal(account.skill('Billing')?.queued, 1)
  t.strictSame(account.endChat('chat-1'), { id: 'chat-1', skill: 'Sales', agent: 'Bob' })
  t.equal(account.agentSlots('Bob'), 3)
  t.equal(account.agent('Bob')?.activeChats, 1)
  t.strictSame(account.endChat('chat-2'), { id: 'chat-2', skill: 'Billing' })
  t.equal(account.skill('Billing')?.queued, 0)
  t.equal(account.endChat('chat-2'), undefined, 'already ended')
  t.equal(account.endChat('chat-99'), undefined, 'never started')
  t.strictSame(stateOf(account), initial, 'back as it was')
  t.strictSame(account.startChat('Sales'), { id: 'chat-3', skill: 'Sales', agent: 'Bob' }, 'an ended chat\'s id is not given again')
})

t.test('an agent cannot count fewer chats than those routed to it, nor drop a skill one of them uses', async (t) => {
  const account = chatAccount()
  account.startChat('Sales', 'Ann')
  account.startChat('Support', 'Ann')
  t.equal(account.agent('Ann')?.activeChats, 3)
  const before = stateOf(account)
  t.strictSame(refusal(() => account.putAgent(withId.agent('Ann', 1, 'Online', 3, 1, ['Sales', 'Support']))), {
    name: 'ModelError',
    message: 'activeChats: activeChats (1) is less than the 2 chats routed to the agent through the admin API (chat-1, chat-2); end those first',
    field: ['activeChats']
  })
  t.strictSame(refusal(() => account.putAgent(withId.agent('Ann', 1, 'Online', 3, 3, ['Sales']))), {
    name: 'ModelError',
    message: "skills: chat chat-2 of skill 'Support' is routed to the agent; keep the skill or end the chat first",
    field: ['skills']
  })
  t.strictSame(account.problemWith(withId.agent('Ann', 1, 'Online', 3, 3, ['Support'])), {
    field: ['skills'], message: "chat chat-1 of skill 'Sales' is routed to the agent; keep the skill or end the chat first"
  })
  t.strictSame(stateOf(account), before)
  account.putAgent(withId.agent('Ann', 1, 'Away', 3, 2, ['Support', 'Sales']))
  t.equal(account.agent('Ann')?.activeChats, 2, 'as many as are routed: allowed, in any state')
  t.strictSame(account.endChat('chat-2'), { id: 'chat-2', skill: 'Support', agent: 'Ann' })
  t.equal(account.agent('Ann')?.activeChats, 1, 'ending it took one off')
  account.putAgent(withId.agent('Ann', 1, 'Online', 3, 1, ['Sales']))
  t.strictSame(account.agent('Ann')?.skills, ['Sales'], 'once the Support chat ended, the skill can go')
})

t.test('a skill cannot count fewer queued than the chats queued for it; ids are unique', async (t) => {
  const account = chatAccount()
  account.startChat('Billing')
  account.startChat('Billing')
  t.equal(account.skill('Billing')?.queued, 2)
  const before = stateOf(account)
  t.strictSame(refusal(() => account.putSkill(withId.skill('Billing', { id: 103, queued: 1, meanHandleTimeSec: 300 }))), {
    name: 'ModelError',
    message: 'queued: queued (1) is less than the 2 chats queued through the admin API (chat-1, chat-2); end those first',
    field: ['queued']
  })
  t.strictSame(refusal(() => account.putSkill(withId.skill('Returns', { id: 101, queued: 0, meanHandleTimeSec: 300 }))), {
    name: 'ModelError',
    message: "id: skill id 101 is already used by skill 'Sales'; ids must be unique in an account",
    field: ['id']
  })
  t.strictSame(refusal(() => account.putSkill(withId.skill('Billing', { id: 102, queued: 2, meanHandleTimeSec: 300 }))), {
    name: 'ModelError',
    message: "id: skill id 102 is already used by skill 'Support'; ids must be unique in an account",
    field: ['id']
  }, 'nor can a skill take another\'s id')
  t.strictSame(stateOf(account), before)
  t.equal(account.skill('Returns'), undefined)
  account.putSkill(withId.skill('Billing', { id: 103, queued: 2, meanHandleTimeSec: 120 }))
  t.equal(account.skill('Billing')?.meanHandleTimeSec, 120, 'its own id, queued as many as are tracked: allowed')
  account.putSkill(withId.skill('Sales', { id: 201, queued: 0, meanHandleTimeSec: 300 }))
  account.putSkill(withId.skill('Returns', { id: 101, queued: 0, meanHandleTimeSec: 300 }))
  t.strictSame(account.skillList().map((s) => [s.name, s.id]), [['Sales', 201], ['Support', 102], ['Billing', 103], ['Returns', 101]],
    'an id given up can be taken')
})

t.test('agent ids are unique in an account', async (t) => {
  const account = chatAccount()
  const before = stateOf(account)
  t.strictSame(refusal(() => account.putAgent(withId.agent('Xan', 1, 'Online', 2, 0, ['Sales']))), {
    name: 'ModelError', message: "id: agent id 1 is already used by agent 'Ann'; ids must be unique in an account", field: ['id']
  })
  t.strictSame(refusal(() => account.putAgent(withId.agent('Bob', 1, 'Online', 4, 1, ['Sales']))), {
    name: 'ModelError', message: "id: agent id 1 is already used by agent 'Ann'; ids must be unique in an account", field: ['id']
  }, 'nor by changing an agent\'s id')
  t.strictSame(stateOf(account), before)
  account.putAgent(withId.agent('Ann', 10, 'Online', 3, 1, ['Sales', 'Support']))
  account.putAgent(withId.agent('Xan', 1, 'Online', 2, 0, ['Sales']))
  t.equal(account.agent('Xan')?.id, 1, 'Ann gave up id 1')
  t.ok(account.removeAgent('Bob'))
  account.putAgent(withId.agent('Yul', 2, 'Online', 2, 0, ['Sales']))
  t.equal(account.agent('Yul')?.id, 2, 'a removed agent gives up its id')
  t.strictSame(refusal(() => account.putAgent(withId.agent('Zak', 10, 'Online', 2, 0, ['Sales']))).message,
    "id: agent id 10 is already used by agent 'Ann'; ids must be unique in an account")
})

t.test('removing an agent ends its chats; queued chats and other agents\' chats stay', async (t) => {
  const account = chatAccount()
  account.startChat('Sales', 'Ann')
  account.startChat('Sales', 'Bob')
  account.startChat('Support', 'Ann')
  account.startChat('Billing')
  t.ok(account.removeAgent('Ann'))
  t.strictSame([...account.chats.values()], [{ id: 'chat-2', skill: 'Sales', agent: 'Bob' }, { id: 'chat-4', skill: 'Billing' }])
  t.equal(account.endChat('chat-1'), undefined, 'gone with the agent')
  t.strictSame(account.gauges().skills.get('Sales'), { onlineAgents: 1, freeSlots: 2, activeChats: 2, queuedChats: 0 })
  t.strictSame(account.gauges().skills.get('Support'), { onlineAgents: 1, freeSlots: 0, activeChats: 2, queuedChats: 1 })
  account.putAgent(withId.agent('Ann', 1, 'Online', 3, 0, ['Billing']))
  t.equal(account.agent('Ann')?.activeChats, 0, 'an agent of the same name starts afresh: no chats are routed to it')
  t.strictSame(account.startChat('Sales'), { id: 'chat-5', skill: 'Sales', agent: 'Bob' })
})

t.test('restoreChat takes in a chat already counted, and new chat ids follow it', async (t) => {
  const account = chatAccount()
  const before = stateOf(account) as { gauges: unknown }
  t.equal(account.restoreChat({ id: 'chat-7', skill: 'Sales', agent: 'Ann' }), undefined)
  t.equal(account.restoreChat({ id: 'mine', skill: 'Support' }), undefined)
  t.strictSame((stateOf(account) as { gauges: unknown }).gauges, before.gauges, 'no count changes: they were already counted')
  t.strictSame(account.startChat('Billing'), { id: 'chat-8', skill: 'Billing' })
  t.strictSame(account.restoreChat({ id: 'x', skill: 'Support' }), {
    field: ['skill'], message: "skill 'Support' has queued 1, fewer than the queued chats listed for it"
  })
  t.strictSame(account.restoreChat({ id: 'y', skill: 'Sales', agent: 'Ann' }), {
    field: ['agent'], message: "agent 'Ann' has activeChats 1, fewer than the chats listed for it"
  })
  t.strictSame(account.restoreChat({ id: 'z', skill: 'Billing', agent: 'Bob' }), { field: ['agent'], message: "agent 'Bob' does not have skill 'Billing'" })
  t.strictSame(account.restoreChat({ id: 'z', skill: 'Sales', agent: 'Zoe' }), { field: ['agent'], message: "agent 'Zoe' does not exist in account 9" })
  t.strictSame(account.restoreChat({ id: 'z', skill: 'Nope' }), { field: ['skill'], message: "skill 'Nope' does not exist in account 9" })
  t.strictSame([...account.chats.keys()], ['chat-7', 'mine', 'chat-8'], 'none of the refused was taken in')
})

const uniqueAgentArb = agentArb.map((a) => ({ ...a, id: 'abcde'.indexOf(a.loginName) + 1 }))
const uniqueSkillArb = skillArb.map((s) => ({ ...s, id: NAMES.indexOf(s.name) + 1 }))
// Weighted so that runs route, queue, end and refuse chats of every kind (hundreds of each over the runs).
const chatOp = fc.oneof(
  { arbitrary: fc.record({ put: uniqueAgentArb }), weight: 3 },
  { arbitrary: fc.record({ remove: fc.constantFrom('a', 'b', 'c', 'd', 'e') }), weight: 1 },
  { arbitrary: fc.record({ skill: uniqueSkillArb }), weight: 1 },
  { arbitrary: fc.record({ start: fc.record({ skill: fc.constantFrom(...NAMES), agent: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { nil: undefined }) }) }), weight: 4 },
  { arbitrary: fc.record({ end: fc.integer({ min: 1, max: 12 }) }), weight: 2 }
)

/** stateOf as a string to compare: Maps as their entries, Infinity spelled out. */
const stateKey = (state: unknown): string => JSON.stringify(state, (_key, value: unknown) =>
  value instanceof Map ? [...value] : value === Infinity ? 'Infinity' : value === undefined ? 'undefined' : value)

/** The invariants that tie tracked chats to the counts, and the totals to a recount. */
function consistent (account: Account, wait: number): boolean {
  const skills = new Map(account.skillList().map((s) => [s.name, { ...s }]))
  const agents = new Map(account.agentList().map((a) => [a.loginName, { ...a }]))
  const chats = [...account.chats.values()]
  for (const a of agents.values()) {
    const routed = chats.filter((c) => c.agent === a.loginName)
    if (routed.length > a.activeChats || routed.some((c) => !a.skills.includes(c.skill))) return false
    if (a.maxChats !== -1 && a.activeChats > a.maxChats) return false
  }
  for (const s of skills.values()) if (chats.filter((c) => c.agent === undefined && c.skill === s.name).length > s.queued) return false
  if (chats.some((c) => c.agent !== undefined && !agents.has(c.agent))) return false
  return NAMES.every((n) => account.skillSlots(n, wait) === reference(skills, agents, n, wait)) &&
    account.accountSlots(wait) === reference(skills, agents, undefined, wait)
}

t.test('with chats started and ended among any changes, refusals change nothing and the totals answer as a recount', async (t) => {
  holds(t, 'chats keep the invariants', fc.property(fc.array(chatOp, { minLength: 20, maxLength: 80 }), fc.integer({ min: 0, max: 86400 }), (ops, wait) => {
    const account = new Account('1')
    NAMES.forEach((name, i) => account.putSkill({ name, id: i + 1, queued: 0, meanHandleTimeSec: 300 }))
    for (const o of ops) {
      const before = stateOf(account)
      try {
        if ('put' in o) account.putAgent(o.put)
        else if ('remove' in o) account.removeAgent(o.remove)
        else if ('skill' in o) account.putSkill(o.skill)
        else if ('start' in o) account.startChat(o.start.skill, o.start.agent)
        else account.endChat(`chat-${o.end}`)
      } catch (err) {
        if (!['ModelError', 'ConflictError'].includes((err as Error).name)) throw err
        if (stateKey(stateOf(account)) !== stateKey(before)) return false
      }
      if (!consistent(account, wait)) return false
    }
    return true
  }), { numRuns: 300 })
})
