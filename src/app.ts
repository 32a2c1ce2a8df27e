/** Builds the simulator as a Fastify instance; knows nothing of ports, signals or the command line. */
import Fastify, { type FastifyInstance, type FastifyServerOptions, type RouteOptions } from 'fastify'
import { systemClock, type Clock } from './domain/clock.js'
import type { World } from './domain/world.js'
import { clientErrorHandler, errorHandling, frameworkErrorHandler } from './plugins/errors.js'
import { parseQueryString } from './plugins/querystring.js'
import { availableSlotsRoutes } from './routes/available-slots.js'

export interface AppOptions {
  world: World
  clock?: Clock
  logger?: FastifyServerOptions['logger']
  /** Called for each route as it is added (the contract test uses it to compare routes with openapi.yaml). */
  onRoute?: (route: RouteOptions) => void
}

export const REDACTED_HEADERS = ['req.headers.authorization', 'req.headers.cookie']

export async function buildApp (options: AppOptions): Promise<FastifyInstance> {
  const clock = options.clock ?? systemClock
  const app = Fastify({
    logger: options.logger ?? false,
    routerOptions: { querystringParser: parseQueryString },
    frameworkErrors: frameworkErrorHandler(clock),
    clientErrorHandler: clientErrorHandler(clock)
  })
  if (options.onRoute !== undefined) app.addHook('onRoute', options.onRoute)
  errorHandling(app, clock)
  availableSlotsRoutes(app, options.world, clock)
  await app.ready()
  return app
}
