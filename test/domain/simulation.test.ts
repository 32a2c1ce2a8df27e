import t from 'tap'
import fc from 'fast-check'
import { holds } from '../helpers/property.js'
import { PoolSimulation, Random, type AgentSpec, type HandleTime, type PoolListener, type SkillSpec } from '../../src/domain/simulation.js'

const exponential = (meanSec: number): HandleTime => ({ distribution: 'exponential', meanSec })
const skill = (name: string, extra: Partial<SkillSpec> = {}): SkillSpec => ({ name, handleTime: exponential(100), ...extra })
const agent = (name: string, maxChats: number, skills: string[], online = true): AgentSpec => ({ name, maxChats, skills, online })

/** Every change as one line, for comparing runs byte for byte. */
function tracer (): { lines: string[], listener: PoolListener } {
  const lines: string[] = []
  return {
    lines,
    listener: {
      arrived: (id, skill, at) => lines.push(`${at} arrived ${id} ${skill}`),
      started: (id, skill, agent, at, arrivedAt) => lines.push(`${at} started ${id} ${skill} ${agent} ${arrivedAt}`),
      ended: (id, skill, agent, at) => lines.push(`${at} ended ${id} ${skill} ${agent}`),
      abandoned: (id, skill, at, arrivedAt) => lines.push(`${at} abandoned ${id} ${skill} ${arrivedAt}`)
    }
  }
}

t.test('a chat takes a free slot at once, else waits behind those queued before it', async (t) => {
  const sim = new PoolSimulation({ seed: 1, skills: [skill('s')], agents: [agent('a', 1, ['s']), agent('b', 1, ['s'])] })
  const [first, second, third, fourth] = [sim.enqueue('s'), sim.enqueue('s'), sim.enqueue('s'), sim.enqueue('s')]
  t.same([first, second, third, fourth], [1, 2, 3, 4], 'ids in arrival order')
  t.equal(sim.chat(first as number)?.state, 'active')
  t.equal(sim.chat(second as number)?.state, 'active')
  t.same(sim.chat(third as number), { id: 3, skill: 's', state: 'queued', arrivedAt: 0 })
  t.same(sim.counters('s'), { arrived: 4, started: 2, ended: 0, abandoned: 0, queued: 2, active: 2 })
  const starts: number[] = []
  sim.listener = { started: (id) => starts.push(id) }
  sim.run(Infinity)
  t.same(starts, [3, 4], 'the third before the fourth')
  t.same(sim.counters('s'), { arrived: 4, started: 4, ended: 4, abandoned: 0, queued: 0, active: 0 })
  t.equal(sim.liveChats, 0, 'nothing is remembered once every chat has ended')
  t.equal(sim.chat(first as number), undefined)
  t.equal(sim.events, 4, 'four ends')
})

t.test('the least loaded Online agent with the skill and a free slot gets the chat; ties go by the seed', async (t) => {
  const agents = [agent('busy', 4, ['s']), agent('b', 4, ['s']), agent('c', 4, ['s']), agent('away', 4, ['s'], false), agent('other', 4, ['x'])]
  const chosen = new Map<string, number>()
  for (let seed = 1; seed <= 200; seed++) {
    const sim = new PoolSimulation({ seed, skills: [skill('s'), skill('x')], agents })
    sim.startChatOn('busy', 's')
    sim.startChatOn('busy', 's')
    sim.startChatOn('b', 's')
    sim.startChatOn('c', 's')
    const first = sim.chat(sim.enqueue('s'))
    const second = sim.chat(sim.enqueue('s'))
    if (first?.state !== 'active' || second?.state !== 'active') throw new Error('the chats should have started')
    chosen.set(first.agent, (chosen.get(first.agent) ?? 0) + 1)
    // b and c had 1 chat, busy 2: the second chat goes to the one of b and c the first did not take.
    if ([first.agent, second.agent].sort().join() !== 'b,c') t.fail(`seed ${seed}: ${first.agent} then ${second.agent}`)
    // Now busy, b and c all have 2: a tie of three.
    const third = sim.chat(sim.enqueue('s'))
    if (third?.state !== 'active' || !['busy', 'b', 'c'].includes(third.agent)) t.fail(`seed ${seed}: third chat ${JSON.stringify(third)}`)
  }
  t.same([...chosen.keys()].sort(), ['b', 'c'], 'only b or c takes the first chat')
  // Binomial(200, 1/2): sd ≈ 7.1, so 100 ± 4 sd is 72..128.
  const b = chosen.get('b') ?? 0
  t.ok(b >= 72 && b <= 128, `b took the first chat ${b} times in 200`)
})

