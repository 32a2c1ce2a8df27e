/**
 * The package's API for test runners that do not want Docker: start a simulator in this process, on a free port
 * by default, and close it when done.
 */
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import { buildApp, type AppOptions } from './app.js'
import type { SimulatedClock } from './domain/clock.js'
import type { ScenarioDocument } from './domain/scenario.js'
import { loadScenario, parseScenarioDocument } from './scenarios.js'

export { SimulatedClock, type Clock, type ClockSetting } from './domain/clock.js'
export type { ScenarioDocument } from './domain/scenario.js'

export interface SimulatorOptions {
  /** A fixture name (`busy`), a path to a scenario file, or a scenario document. Default: `default`. */
  scenario?: string | ScenarioDocument
  /** Default 0: any free port. */
  port?: number
  host?: string
  /** Default: real time; SimulatedClock.frozenAt(t) for a clock that stands still. */
  clock?: SimulatedClock
  /** Default: no logging. */
  logger?: FastifyServerOptions['logger']
  /** Default `*`: any origin, with credentials; `off`; or a list of origins. */
  cors?: AppOptions['cors']
  /** A folder in which scenario names are looked up before the built-in fixtures. */
  fixturesDir?: string
}

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:41234 */
  url: string
  port: number
  app: FastifyInstance
  close: () => Promise<void>
}

/** Throws ScenarioFileError (naming the file and the JSON path) for a scenario that does not load. */
export async function startSimulator (options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const scenario = options.scenario ?? 'default'
  const { world } = typeof scenario === 'string' ? loadScenario(scenario, options.fixturesDir) : parseScenarioDocument(scenario, 'scenario document')
  const app = await buildApp({
    world,
    clock: options.clock,
    logger: options.logger,
    cors: options.cors,
    scenario: typeof scenario === 'string' ? scenario : 'scenario document'
  })
  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const host = options.host ?? '127.0.0.1'
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, port, app, close: async () => { await app.close() } }
}
