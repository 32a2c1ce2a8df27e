/**
 * CORS for browser clients (widgets under development call the simulator from another origin): preflights are
 * answered by @fastify/cors before authentication, since browsers send them without the Authorization header.
 */
import cors from '@fastify/cors'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.js'

/**
 * `*` reflects any origin, so that credentials can be allowed (browsers refuse `*` with credentials).
 * `refuseOptions` answers an OPTIONS that is not a preflight, as if CORS were off.
 */
export async function corsSupport (
  app: FastifyInstance,
  origin: Config['corsOrigin'],
  refuseOptions: (request: FastifyRequest, reply: FastifyReply) => Promise<never>
): Promise<void> {
  if (origin === 'off') return
  // A callback hook, not an async one: it runs on every request, and most pass straight through.
  app.addHook('onRequest', (request, reply, done) => {
    if (request.method === 'OPTIONS' && !isPreflight(request)) refuseOptions(request, reply).catch(done)
    else done()
  })
  await app.register(cors, {
    origin: origin === '*' ? true : origin,
    credentials: true,
    // The agent's flow posts, puts and deletes (login, sessions, availability); a browser reads where a session is.
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    exposedHeaders: ['Location'],
    // With allowedHeaders unset, the headers a preflight asks for (Authorization among them) are allowed.
    maxAge: 600
  })
}

const isPreflight = (request: FastifyRequest): boolean =>
  request.headers.origin !== undefined && request.headers['access-control-request-method'] !== undefined
