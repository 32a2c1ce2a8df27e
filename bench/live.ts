/**
 * `npm run bench:live`: the live model's events per second on one core — the simulation with every change mirrored
 * into the model's running totals — for a 1,000-agent live account at 95 % and 110 % offered load, beside the bare
 * PoolSimulation of the same pool (bench/simulation.ts); the heap over a simulated week at 95 %; and availableSlots'
 * latency (p50, p99) while that account runs at speed 3600, beside the frozen clock's: a server process each, started
 * afresh for every row, rows alternating over ROUNDS rounds, under a closed-loop load of 10 connections.
 * Each figure is the median of ROUNDS rounds, after a warm-up. Not a test: the figures go in docs/benchmarks.md.
 * Run with --expose-gc (the script does) so that the heap is measured after a full collection.
 */
import * as http from 'node:http'
import { SimulatedClock } from '../src/domain/clock.js'
import { LiveModel } from '../src/domain/live.js'
import { buildWorld } from '../src/domain/scenario.js'
import { BENCH_ACCOUNT, BENCH_BEARER, BENCH_SESSION, liveScenario } from './scenario.js'
import { pinned, startServer } from './processes.js'
import { median, quantile } from './stats.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
/** Simulated seconds per round. */
const SPAN_SEC = Number(process.env.BENCH_SPAN_SEC ?? 4 * 3600)
const START = Date.parse('2026-12-01T00:00:00Z')

function live (agents: number, load: number): { clock: SimulatedClock, model: LiveModel } {
  const world = buildWorld(liveScenario(agents, load))
  const clock = SimulatedClock.frozenAt(START)
  const model = new LiveModel(world, clock, 20261125)
  model.catchUp(Infinity)
  return { clock, model }
}

function eventsPerSecond (agents: number, load: number): number[] {
  const { clock, model } = live(agents, load)
  clock.advance(SPAN_SEC * 500)
  model.catchUp(Infinity) // warm-up
  const rates: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    clock.advance(SPAN_SEC * 1000)
    const start = performance.now()
    const events = model.catchUp(Infinity)
    rates.push(events / (performance.now() - start) * 1000)
  }
  return rates
}

/** Heap used after a full collection at the end of each simulated day, in MB. */
function weekOfHeap (): number[] {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error('run with node --expose-gc')
  const { clock, model } = live(1000, 0.95)
  const heap: number[] = []
  for (let day = 0; day < 7; day++) {
    clock.advance(86_400_000)
    model.catchUp(Infinity)
    gc()
    heap.push(process.memoryUsage().heapUsed / 1e6)
  }
  return heap
}

const LATENCY_SEC = Number(process.env.BENCH_LATENCY_SEC ?? 4)

/**
 * Every request's latency in ms, from `connections` loops each sending its next request when the last is answered,
 * over keep-alive connections, for `seconds` (autocannon rounds latencies to whole milliseconds).
 */
async function latencies (url: string, headers: Record<string, string>, connections: number, seconds: number): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections })
  const times: number[] = []
  const end = performance.now() + seconds * 1000
  const one = (): Promise<void> => new Promise((resolve, reject) => {
    const start = performance.now()
    http.get(url, { agent, headers }, (res) => {
      res.resume()
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${url}: ${res.statusCode}`))
        times.push(performance.now() - start)
        resolve()
      })
    }).on('error', reject)
  })
  await Promise.all(Array.from({ length: connections }, async () => { while (performance.now() < end) await one() }))
  agent.destroy()
  return times
}

/** p50 and p99 of availableSlots (a skill, maxWaitTime 60) in ms, and requests per second, per round, for each clock. */
async function latency (): Promise<Map<string, { p50: number[], p99: number[], rps: number[] }>> {
  const clocks = ['frozen', '3600']
  const rows = new Map(clocks.map((clock) => [clock, { p50: [] as number[], p99: [] as number[], rps: [] as number[] }]))
  const path = `/api/account/${BENCH_ACCOUNT}/agentSession/${BENCH_SESSION}/chat/availableSlots?v=1&skill=sales&maxWaitTime=60`
  const headers = { authorization: `Bearer ${BENCH_BEARER}` }
  for (let round = 0; round < ROUNDS; round++) {
    for (const clock of round % 2 === 0 ? clocks : [...clocks].reverse()) {
      const server = await startServer(clock, 'live', clock)
      await latencies(`${server.url}${path}`, headers, 10, 2) // warm-up: the code is optimised, and a running clock's pool fills
      const times = await latencies(`${server.url}${path}`, headers, 10, LATENCY_SEC)
      const row = rows.get(clock) as { p50: number[], p99: number[], rps: number[] }
      row.p50.push(quantile(times, 0.5))
      row.p99.push(quantile(times, 0.99))
      row.rps.push(times.length / LATENCY_SEC)
      server.child.disconnect()
    }
  }
  return rows
}

const row = (what: string, unit: string, xs: number[], digits = 0): void => {
  console.log(`| ${what} | ${median(xs).toFixed(digits)} ${unit} | ${xs.map((x) => x.toFixed(digits)).join(', ')} |`)
}

console.log(`Node ${process.version}, ${ROUNDS} rounds of ${SPAN_SEC} simulated seconds (median, then each round)`)
console.log('| what | median | each round |')
console.log('|---|---:|---|')
row('live model, 1,000 agents × 4 slots, 3 skills, 95 % offered load, patience', 'events/s', eventsPerSecond(1000, 0.95))
row('live model, the same at 110 % offered load (queues, abandonment)', 'events/s', eventsPerSecond(1000, 1.1))
row('heap after each simulated day of a week, 1,000 agents at 95 %', 'MB', weekOfHeap(), 1)
console.log(`\navailableSlots, 10 connections each sending its next request when answered (${pinned ? 'server on core 0, client on core 1' : 'not pinned'}), ${ROUNDS} rounds × ${LATENCY_SEC} s`)
console.log('| clock | p50 | p99 | req/s |')
console.log('|---|---:|---:|---:|')
const rows = await latency()
for (const [clock, { p50, p99, rps }] of rows) {
  const ms = (xs: number[]): string => `${median(xs).toFixed(3)} ms (${xs.map((x) => x.toFixed(3)).join(', ')})`
  console.log(`| ${clock === 'frozen' ? 'frozen' : `speed ${clock}`} | ${ms(p50)} | ${ms(p99)} | ${Math.round(median(rps))} |`)
}
const frozen = rows.get('frozen') as { p99: number[] }
const running = rows.get('3600') as { p99: number[] }
console.log(`p99 at speed 3600 / frozen, per round: ${running.p99.map((p, i) => (p / (frozen.p99[i] as number)).toFixed(2)).join(', ')}`)