t.test('startChatOn refuses a full agent or a skill the agent lacks, and changes nothing', async (t) => {
  const sim = new PoolSimulation({ seed: 1, skills: [skill('s'), skill('x')], agents: [agent('a', 1, ['s']), agent('u', -1, ['s'], false)] })
  sim.startChatOn('a', 's')
  t.throws(() => sim.startChatOn('a', 's'), { message: 'agent a already has all 1 of its chats' })
  t.throws(() => sim.startChatOn('u', 'x'), { message: 'agent u does not have skill x' })
  t.throws(() => sim.startChatOn('nobody', 's'), { message: 'unknown agent nobody' })
  for (let i = 0; i < 50; i++) sim.startChatOn('u', 's')
  t.equal(sim.agent('u').activeChats, 50, 'an unlimited agent, even Offline, takes any number this way')
  t.same(sim.counters('s'), { arrived: 51, started: 51, ended: 0, abandoned: 0, queued: 0, active: 51 })
  t.same(sim.counters('x'), { arrived: 0, started: 0, ended: 0, abandoned: 0, queued: 0, active: 0 })
})

t.test('options are checked', async (t) => {
  const make = (over: Partial<{ seed: number, skills: SkillSpec[], agents: AgentSpec[] }>): PoolSimulation =>
    new PoolSimulation({ seed: 1, skills: [skill('s')], agents: [], ...over })
  t.throws(() => make({ seed: 0 }), /seed must be an integer from 1 to 4294967295/)
  t.throws(() => make({ skills: [skill('s'), skill('s')] }), /skill s is given twice/)
  t.throws(() => make({ skills: [skill('s', { handleTime: exponential(0) })] }), /meanSec must be a positive number/)
  t.throws(() => make({ skills: [skill('s', { handleTime: { distribution: 'lognormal', meanSec: 1, cv: -1 } })] }), /cv must be a number ≥ 0/)
  t.throws(() => make({ skills: [skill('s', { meanPatienceSec: 0 })] }), /meanPatienceSec must be positive/)
  t.throws(() => make({ skills: [skill('s', { arrivalsPerSec: -1 })] }), /arrivalsPerSec must be a number ≥ 0/)
  t.throws(() => make({ agents: [agent('a', 1.5, ['s'])] }), /maxChats must be an integer ≥ 0, or -1/)
  t.throws(() => make({ agents: [agent('a', 1, ['s', 's'])] }), /skill s is given twice/)
  t.throws(() => make({ agents: [agent('a', 1, ['t'])] }), /unknown skill t/)
  t.throws(() => make({}).enqueue('s', { patienceSec: -1 }), /patienceSec must be a number ≥ 0/)
  const sim = make({})
  sim.run(10)
  t.equal(sim.now, 10, 'the clock moves to the end of the run, events or not')
  t.throws(() => sim.run(9), /cannot run back to 9/)
})

t.test('a chat with patience Infinity never abandons; its neighbours draw theirs from the skill', async (t) => {
  const seeds = 50
  for (let seed = 1; seed <= seeds; seed++) {
    const sim = new PoolSimulation({ seed, skills: [skill('s', { handleTime: exponential(1000), meanPatienceSec: 1 })], agents: [agent('a', 2, ['s'])] })
    sim.startChatOn('a', 's')
    sim.startChatOn('a', 's')
    const patient = new Set<number>()
    for (let i = 0; i < 10; i++) {
      const id = sim.enqueue('s', i % 2 === 0 ? { patienceSec: Infinity } : {})
      if (i % 2 === 0) patient.add(id)
    }
    const abandoned: number[] = []
    sim.listener = { abandoned: (id) => abandoned.push(id) }
    sim.run(Infinity)
    if (abandoned.some((id) => patient.has(id))) t.fail(`seed ${seed}: a chat with infinite patience abandoned`)
    const counters = sim.counters('s')
    // With 1 s of patience against 500 s between releases, the other five all go: P(one stays) ≈ 1/501 each.
    if (counters.abandoned > 5 || counters.ended + counters.abandoned !== 12) t.fail(`seed ${seed}: ${JSON.stringify(counters)}`)
  }
  t.pass(`${seeds} seeds: the five patient chats all started`)
})

