/**
 * `npm run bench`: req/s of availableSlots (JSON and XML) beside a bare Fastify route returning a constant,
 * measured in the same run, and the same for a 10-agent and a 100,000-agent generated account.
 *
 * Method: every server runs in its own process, pinned to one core (taskset, where there is one); autocannon
 * runs here, pinned to another, with Fastify's own benchmark settings (100 connections, 10 pipelined). The bare
 * route gets the very same requests (path, query, Authorization header) as the simulator. Every server is started
 * and warmed up once; then short rows alternate in many rounds (the order reversed every other round), and each
 * ratio is taken between rows of the same round: this VM's speed drifts by ±30 % over seconds, and pairing rows a
 * few seconds apart cancels most of the drift. Reported: medians and the middle half (quartiles) of the paired
 * ratios, with each server's CPU time per request. Not a test: the figures go in docs/benchmarks.md.
 */
import { cpus } from 'node:os'
import autocannon from 'autocannon'
import { BENCH_ACCOUNT, BENCH_BEARER, BENCH_SESSION } from './scenario.js'
import { cpuPerRequest, pinned, startServer, type Server } from './processes.js'
import { median, quantile } from './stats.js'

const DURATION = Number(process.env.BENCH_DURATION ?? 1.5)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15)
const WARM_UP = 2
const CONNECTIONS = 100
const PIPELINING = 10

const slotsUrl = (base: string, path: string): string => `${base}/api/account/${BENCH_ACCOUNT}/agentSession/${BENCH_SESSION}/chat/${path}`
const AUTH = { authorization: `Bearer ${BENCH_BEARER}` }

interface Case { name: string, server: Server, url: string, headers: Record<string, string>, rps: number[], cpu: number[] }

const load = (c: Case, duration: number): Promise<autocannon.Result> =>
  autocannon({ url: c.url, headers: c.headers, connections: CONNECTIONS, pipelining: PIPELINING, duration })

async function measure (c: Case): Promise<void> {
  await cpuPerRequest(c.server)
  const result = await load(c, DURATION)
  c.cpu.push(await cpuPerRequest(c.server))
  if (result.non2xx !== 0 || result.errors !== 0) throw new Error(`${c.url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`)
  c.rps.push(result.requests.average)
}

const SKILL = 'availableSlots?v=1&skill=Skill2&maxWaitTime=300'
const SKILL_XML = 'availableSlots.xml?v=1&skill=Skill2&maxWaitTime=300'
const ACCOUNT = 'availableSlots.json?v=1&maxWaitTime=300'

async function main (): Promise<void> {
  const bare = await startServer('bare', 'bare')
  const small = await startServer('10 agents', 'sim', '10')
  const lean = await startServer('10 agents, lean', 'sim', '10', 'lean')
  const large = await startServer('100,000 agents', 'sim', '100000')
  const make = (name: string, server: Server, path: string, headers = AUTH): Case =>
    ({ name, server, url: path.startsWith('/') ? `${server.url}${path}` : slotsUrl(server.url, path), headers, rps: [], cpu: [] })
  const cases = [
    make('bare Fastify route, constant: GET /bare', bare, '/bare', {} as typeof AUTH),
    make('bare Fastify route, constant: same request as the simulator', bare, SKILL),
    make('JSON, skill + maxWaitTime, 10 agents', small, SKILL),
    make('JSON, skill + maxWaitTime, 10 agents, without CORS, metrics and journal', lean, SKILL),
    make('XML, skill + maxWaitTime, 10 agents', small, SKILL_XML),
    make('JSON, whole account + maxWaitTime, 10 agents', small, ACCOUNT),
    make('JSON, skill + maxWaitTime, 100,000 agents', large, SKILL),
    make('XML, skill + maxWaitTime, 100,000 agents', large, SKILL_XML),
    make('JSON, whole account + maxWaitTime, 100,000 agents', large, ACCOUNT)
  ]
  const [, baseline, json10, json10lean, xml10, account10, json100k, xml100k, account100k] = cases as [Case, Case, Case, Case, Case, Case, Case, Case, Case]
  process.stdout.write(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; ${pinned ? 'server on core 0, autocannon on core 1' : 'not pinned'}; ` +
    `autocannon ${CONNECTIONS} connections × ${PIPELINING} pipelined; ${ROUNDS} rounds × ${DURATION} s per row; medians\n`)
  for (const c of cases) await load(c, WARM_UP)
  for (let round = 1; round <= ROUNDS; round++) {
    for (const c of round % 2 === 1 ? cases : [...cases].reverse()) await measure(c)
    process.stdout.write(`round ${round}/${ROUNDS} done\n`)
  }
  for (const server of [bare, small, lean, large]) server.child.disconnect()

  const rps = (c: Case): number => median(c.rps)
  /** The ratios of c's rows to `to`'s rows of the same rounds: their median, and their middle half. */
  const relative = (c: Case, to: Case): string => {
    const ratios = c.rps.map((r, i) => r / (to.rps[i] as number))
    return `${median(ratios).toFixed(2)}× [${quantile(ratios, 0.25).toFixed(2)}–${quantile(ratios, 0.75).toFixed(2)}]`
  }
  const notes = new Map<Case, string>([
    [json10, `${relative(json10, baseline)} bare`], [json10lean, `${relative(json10lean, baseline)} bare`], [xml10, `${relative(xml10, baseline)} bare`], [account10, `${relative(account10, baseline)} bare`],
    [json100k, `${relative(json100k, json10)} 10 agents`], [xml100k, `${relative(xml100k, xml10)} 10 agents`], [account100k, `${relative(account100k, account10)} 10 agents`]
  ])
  process.stdout.write('\n| what | req/s (median) | server CPU µs/request (median) | relative: median of the paired rounds [quartiles] |\n|---|---:|---:|---|\n')
  for (const c of cases) {
    process.stdout.write(`| ${c.name} | ${Math.round(rps(c))} | ${median(c.cpu).toFixed(1)} | ${notes.get(c) ?? ''} |\n`)
  }
  process.stdout.write(`\nJSON ${relative(json10, baseline)} the bare route (target ≥ 0.85×; ${relative(json10lean, baseline)} without CORS, metrics and journal), XML ${relative(xml10, baseline)} (target ≥ 0.80×); ` +
    `100,000 agents: JSON ${relative(json100k, json10)}, XML ${relative(xml100k, xml10)}, whole account ${relative(account100k, account10)} of 10 agents\n`)
}

main().catch((err) => {
  process.stderr.write(`${String(err?.stack ?? err)}\n`)
  process.exit(1)
})
