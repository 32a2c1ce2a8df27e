/** Builds the simulator as a Fastify instance; knows nothing of ports, signals or the command line. */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions, type RouteOptions } from 'fastify'
import { SimulatedClock } from './domain/clock.js'
import type { World } from './domain/world.js'
import { clientErrorHandler, errorTime, sendError } from './plugins/errors.js'
import { parseQueryString } from './plugins/querystring.js'
import { badUrlHandler, checkProtocol, guardServer, refuseUnrouted, unroutedRequests, type Lifecycle } from './plugins/unrouted.js'
import type { Config } from './config.js'
import { corsSupport } from './plugins/cors.js'
import { metricsRoute, metricsSupport } from './plugins/metrics.js'
import { healthRoute } from './routes/admin/health.js'
import { availableSlotsRoutes } from './routes/available-slots.js'
import { documentationRoutes } from './routes/documentation.js'

export interface AppOptions {
  world: World
  clock?: SimulatedClock
  logger?: FastifyServerOptions['logger']
  /** The scenario's name, for the health answer. */
  scenario?: string
  /** Default `*`: any origin, with credentials. */
  cors?: Config['corsOrigin']
  /** Default true: GET /metrics, and every request timed for it. */
  metrics?: boolean
  /** Called for each route as it is added (the contract test uses it to compare routes with openapi.yaml). */
  onRoute?: (route: RouteOptions) => void
}


// Node refuses longer request lines and headers (16 KiB) first, so no path parameter is ever cut off by the router.
const MAX_PARAM_LENGTH = 16 * 1024

export async function buildApp (options: AppOptions): Promise<FastifyInstance> {
  const clock = options.clock ?? new SimulatedClock()
  const time = errorTime(clock)
  const lifecycle: Lifecycle = { closing: false }
  const app = Fastify({
    logger: options.logger ?? false,
    routerOptions: { querystringParser: parseQueryString, maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: badUrlHandler(options.world, clock, time, lifecycle),
    clientErrorHandler: clientErrorHandler(time),
    // Our own checks answer missing Host headers and requests during shutdown, in the product's error body.
    http: { requireHostHeader: false },
    return503OnClosing: false
  })
  if (options.onRoute !== undefined) app.addHook('onRoute', options.onRoute)
  app.addHook('preClose', async () => { lifecycle.closing = true })
  app.setErrorHandler((error: FastifyError, request, reply) => sendError(time, error, request, reply))
  await corsSupport(app, options.cors ?? '*', refuseUnrouted(lifecycle))
  const registry = options.metrics !== false ? metricsSupport(app, options.world) : undefined
  unroutedRequests(app, lifecycle)
  availableSlotsRoutes(app, options.world, clock, lifecycle)
  // The simulator's own routes, refused like the API's while closing (a healthcheck must see it going).
  await app.register(async (own) => {
    own.addHook('onRequest', async (request) => { checkProtocol(lifecycle, request) })
    healthRoute(own, options.world, options.scenario ?? 'custom')
    if (registry !== undefined) metricsRoute(own, registry)
    await documentationRoutes(own)
  })
  guardServer(app.server, time, lifecycle)
  await app.ready()
  return app
}