t.test('chats whose patience runs out at the same time abandon in arrival order, at that time exactly', async (t) => {
  const sim = new PoolSimulation({ seed: 3, skills: [skill('s')], agents: [] })
  sim.run(1.5)
  const ids = [sim.enqueue('s', { patienceSec: 5 }), sim.enqueue('s', { patienceSec: 5 }), sim.enqueue('s', { patienceSec: 0 })]
  const seen: string[] = []
  sim.listener = { abandoned: (id, skill, at, arrivedAt) => seen.push(`${id}@${at} from ${arrivedAt}`) }
  t.equal(sim.run(6.5, () => seen.length === 2), true, 'stopped once two had gone')
  t.same(seen, [`${ids[2]}@1.5 from 1.5`, `${ids[0]}@6.5 from 1.5`], 'patience 0 goes first, at once')
  t.equal(sim.now, 6.5, 'the clock is at the event that stopped the run')
  sim.run(100)
  t.same(seen.slice(2), [`${ids[1]}@6.5 from 1.5`])
})

t.test('an agent coming Online takes the oldest queued chats across its skills; Offline, it takes none but its chats end', async (t) => {
  const { lines, listener } = tracer()
  const sim = new PoolSimulation({ seed: 5, skills: [skill('x'), skill('y')], agents: [agent('a', 2, ['x', 'y'], false)], listener })
  const x1 = sim.enqueue('x')
  const y1 = sim.enqueue('y')
  const x2 = sim.enqueue('x')
  t.same(sim.counters('x').queued + sim.counters('y').queued, 3, 'no agent Online: all queued')
  lines.length = 0
  sim.setOnline('a', true)
  t.same(lines, [`0 started ${x1} x a 0`, `0 started ${y1} y a 0`], 'the two oldest, across both skills')
  t.equal(sim.chat(x2)?.state, 'queued')
  sim.setOnline('a', false)
  lines.length = 0
  sim.run(Infinity)
  t.equal(lines.filter((line) => line.includes('started')).length, 0, 'Offline: no new chat')
  t.equal(lines.filter((line) => line.includes('ended')).length, 2, 'but its chats end')
  t.equal(sim.agent('a').activeChats, 0)
  sim.setOnline('a', true)
  t.equal(sim.chat(x2)?.state, 'active', 'back Online, it takes the last one')
})

t.test('a new arrival rate replaces the pending arrival', async (t) => {
  const sim = new PoolSimulation({ seed: 9, skills: [skill('s', { arrivalsPerSec: 1 })], agents: [] })
  sim.run(100)
  const before = sim.counters('s').arrived
  t.ok(before > 60 && before < 140, `Poisson(100) arrivals: ${before} (mean ± 4 sd)`)
  sim.setArrivalRate('s', 0)
  sim.run(1000)
  t.equal(sim.counters('s').arrived, before, 'rate 0: no more arrivals')
  sim.setArrivalRate('s', 2)
  sim.setArrivalRate('s', 2)
  sim.run(1100)
  const after = sim.counters('s').arrived - before
  t.ok(after > 200 - 4 * Math.sqrt(200) && after < 200 + 4 * Math.sqrt(200), `Poisson(200) arrivals in 100 s at 2/s: ${after}`)
})

t.test('the same seed and the same calls give the same run, byte for byte; another seed, another run', async (t) => {
  const runOnce = (seed: number): string => {
    const { lines, listener } = tracer()
    const skills = [
      skill('chat', { arrivalsPerSec: 0.05, meanPatienceSec: 60 }),
      skill('sales', { handleTime: { distribution: 'lognormal', meanSec: 120, cv: 1.5 }, arrivalsPerSec: 0.03, meanPatienceSec: 30 })
    ]
    const agents = [agent('a', 2, ['chat']), agent('b', 1, ['chat', 'sales']), agent('c', -1, ['sales'], false)]
    const sim = new PoolSimulation({ seed, skills, agents, listener })
    sim.startChatOn('a', 'chat')
    sim.enqueue('sales', { patienceSec: Infinity })
    sim.run(2000)
    sim.setOnline('c', true)
    sim.run(2500)
    sim.setOnline('c', false)
    sim.run(6000)
    lines.push(JSON.stringify([sim.counters('chat'), sim.counters('sales'), sim.events]))
    return lines.join('\n')
  }
  const first = runOnce(42)
  t.ok(first.split('\n').length > 500, 'a run with hundreds of changes')
  t.equal(runOnce(42), first)
  t.not(runOnce(43), first)
})

