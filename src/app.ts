/** Builds the simulator as a Fastify instance; knows nothing of ports, signals or the command line. */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions, type RouteOptions } from 'fastify'
import { systemClock, type Clock } from './domain/clock.js'
import type { World } from './domain/world.js'
import { clientErrorHandler, errorTime, sendError } from './plugins/errors.js'
import { parseQueryString } from './plugins/querystring.js'
import { badUrlHandler, guardServer, unroutedRequests, type Lifecycle } from './plugins/unrouted.js'
import { availableSlotsRoutes } from './routes/available-slots.js'

export interface AppOptions {
  world: World
  clock?: Clock
  logger?: FastifyServerOptions['logger']
  /** Called for each route as it is added (the contract test uses it to compare routes with openapi.yaml). */
  onRoute?: (route: RouteOptions) => void
}

export const REDACTED_HEADERS = ['req.headers.authorization', 'req.headers.cookie']

// Node refuses longer request lines and headers (16 KiB) first, so no path parameter is ever cut off by the router.
const MAX_PARAM_LENGTH = 16 * 1024

export async function buildApp (options: AppOptions): Promise<FastifyInstance> {
  const clock = options.clock ?? systemClock
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
  unroutedRequests(app, lifecycle)
  availableSlotsRoutes(app, options.world, clock, lifecycle)
  guardServer(app.server, time, lifecycle)
  await app.ready()
  return app
}
