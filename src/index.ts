/**
 * The package's API for test runners that do not want Docker: start a simulator in this process, on a free port
 * by default, and close it when done.
 */
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import { buildApp, type AppOptions } from './app.js'
import type { SimulatedClock } from './domain/clock.js'
import type { ScenarioInput } from './domain/scenario.js'
import { SimulatorClient } from './client.js'
import { loadScenario, parseScenarioDocument } from './scenarios.js'

export { SimulatedClock, type Clock, type ClockSetting } from './domain/clock.js'
export type { AccountDocument, AgentDocument, ScenarioDocument, ScenarioInput, SkillDocument } from './domain/scenario.js'
export type { Fault, FaultSpec } from './domain/faults.js'
export { SimulatorClient, SimulatorError } from './client.js'
export type { AgentLogin, ChatView, ClockView, Health, LiveView, RecordedRequest, RequestFilter, SessionView } from './client.js'

export interface SimulatorOptions {
  /** A fixture name (`busy`), a path to a scenario file, or a scenario document. Default: `default`. */
  scenario?: string | ScenarioInput
  /** Default 0: any free port. */
  port?: number
  host?: string
  /** Default: as the scenario's `clock` says, else frozen at the moment of start; `new SimulatedClock()` for real time. */
  clock?: SimulatedClock
  /** The seed of the faults' draws; default: the scenario's `seed`, else 1. */
  seed?: number
  /** Default: no logging. */
  logger?: FastifyServerOptions['logger']
  /** Default false: with a logger, two lines per request (received, answered). */
  logRequests?: boolean
  /** Default `*`: any origin, with credentials; `off`; or a list of origins. */
  cors?: AppOptions['cors']
  /** A folder in which scenario names are looked up before the built-in fixtures. */
  fixturesDir?: string
  /** When set, the admin API needs it (the returned `admin` client sends it). */
  adminToken?: string
  /** Requests the journal keeps; default 10,000. */
  journalLimit?: number
}

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:41234 */
  url: string
  port: number
  app: FastifyInstance
  /** The admin API's client: reset, change state, inject faults, read the journal. */
  admin: SimulatorClient
  /** Logs an agent in and starts an agent session through the simulated API (`admin.loginAgent`): its bearer and session id. */
  loginAgent: SimulatorClient['loginAgent']
  close: () => Promise<void>
}

/** Throws ScenarioFileError (naming the file and the JSON path) for a scenario that does not load. */
export async function startSimulator (options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const scenario = options.scenario ?? 'default'
  const { world, document } = typeof scenario === 'string'
    ? loadScenario(scenario, options.fixturesDir)
    : parseScenarioDocument(scenario, 'scenario document')
  const app = await buildApp({
    world,
    baseline: document,
    clock: options.clock,
    seed: options.seed,
    logger: options.logger,
    logRequests: options.logRequests,
    cors: options.cors,
    fixturesDir: options.fixturesDir,
    adminToken: options.adminToken,
    journalLimit: options.journalLimit,
    scenario: typeof scenario === 'string' ? scenario : 'scenario document'
  })
  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const host = options.host ?? '127.0.0.1'
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  const admin = new SimulatorClient(url, options.adminToken)
  return { url, port, app, admin, loginAgent: admin.loginAgent.bind(admin), close: async () => { await app.close() } }
}