t.test('a long run keeps only the chats in the pool', async (t) => {
  const sim = new PoolSimulation({
    seed: 11,
    skills: [skill('s', { arrivalsPerSec: 0.5, meanPatienceSec: 20, handleTime: exponential(30) })],
    agents: [agent('a', 4, ['s']), agent('b', 4, ['s'])]
  })
  let most = 0
  for (let time = 1000; time <= 200_000; time += 1000) {
    sim.run(time)
    most = Math.max(most, sim.liveChats)
    const counters = sim.counters('s')
    if (sim.liveChats !== counters.active + counters.queued) t.fail(`at ${time}: ${sim.liveChats} remembered, ${JSON.stringify(counters)}`)
  }
  t.ok(sim.counters('s').arrived > 90_000, `${sim.counters('s').arrived} chats came`)
  t.ok(most < 100, `at most ${most} remembered at once`)
})

t.test('cancelled abandonments are dropped from the heap in bulk; the live ones stay', async (t) => {
  // Handle times of exactly 10 s (lognormal, cv 0), so that the heap's size is known at every step.
  const fixed: HandleTime = { distribution: 'lognormal', meanSec: 10, cv: 0 }
  const sim = new PoolSimulation({ seed: 13, skills: [skill('a', { handleTime: fixed }), skill('b')], agents: [agent('u', -1, ['a'], false)] })
  const wave = (): void => {
    for (let i = 0; i < 1500; i++) sim.enqueue('a', { patienceSec: 1000 })
    sim.setOnline('u', true)
  }
  // Each start cancels an abandonment and adds an end: at the 1499th start the 1499 cancelled are half the heap, and go.
  wave()
  t.equal(sim.pendingEvents, 1500 + 1, '1500 ends and 1 cancelled abandonment (not 1500)')
  sim.run(20)
  t.equal(sim.pendingEvents, 1, 'the ends are done; the last cancelled abandonment waits for its time')
  sim.setOnline('u', false)
  const impatient = [sim.enqueue('b', { patienceSec: 50 }), sim.enqueue('b', { patienceSec: 50 })]
  wave()
  t.equal(sim.pendingEvents, 1500 + 2, '1500 ends and the 2 live abandonments; the 1501 cancelled went at the last start')
  const abandoned: string[] = []
  sim.listener = { abandoned: (id, _skill, at) => abandoned.push(`${id}@${at}`) }
  sim.run(Infinity)
  t.same(abandoned, [`${impatient[0]}@70`, `${impatient[1]}@70`], 'the live abandonments kept their times and order')
  t.same(sim.counters('a'), { arrived: 3000, started: 3000, ended: 3000, abandoned: 0, queued: 0, active: 0 })
  t.equal(sim.events, 3002)
  t.equal(sim.pendingEvents, 0)
})

t.test('abandoned chats behind ones that wait for long are dropped, and the order holds', async (t) => {
  // One agent, one slot, handle times of 10 s (to within rounding: exp(ln 10)): a chat leaves the queue's head every 10 s.
  const fixed: HandleTime = { distribution: 'lognormal', meanSec: 10, cv: 0 }
  const sim = new PoolSimulation({ seed: 17, skills: [skill('s', { handleTime: fixed })], agents: [agent('a', 1, ['s'])] })
  sim.startChatOn('a', 's')
  const patient: number[] = []
  for (let i = 0; i < 110; i++) patient.push(sim.enqueue('s', { patienceSec: Infinity }))
  const starts: number[] = []
  sim.listener = { started: (id) => starts.push(id) }
  sim.run(1005)
  t.same(starts, patient.slice(0, 100), '100 started, in order')
  // 100 more behind the last 10, one in 10 patient: the queue's ring wraps around; 88 abandonments in, the abandoned
  // entries outnumber twice the waiting chats by 64 and go.
  for (let i = 0; i < 100; i++) {
    if (i % 10 === 9) patient.push(sim.enqueue('s', { patienceSec: Infinity }))
    else sim.enqueue('s', { patienceSec: 1 })
  }
  sim.run(1007)
  t.same(sim.counters('s').abandoned, 90)
  sim.run(Infinity)
  t.same(starts, patient, 'the other 20, in order')
})

