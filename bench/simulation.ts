/**
 * `npm run bench:simulation`: events per second of PoolSimulation on one core, for a 1,000-agent pool at 95 % and at
 * 110 % offered load (visitors abandon) and for a 10-agent one, and short replications per second (the estimator
 * tests' use).
 * Each figure is the median of ROUNDS rounds, after a warm-up. Not a test: the figures go in docs/benchmarks.md.
 */
import { PoolSimulation, Random, type AgentSpec, type SkillSpec } from '../src/domain/simulation.js'
import { median } from './stats.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
/** Events per round. */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 3_000_000)
const MAX_CHATS = 4

/**
 * `agents` agents with 4 slots over three skills (every agent has one, half of them a second), Poisson arrivals
 * offering `load` of each skill's share of the slots, every visitor with exponential patience.
 */
function pool (agents: number, load: number, seed: number): PoolSimulation {
  const handles: Array<Omit<SkillSpec, 'arrivalsPerSec'>> = [
    { name: 'chat', handleTime: { distribution: 'exponential', meanSec: 240 }, meanPatienceSec: 120 },
    { name: 'sales', handleTime: { distribution: 'lognormal', meanSec: 300, cv: 1 }, meanPatienceSec: 90 },
    { name: 'support', handleTime: { distribution: 'exponential', meanSec: 180 }, meanPatienceSec: 300 }
  ]
  const share = (agents * MAX_CHATS) / handles.length
  const skills = handles.map((skill) => ({ ...skill, arrivalsPerSec: load * share / skill.handleTime.meanSec }))
  const team: AgentSpec[] = []
  for (let a = 0; a < agents; a++) {
    const own = skills[a % 3]?.name as string
    const second = skills[(a + 1) % 3]?.name as string
    team.push({ name: `agent${a}`, maxChats: MAX_CHATS, skills: a % 2 === 0 ? [own, second] : [own] })
  }
  return new PoolSimulation({ seed, skills, agents: team })
}

/** What the pool looked like: the share of chats that abandoned, and of slots busy at the end. */
function describe (sim: PoolSimulation, agents: number, load: number): string {
  const totals = sim.skills.map((name) => sim.counters(name))
  const sum = (key: 'arrived' | 'abandoned' | 'active' | 'queued'): number => totals.reduce((total, c) => total + c[key], 0)
  const percent = (x: number): string => `${(100 * x).toFixed(1)} %`
  return `${agents} agents at ${percent(load)} offered load: ${sum('arrived')} chats, ${percent(sum('abandoned') / sum('arrived'))} abandoned; at the end ` +
    `${percent(sum('active') / (agents * MAX_CHATS))} of the slots busy, ${sum('queued')} queued, ${sim.pendingEvents} events pending`
}

const notes: string[] = []

/** Events per second of wall time, for each round of EVENTS events. */
function eventsPerSecond (agents: number, load: number): number[] {
  const sim = pool(agents, load, 20261125)
  // Simulated seconds per round: about two events (arrival, then end or abandonment) per arrival.
  const arrivalsPerSec = load * agents * MAX_CHATS / 3 * (1 / 240 + 1 / 300 + 1 / 180)
  const span = EVENTS / (2 * arrivalsPerSec)
  sim.run(span / 2) // warm-up: the pool fills and the code is optimised
  const rates: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    const events = sim.events
    const start = performance.now()
    sim.run(sim.now + span)
    const ms = performance.now() - start
    rates.push((sim.events - events) / ms * 1000)
  }
  notes.push(describe(sim, agents, load))
  return rates
}

/**
 * A known state (4 busy agents, 3 chats queued), run until the last queued chat starts, from scratch each time: the
 * estimator tests' use. `shared`: all replications draw from one Random instead of seeding their own.
 */
function replicationsPerSecond (shared: boolean): number[] {
  const skills: SkillSpec[] = [{ name: 's', handleTime: { distribution: 'exponential', meanSec: 300 }, meanPatienceSec: 180 }]
  const agents: AgentSpec[] = ['a', 'b', 'c', 'd'].map((name) => ({ name, maxChats: 1, skills: ['s'] }))
  const replications = Math.max(1, Math.round(EVENTS / 50))
  const random = new Random(20261125)
  const round = (seed0: number): number => {
    const start = performance.now()
    for (let i = 0; i < replications; i++) {
      const sim = new PoolSimulation({ seed: shared ? random : seed0 + i, skills, agents })
      for (const agent of agents) sim.startChatOn(agent.name, 's')
      sim.enqueue('s')
      sim.enqueue('s')
      const id = sim.enqueue('s', { patienceSec: Infinity })
      sim.run(Infinity, () => sim.chat(id)?.state !== 'queued')
    }
    return replications / (performance.now() - start) * 1000
  }
  round(1_000_000) // warm-up
  return Array.from({ length: ROUNDS }, (_, r) => round(1 + r * replications))
}

const row = (what: string, unit: string, xs: number[]): void => {
  const rounded = xs.map((x) => Math.round(x))
  console.log(`| ${what} | ${Math.round(median(xs))} ${unit} | ${rounded.join(', ')} |`)
}

console.log(`Node ${process.version}, ${ROUNDS} rounds of ${EVENTS} events (median, then each round)`)
console.log('| what | median | each round |')
console.log('|---|---:|---|')
row('1,000 agents × 4 slots, 3 skills, 95 % offered load, patience', 'events/s', eventsPerSecond(1000, 0.95))
row('1,000 agents × 4 slots, 3 skills, 110 % offered load (queues, abandonment)', 'events/s', eventsPerSecond(1000, 1.1))
row('10 agents × 4 slots, 3 skills, 95 % offered load, patience', 'events/s', eventsPerSecond(10, 0.95))
row('replications: new pool of 4, 4 chats started, 3 queued, run until the 3rd starts; a seed each', 'replications/s', replicationsPerSecond(false))
row('the same, all replications drawing from one shared Random', 'replications/s', replicationsPerSecond(true))
for (const note of notes) console.log(note)
