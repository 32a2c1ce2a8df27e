import t from 'tap'
import fc from 'fast-check'
import { availableSlots } from '../../src/domain/estimator.js'
import { Account, CHAT_STATES, ModelError, type Agent, type Skill } from '../../src/domain/model.js'
import { holds } from '../helpers/property.js'

const skill = (name: string, queued: number, meanHandleTimeSec: number, meanPatienceSec?: number): Skill =>
  ({ name, id: name.length, queued, meanHandleTimeSec, meanPatienceSec })

const agent = (loginName: string, chatState: Agent['chatState'], maxChats: number, activeChats: number, skills: string[]): Agent =>
  ({ loginName, id: loginName.length, nickname: loginName, chatState, maxChats, activeChats, skills })

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
  // A: 1 chat at 300 s; B: none. Within 300 s one frees up: 4 − 1 + 1.
  t.equal(account.skillSlots('Sales', 300), 4)
  t.equal(account.accountSlots(300), 4)
  account.putAgent(agent('A', 'Away', 3, 1, ['Sales']))
  t.equal(account.skillSlots('Sales', 300), 1, 'an Away agent neither offers slots nor frees them for new chats')
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
  // mean handle time 300 s, 6 busy slots: R = 6/300 per second; 86400 s → exactly 1728.
  t.equal(account.accountSlots(86400), 1728)
  t.equal(account.accountSlots(49), 0, '⌊49·6/300⌋ = 0')
  t.equal(account.accountSlots(50), 1, '⌊50·6/300⌋ = 1, exactly')
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
    'activeChats: activeChats (3) exceeds maxChats (2); allowed: 0..maxChats, or any count when maxChats is -1'))
  t.throws(() => account.putAgent(agent('A', 'Online', 3, 1, ['Nope'])), new ModelError("skills.0: skill 'Nope' does not exist in account 1"))
  t.throws(() => account.putAgent(agent('A', 'Online', 3, 1, [])), new ModelError('skills: an agent needs at least one skill'))
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
function reference (skills: Map<string, Skill>, agents: Map<string, Agent>, name: string | undefined, wait: number): number {
  const online = [...agents.values()].filter((a) => a.chatState === 'Online' && (name === undefined || a.skills.includes(name)))
  const free = online.reduce((sum, a) => sum + (a.maxChats === -1 ? 0 : a.maxChats - a.activeChats), 0)
  const unlimited = online.some((a) => a.maxChats === -1)
  if (name !== undefined) {
    const s = skills.get(name) as Skill
    const active = online.reduce((sum, a) => sum + a.activeChats, 0)
    return availableSlots({
      unlimited, free, queued: s.queued, release: { num: BigInt(active), den: BigInt(s.meanHandleTimeSec) }, meanPatienceSec: s.meanPatienceSec
    }, wait)
  }
  let num = 0n
  let den = 1n
  for (const a of online) {
    const handleSum = BigInt(a.skills.reduce((sum, k) => sum + (skills.get(k) as Skill).meanHandleTimeSec, 0))
    num = num * handleSum + BigInt(a.activeChats * a.skills.length) * den
    den *= handleSum
  }
  const queued = [...skills.values()].reduce((sum, s) => sum + s.queued, 0)
  return availableSlots({ unlimited, free, queued, release: { num, den } }, wait)
}

const NAMES = ['S1', 'S2', 'S3']
const skillArb = fc.record({
  name: fc.constantFrom(...NAMES),
  queued: fc.integer({ min: 0, max: 20 }),
  meanHandleTimeSec: fc.integer({ min: 1, max: 900 }),
  meanPatienceSec: fc.option(fc.integer({ min: 1, max: 900 }), { nil: undefined })
}).map((s) => ({ ...s, id: 1 }))
const agentArb = fc.record({
  loginName: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
  chatState: fc.constantFrom(...CHAT_STATES),
  maxChats: fc.integer({ min: -1, max: 6 }),
  activeChats: fc.integer({ min: 0, max: 6 }),
  skills: fc.subarray(NAMES, { minLength: 1 })
}).map((a) => ({ ...a, id: 1, nickname: a.loginName, activeChats: a.maxChats === -1 ? a.activeChats : Math.min(a.activeChats, a.maxChats) }))
const op = fc.oneof(
  fc.record({ put: agentArb }),
  fc.record({ remove: fc.constantFrom('a', 'b', 'c', 'd', 'e') }),
  fc.record({ skill: skillArb })
)

t.test('after any sequence of changes, the running totals answer as a recount from scratch', async (t) => {
  holds(t, 'totals = recount', fc.property(fc.array(op, { maxLength: 40 }), fc.integer({ min: 0, max: 86400 }), (ops, wait) => {
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
    }
    return NAMES.every((n) => account.skillSlots(n, wait) === reference(skills, agents, n, wait)) &&
      account.accountSlots(wait) === reference(skills, agents, undefined, wait)
  }), { numRuns: 500 })
})