// Conservation, maxChats, FIFO starts per skill, least-loaded routing and no idle slot while a chat of its skill
// waits, over random pools and random sequences of calls.

interface PoolArbitrary { seed: number, skills: SkillSpec[], agents: AgentSpec[] }

const skillArbitrary = (name: string): fc.Arbitrary<SkillSpec> => fc.record({
  handleTime: fc.oneof(
    fc.double({ min: 1, max: 30, noNaN: true }).map(exponential),
    fc.record({ meanSec: fc.double({ min: 1, max: 30, noNaN: true }), cv: fc.double({ min: 0, max: 3, noNaN: true }) })
      .map(({ meanSec, cv }): HandleTime => ({ distribution: 'lognormal', meanSec, cv }))
  ),
  patience: fc.option(fc.double({ min: 0.5, max: 40, noNaN: true }), { nil: undefined }),
  rate: fc.constantFrom(0, 0, 0.05, 0.3, 1)
}).map(({ handleTime, patience, rate }) => ({ name, handleTime, meanPatienceSec: patience, arrivalsPerSec: rate }))

const poolArbitrary: fc.Arbitrary<PoolArbitrary> = fc.integer({ min: 1, max: 3 }).chain((skillCount) => {
  const names = ['s0', 's1', 's2'].slice(0, skillCount)
  return fc.record({
    seed: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
    skills: fc.tuple(...names.map(skillArbitrary)),
    agents: fc.array(fc.record({
      maxChats: fc.constantFrom(-1, 0, 1, 1, 2, 3),
      skills: fc.subarray(names),
      online: fc.boolean()
    }), { minLength: 0, maxLength: 5 }).map((agents) => agents.map((spec, i) => ({ name: `a${i}`, ...spec })))
  })
})

type Op =
  | { op: 'enqueue', skill: number, patience: number | undefined }
  | { op: 'start', agent: number, skill: number }
  | { op: 'toggle', agent: number }
  | { op: 'run', seconds: number }
  | { op: 'runEvents', events: number }
  | { op: 'rate', skill: number, perSec: number }

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('enqueue' as const), skill: fc.nat(2), patience: fc.option(fc.oneof(fc.constant(Infinity), fc.constant(0), fc.double({ min: 0, max: 30, noNaN: true })), { nil: undefined }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('start' as const), agent: fc.nat(4), skill: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('toggle' as const), agent: fc.nat(4) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('run' as const), seconds: fc.double({ min: 0, max: 60, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('runEvents' as const), events: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('rate' as const), skill: fc.nat(2), perSec: fc.constantFrom(0, 0.1, 2) }) }
)

