/** Builds the simulator as a Fastify instance; knows nothing of ports, signals or the command line. */
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyServerOptions, type RouteOptions } from 'fastify'
import { SimulatedClock } from './domain/clock.js'
import { msOfDay, secondOfDay } from './domain/live-settings.js'
import type { World } from './domain/world.js'
import { clientErrorHandler, errorTime, sendError } from './http/errors.js'
import { parseQueryString } from './http/querystring.js'
import type { HttpContext } from './http/context.js'
import { checkProtocol, type Lifecycle } from './http/lifecycle.js'
import { badUrlHandler, guardServer, refuseUnrouted, unroutedRequests } from './plugins/unrouted.js'
import type { Config } from './config.js'
import { corsSupport } from './plugins/cors.js'
import { metricsRoute, metricsSupport } from './plugins/metrics.js'
import { Faults } from './domain/faults.js'
import { Journal } from './domain/journal.js'
import type { ScenarioDocument } from './domain/scenario.js'
import { Simulation } from './domain/state.js'
import { faultInjector } from './http/faults.js'
import { closeQuietConnections } from './plugins/shutdown.js'
import { journalSupport } from './plugins/journal.js'
import { liveModelSupport } from './plugins/live.js'
import { observeResponses } from './plugins/responses.js'
import { adminRoutes } from './routes/admin/index.js'
import { availableSlotsRoutes } from './routes/available-slots.js'
import { accountResourceRoutes } from './routes/account-resource.js'
import { agentSessionRoutes } from './routes/agent-session.js'
import { loginRoutes } from './routes/login.js'
import { visitorRoutes } from './routes/visitor.js'
import { keepBodiesAsText } from './http/request-body.js'
import { documentationRoutes, openapiDocument } from './routes/documentation.js'
import { dashboardPageRoutes } from './routes/dashboard.js'
import { registerSchemas } from './http/schemas/index.js'
import { AJV_OPTIONS, schemaErrors } from './http/validation.js'

export interface AppOptions {
  world: World
  clock?: SimulatedClock
  logger?: FastifyServerOptions['logger']
  /** Default false: the logger gets the simulator's own events only, not two lines per request. */
  logRequests?: boolean
  /** The scenario's name, for the health answer. */
  scenario?: string
  /** Default `*`: any origin, with credentials. */
  cors?: Config['corsOrigin']
  /** Default true: GET /metrics, and every request timed for it. */
  metrics?: boolean
  /** When set, every /__admin route but the health check needs `Authorization: Bearer <adminToken>`. */
  adminToken?: string
  /** The seed of the faults' draws; default: the world's (its scenario's), else 1. */
  seed?: number
  /** Requests kept in the journal; default 10,000; 0 keeps none. */
  journalLimit?: number
  /** Where `PUT /__admin/scenario {"name"}` looks for scenario names first. */
  fixturesDir?: string
  /** What `POST /__admin/scenario/reset` returns to; default: the world as given. */
  baseline?: ScenarioDocument
  /** Called for each route as it is added (the contract test uses it to compare routes with openapi.yaml). */
  onRoute?: (route: RouteOptions) => void
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The state the admin API changes (the server's --watch replaces its world too). */
    simulation: Simulation
  }
}

export const DEFAULT_JOURNAL_LIMIT = 10_000

/**
 * The clock a simulator starts with, unless told otherwise: as its scenario asks (`clock`), else frozen, at the moment
 * of start (or at the scenario's time of day, on the day of start). Frozen by default, so that nothing changes until a
 * test or a person says so.
 */
export function startingClock (world: World, setting = world.clock, realNow = Date.now()): SimulatedClock {
  const start = setting?.startTime === undefined ? undefined : realNow - msOfDay(realNow) + secondOfDay(setting.startTime) * 1000
  return new SimulatedClock(start, { mode: setting?.mode ?? 'frozen', speed: setting?.speed ?? 1 })
}

// Node refuses longer request lines and headers (16 KiB) first, so no path parameter is ever cut off by the router.
const MAX_PARAM_LENGTH = 16 * 1024

export async function buildApp (options: AppOptions): Promise<FastifyInstance> {
  const clock = options.clock ?? startingClock(options.world)
  const time = errorTime(clock)
  const lifecycle: Lifecycle = { closing: false, admitted: new WeakSet() }
  const simulation = new Simulation(options.world, clock, new Journal(options.journalLimit ?? DEFAULT_JOURNAL_LIMIT), new Faults(options.seed ?? options.world.seed), {
    name: options.scenario ?? 'custom', baseline: options.baseline, fixturesDir: options.fixturesDir
  })
  const context: HttpContext = { world: options.world, clock, time, lifecycle, journal: simulation.journal, faults: simulation.faults }
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new LogController({ disableRequestLogging: options.logRequests !== true }),
    routerOptions: { querystringParser: parseQueryString, maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: badUrlHandler(context),
    clientErrorHandler: clientErrorHandler(time),
    // Our own checks answer missing Host headers and requests during shutdown, in the product's error body.
    http: { requireHostHeader: false },
    return503OnClosing: false,
    ajv: AJV_OPTIONS,
    schemaErrorFormatter: schemaErrors()
  })
  if (options.onRoute !== undefined) app.addHook('onRoute', options.onRoute)
  app.addHook('preClose', async () => { lifecycle.closing = true })
  app.setErrorHandler((error: FastifyError, request, reply) => sendError(time, error, request, reply))
  app.decorate('simulation', simulation)
  liveModelSupport(app, simulation.live)
  registerSchemas(app)
  await openapiDocument(app)
  await corsSupport(app, options.cors ?? '*', refuseUnrouted(lifecycle))
  const metrics = options.metrics !== false ? metricsSupport(options.world, simulation.live) : undefined
  observeResponses(app, [metrics?.observe, journalSupport(simulation.journal, clock)])
  unroutedRequests(app, lifecycle)
  const api = { ...context, injectFault: faultInjector(context) }
  availableSlotsRoutes(app, api)
  // The routes around it, in a scope of their own: they read their bodies themselves, in their order of checks.
  await app.register(async (scope) => {
    keepBodiesAsText(scope)
    accountResourceRoutes(scope, api)
    loginRoutes(scope, api)
    agentSessionRoutes(scope, api)
    visitorRoutes(scope, api)
  })
  await adminRoutes(app, simulation, { lifecycle, adminToken: options.adminToken })
  // The simulator's other routes, refused like the API's while closing.
  await app.register(async (own) => {
    own.addHook('onRequest', async (request) => { checkProtocol(lifecycle, request) })
    if (metrics !== undefined) metricsRoute(own, metrics.registry)
    await documentationRoutes(own)
    dashboardPageRoutes(own)
  })
  guardServer(app.server, context)
  closeQuietConnections(app)
  await app.ready()
  return app
}
