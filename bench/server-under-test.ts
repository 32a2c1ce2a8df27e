/**
 * One server under test, in its own process (bench/server.ts loads it): `bare` (Fastify with its defaults, routes returning a constant)
 * or `live <frozen|speed>` (bench/live.ts), or `sim <agents> [lean]` (the simulator on a generated account, configured as the command is by default; `lean`: without
 * CORS, /metrics and the journal, to show their cost). Sends its URL; over IPC it answers `cpu` with the
 * CPU time it spent per request since the last `cpu`, so the runner can report cost as well as throughput.
 */
import Fastify, { type FastifyInstance } from 'fastify'
import { buildApp } from '../src/app.js'
import { readConfig, type Config } from '../src/config.js'
import { loggerOptions } from '../src/logger.js'
import { SLOTS_PATH } from '../src/http/paths.js'
import { parseScenarioDocument } from '../src/scenarios.js'
import { generatedScenario, liveScenario } from './scenario.js'
import { SimulatedClock } from '../src/domain/clock.js'

const [target = 'bare', agents = '10', variant] = process.argv.slice(2)

async function main (): Promise<void> {
  let app: FastifyInstance
  if (target === 'bare') {
    app = Fastify()
    const constant = async (): Promise<{ availableSlots: number }> => ({ availableSlots: 1 })
    app.get('/bare', constant)
    // The same path as the simulator's, so the very same requests can be sent to both.
    app.get(SLOTS_PATH, constant)
  } else if (target === 'live') {
    // `live <frozen|speed>`: the 1,000-agent live account of bench/live.ts, its clock frozen or running at a speed.
    const { world } = parseScenarioDocument(liveScenario(1000, 0.95), 'live 1000')
    const speed = agents === 'frozen' ? 1 : Number(agents)
    app = await buildApp({ world, clock: new SimulatedClock(undefined, { mode: agents === 'frozen' ? 'frozen' : 'realtime', speed }) })
  } else {
    const { world } = parseScenarioDocument(generatedScenario(Number(agents)), `generated ${agents}`)
    // As shipped: the command's defaults (JSON log lines at info, to this process's stdout, which the runner drops).
    const shipped = readConfig([], {}) as Config
    app = await buildApp({
      world,
      logger: loggerOptions(shipped.logLevel, false),
      logRequests: shipped.logRequests,
      cors: shipped.corsOrigin,
      journalLimit: shipped.journalLimit,
      metrics: shipped.metrics,
      ...(variant === 'lean' ? { cors: 'off', metrics: false, journalLimit: 0 } : {})
    })
  }
  let requests = 0
  app.server.on('request', () => { requests++ })
  let since = process.cpuUsage()
  process.on('message', (message) => {
    if (message !== 'cpu') return
    const used = process.cpuUsage(since)
    process.send?.({ micros: used.user + used.system, requests })
    since = process.cpuUsage()
    requests = 0
  })
  process.on('disconnect', () => { void app.close().then(() => process.exit(0)) })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  process.send?.({ url })
}

void main()