/** Runs the calls, checking the invariants after each call and at each change; throws at the first broken one. */
function checkRun ({ seed, skills, agents }: PoolArbitrary, ops: Op[]): void {
  const fail = (message: string): never => { throw new Error(message) }
  const live = new Map<number, { skill: string, agent?: string }>()
  const lastStart = new Map<string, number>() // per skill, the id of the last chat started from arrival or queue
  const explicit = new Set<number>() // started by startChatOn: outside FIFO
  let starting = false // inside startChatOn, whose chat is told as arrived before its id is returned
  const deadline = new Map<number, number>() // explicit patience: the time the chat must abandon at, if still queued
  // eslint-disable-next-line prefer-const -- assigned below, once the listener that reads it exists
  let sim: PoolSimulation | undefined
  const conserved = (where: string): void => {
    for (const name of (sim as PoolSimulation).skills) {
      const c = (sim as PoolSimulation).counters(name)
      if (c.arrived !== c.active + c.queued + c.ended + c.abandoned) fail(`${where}: ${name} does not add up: ${JSON.stringify(c)}`)
    }
  }
  const listener: PoolListener = {
    arrived: (id, skill) => {
      live.set(id, { skill })
      if (starting) explicit.add(id)
      conserved(`arrival of ${id}`)
    },
    started: (id, skill, agentName) => {
      const chat = live.get(id) ?? fail(`${id} started but never arrived`)
      if (chat.agent !== undefined) fail(`${id} started twice`)
      chat.agent = agentName
      const view = (sim as PoolSimulation).agent(agentName)
      if (view.maxChats !== -1 && view.activeChats > view.maxChats) fail(`${agentName} has ${view.activeChats} chats, over ${view.maxChats}`)
      if (!view.skills.includes(skill)) fail(`${agentName} got a chat of ${skill}`)
      if (!explicit.has(id)) {
        if (id <= (lastStart.get(skill) ?? 0)) fail(`${skill}: ${id} started after ${lastStart.get(skill)}`)
        lastStart.set(skill, id)
        if (!view.online) fail(`${id} started on ${agentName}, which is Offline`)
        // The oldest chat waiting for any of the agent's skills goes first.
        for (const [other, waiting] of live) {
          if (other < id && waiting.agent === undefined && view.skills.includes(waiting.skill)) fail(`${id} started on ${agentName} before ${other}`)
        }
      }
      conserved(`start of ${id}`)
    },
    ended: (id, skill, agentName) => {
      const chat = live.get(id) ?? fail(`${id} ended but is unknown`)
      if (chat.agent !== agentName || chat.skill !== skill) fail(`${id} ended on ${agentName}, but was on ${chat.agent}`)
      live.delete(id)
      conserved(`end of ${id}`)
    },
    abandoned: (id, skill, at, arrivedAt) => {
      const chat = live.get(id) ?? fail(`${id} abandoned but is unknown`)
      if (chat.agent !== undefined) fail(`${id} abandoned while active`)
      const due = deadline.get(id)
      if (due !== undefined && at !== due) fail(`${id} abandoned at ${at}, due at ${due} (arrived ${arrivedAt})`)
      live.delete(id)
      conserved(`abandonment of ${id}`)
    }
  }
  sim = new PoolSimulation({ seed, skills, agents, listener })
  const s = sim
  const eligible = (skill: string): AgentSpec[] => agents.filter((a) => {
    const view = s.agent(a.name)
    return view.online && view.skills.includes(skill) && (view.maxChats === -1 || view.activeChats < view.maxChats)
  })
  const checkState = (where: string): void => {
    conserved(where)
    for (const name of s.skills) {
      const c = s.counters(name)
      const queued = [...live.values()].filter((chat) => chat.skill === name && chat.agent === undefined).length
      if (c.queued !== queued || c.active + c.queued !== [...live.values()].filter((chat) => chat.skill === name).length) fail(`${where}: counters ${JSON.stringify(c)} against ${queued} queued seen`)
      if (c.queued > 0 && eligible(name).length > 0) fail(`${where}: ${name} has ${c.queued} waiting and ${eligible(name)[0]?.name} a free slot`)
    }
    for (const a of agents) {
      const count = [...live.values()].filter((chat) => chat.agent === a.name).length
      if (s.agent(a.name).activeChats !== count) fail(`${where}: ${a.name} counts ${s.agent(a.name).activeChats} chats, ${count} seen`)
    }
    if (s.liveChats !== live.size) fail(`${where}: ${s.liveChats} remembered, ${live.size} live`)
    for (const [id, chat] of live) {
      const view = s.chat(id)
      if (view === undefined || (view.state === 'active' ? view.agent : undefined) !== chat.agent) fail(`${where}: chat ${id} is ${JSON.stringify(view)}`)
    }
  }
  checkState('start')
  ops.forEach((op, i) => {
    const where = `call ${i} (${JSON.stringify(op)})`
    switch (op.op) {
      case 'enqueue': {
        const name = s.skills[op.skill % s.skills.length] as string
        const candidates = eligible(name).map((a) => s.agent(a.name))
        const least = Math.min(...candidates.map((a) => a.activeChats))
        const id = s.enqueue(name, { patienceSec: op.patience })
        const view = s.chat(id)
        if (candidates.length === 0 && view?.state !== 'queued') fail(`${where}: started with no free slot: ${JSON.stringify(view)}`)
        if (candidates.length > 0 && (view?.state !== 'active' || !candidates.some((a) => a.name === view.agent && a.activeChats === least))) {
          fail(`${where}: went to ${JSON.stringify(view)}, not one of the least loaded (${least}) of ${JSON.stringify(candidates)}`)
        }
        if (view?.state === 'queued' && op.patience !== undefined && op.patience !== Infinity) deadline.set(id, s.now + op.patience)
        break
      }
      case 'start': {
        const a = agents[op.agent % Math.max(1, agents.length)]
        if (a === undefined) break
        const name = s.skills[op.skill % s.skills.length] as string
        const view = s.agent(a.name)
        const refused = !view.skills.includes(name) || (view.maxChats !== -1 && view.activeChats >= view.maxChats)
        const before = JSON.stringify([s.counters(name), view])
        let id: number | undefined
        starting = true
        try {
          id = s.startChatOn(a.name, name)
        } catch (error) {
          if (!refused) throw error
          if (JSON.stringify([s.counters(name), s.agent(a.name)]) !== before) fail(`${where}: a refused start changed the pool`)
        } finally {
          starting = false
        }
        if (refused && id !== undefined) fail(`${where}: ${a.name} took a chat it should have refused`)
        break
      }
      case 'toggle': {
        const a = agents[op.agent % Math.max(1, agents.length)]
        if (a !== undefined) s.setOnline(a.name, !s.agent(a.name).online)
        break
      }
      case 'run':
        s.run(s.now + op.seconds)
        break
      case 'runEvents': {
        const target = s.events + op.events
        const stopped = s.run(s.now + 1000, () => s.events === target)
        if (stopped !== (s.events === target)) fail(`${where}: stopped ${stopped} after ${s.events} events`)
        break
      }
      case 'rate':
        s.setArrivalRate(s.skills[op.skill % s.skills.length] as string, op.perSec)
        break
    }
    checkState(where)
  })
}

