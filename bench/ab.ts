/**
 * `npm run bench:ab -- <checkout A> <checkout B> [pairs] [rounds]`: B against A on the availableSlots request of
 * `npm run bench` (JSON, skill + maxWaitTime, 10 agents), each checkout built (`dist/bench/server.js`).
 *
 * A server's speed can depend on the state its start-up left (docs/benchmarks.md, "nextTick"), so one pair of
 * processes is not enough: each pair is started afresh, warmed up, and measured in rounds of short rows that alternate
 * between A and B. Reported per pair and over all rounds: the median and quartiles of B/A of req/s and of server CPU
 * time per request, each ratio taken within a round.
 */
import { join, resolve } from 'node:path'
import autocannon from 'autocannon'
import { BENCH_ACCOUNT, BENCH_BEARER, BENCH_SESSION } from './scenario.js'
import { cpuPerRequest, pinned, startServerFrom, type Server } from './processes.js'
import { median, quantile } from './stats.js'

const [checkoutA, checkoutB, pairs = '3', rounds = '10'] = process.argv.slice(2)
const DURATION = 1.5
const WARM_UP = 2
const PATH = `/api/account/${BENCH_ACCOUNT}/agentSession/${BENCH_SESSION}/chat/availableSlots?v=1&skill=Skill2&maxWaitTime=300`

interface Row { rps: number, cpu: number }

async function row (server: Server, duration: number): Promise<Row> {
  await cpuPerRequest(server)
  const result = await autocannon({ url: server.url + PATH, headers: { authorization: `Bearer ${BENCH_BEARER}` }, connections: 100, pipelining: 10, duration })
  const cpu = await cpuPerRequest(server)
  if (result.non2xx !== 0 || result.errors !== 0) throw new Error(`${server.name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`)
  return { rps: result.requests.average, cpu }
}

const spread = (xs: number[]): string => `${median(xs).toFixed(3)} [${quantile(xs, 0.25).toFixed(3)}–${quantile(xs, 0.75).toFixed(3)}]`

async function main (): Promise<void> {
  if (checkoutA === undefined || checkoutB === undefined) throw new Error('usage: npm run bench:ab -- <checkout A> <checkout B> [pairs] [rounds]')
  const entry = (checkout: string): string => join(resolve(checkout), 'dist', 'bench', 'server.js')
  process.stdout.write(`B ${checkoutB} against A ${checkoutA}; ${pairs} pairs × ${rounds} rounds × ${DURATION} s; ${pinned ? 'servers on core 0, autocannon on core 1' : 'not pinned'}\n`)
  const all = { rps: [] as number[], cpu: [] as number[], cpuA: [] as number[], cpuB: [] as number[] }
  for (let pair = 1; pair <= Number(pairs); pair++) {
    const a = await startServerFrom(entry(checkoutA), 'A', 'sim', '10')
    const b = await startServerFrom(entry(checkoutB), 'B', 'sim', '10')
    await row(a, WARM_UP)
    await row(b, WARM_UP)
    const rps: number[] = []
    const cpu: number[] = []
    for (let round = 0; round < Number(rounds); round++) {
      const [first, second] = round % 2 === 0 ? [a, b] : [b, a]
      const got = new Map([[first, await row(first, DURATION)], [second, await row(second, DURATION)]])
      const [ra, rb] = [got.get(a) as Row, got.get(b) as Row]
      rps.push(rb.rps / ra.rps)
      cpu.push(rb.cpu / ra.cpu)
      all.cpuA.push(ra.cpu)
      all.cpuB.push(rb.cpu)
    }
    for (const server of [a, b]) server.child.disconnect()
    process.stdout.write(`pair ${pair}: req/s B/A ${spread(rps)}, CPU a request B/A ${spread(cpu)}\n`)
    all.rps.push(...rps)
    all.cpu.push(...cpu)
  }
  process.stdout.write(`all: req/s B/A ${spread(all.rps)}, CPU a request B/A ${spread(all.cpu)}; ` +
    `CPU µs a request A ${median(all.cpuA).toFixed(1)}, B ${median(all.cpuB).toFixed(1)}\n`)
}

main().catch((err) => {
  process.stderr.write(`${String(err?.stack ?? err)}\n`)
  process.exit(1)
})