t.test('invariants over random pools and calls', async (t) => {
  holds(t, 'conservation, maxChats, FIFO per skill, least loaded, no idle slot while a chat waits',
    fc.property(poolArbitrary, fc.array(opArbitrary, { maxLength: 40 }), (pool, ops) => { checkRun(pool, ops) }),
    { numRuns: 300 })
})

// Statistics against theory: every tolerance is 4 standard errors of the replication count.

/**
 * M/M/c with exponential patience, all c slots busy: c agents with 1 slot each and handle times of mean h free a slot
 * at rate R = c/h. Chats behind others with patience θ; a chat with j chats ahead and no patience of its own waits
 * Σ_{i=0..j} Exp(R + iθ) (each release or abandonment ahead moves it up, a release with none ahead starts it).
 */
t.test('M/M/c + M: waits and abandonment match theory', async (t) => {
  const c = 3
  const h = 100
  const patience = 50
  const R = c / h
  const theta = 1 / patience
  const N = 4000
  const random = new Random(20261125)
  const skills = [skill('s', { handleTime: exponential(h), meanPatienceSec: patience })]
  const agents = Array.from({ length: c }, (_, i) => agent(`a${i}`, 1, ['s']))

  // The head of the queue: starts before abandoning with probability R / (R + θ), after Exp(R + θ) either way.
  let startedFirst = 0
  let resolvedSum = 0
  // A never-abandoning chat with two impatient chats ahead: mean wait Σ_{i=0..2} 1/(R + iθ), variance Σ 1/(R + iθ)².
  let waitSum = 0
  for (let i = 0; i < N; i++) {
    const sim = new PoolSimulation({ seed: random, skills, agents })
    for (const a of agents) sim.startChatOn(a.name, 's')
    const head = sim.enqueue('s')
    sim.enqueue('s')
    const patient = sim.enqueue('s', { patienceSec: Infinity })
    let headAt = NaN
    let headStarted = false
    let patientAt = NaN
    sim.listener = {
      started: (id, _skill, _agent, at) => {
        if (id === head) { headAt = at; headStarted = true }
        if (id === patient) patientAt = at
      },
      abandoned: (id, _skill, at) => { if (id === head) headAt = at }
    }
    sim.run(Infinity, () => !Number.isNaN(patientAt))
    if (headStarted) startedFirst++
    resolvedSum += headAt
    waitSum += patientAt
  }
  const p = R / (R + theta)
  const pHat = startedFirst / N
  const pTolerance = 4 * Math.sqrt(p * (1 - p) / N)
  t.ok(Math.abs(pHat - p) <= pTolerance, `P(head starts) ${pHat.toFixed(4)} against ${p} ± ${pTolerance.toFixed(4)}`)
  const resolved = 1 / (R + theta)
  const resolvedTolerance = 4 * resolved / Math.sqrt(N)
  t.ok(Math.abs(resolvedSum / N - resolved) <= resolvedTolerance, `mean time to start or abandon ${(resolvedSum / N).toFixed(3)} against ${resolved} ± ${resolvedTolerance.toFixed(3)}`)
  const rates = [R, R + theta, R + 2 * theta]
  const wait = rates.reduce((sum, rate) => sum + 1 / rate, 0)
  const waitTolerance = 4 * Math.sqrt(rates.reduce((sum, rate) => sum + 1 / rate ** 2, 0) / N)
  t.ok(Math.abs(waitSum / N - wait) <= waitTolerance, `mean wait with two ahead ${(waitSum / N).toFixed(3)} against ${wait.toFixed(3)} ± ${waitTolerance.toFixed(3)}`)
})

/**
 * Lognormal handle times of mean m and coefficient of variation v: ln X ~ N(μ, σ²) with σ² = ln(1 + v²),
 * μ = ln m − σ²/2. Checked on the log scale (mean: SE σ/√N; variance: SE σ²·√(2/(N−1))) and directly (mean: SE m·v/√N;
 * standard deviation: SE ≈ √((μ₄ − σ_X⁴)/N) / (2σ_X) by the delta method, with μ₄ from E[X^k] = m^k (1 + v²)^(k(k−1)/2)).
 */
t.test('lognormal handle times have the mean and coefficient of variation asked for', async (t) => {
  const m = 300
  const v = 1
  const N = 20_000
  const sim = new PoolSimulation({
    seed: 7,
    skills: [skill('s', { handleTime: { distribution: 'lognormal', meanSec: m, cv: v } })],
    agents: [agent('u', -1, ['s'])]
  })
  const times: number[] = []
  sim.listener = { ended: (_id, _skill, _agent, at) => times.push(at) }
  for (let i = 0; i < N; i++) sim.startChatOn('u', 's')
  sim.run(Infinity)
  t.equal(times.length, N)
  const sigma2 = Math.log1p(v * v)
  const mu = Math.log(m) - sigma2 / 2
  const logs = times.map(Math.log)
  const logMean = logs.reduce((a, b) => a + b, 0) / N
  const logVar = logs.reduce((a, b) => a + (b - logMean) ** 2, 0) / (N - 1)
  const muTolerance = 4 * Math.sqrt(sigma2 / N)
  const varTolerance = 4 * sigma2 * Math.sqrt(2 / (N - 1))
  t.ok(Math.abs(logMean - mu) <= muTolerance, `mean of ln X ${logMean.toFixed(4)} against μ ${mu.toFixed(4)} ± ${muTolerance.toFixed(4)}`)
  t.ok(Math.abs(logVar - sigma2) <= varTolerance, `variance of ln X ${logVar.toFixed(4)} against σ² ${sigma2.toFixed(4)} ± ${varTolerance.toFixed(4)}`)

  const mean = times.reduce((a, b) => a + b, 0) / N
  const sd = Math.sqrt(times.reduce((a, b) => a + (b - mean) ** 2, 0) / (N - 1))
  const raw = (k: number): number => m ** k * (1 + v * v) ** (k * (k - 1) / 2)
  const mu4 = raw(4) - 4 * raw(3) * m + 6 * raw(2) * m ** 2 - 3 * m ** 4
  const sdX = m * v
  const meanTolerance = 4 * sdX / Math.sqrt(N)
  const sdTolerance = 4 * Math.sqrt((mu4 - sdX ** 4) / N) / (2 * sdX)
  t.ok(Math.abs(mean - m) <= meanTolerance, `mean ${mean.toFixed(2)} against ${m} ± ${meanTolerance.toFixed(2)}`)
  t.ok(Math.abs(sd - sdX) <= sdTolerance, `sd ${sd.toFixed(2)} (cv ${(sd / mean).toFixed(3)}) against ${sdX} ± ${sdTolerance.toFixed(2)}`)
})
