/**
 * Requests that reach no route — a wrong method on the endpoint (405), an unknown route (404), a path that does
 * not decode — and the protocol-level refusals every request is subject to. All are answered before any body is
 * read, in the product's error body.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { HttpContext } from '../http/context.js'
import { resourceAt } from '../http/paths.js'
import { authenticate } from '../http/auth.js'
import {
  endSocketWithError, INTERNAL_CODES, MalformedRequest, MethodNotAllowed, notAcceptable, pathOf, quote, sendError,
  UnknownRoute
} from '../http/errors.js'
import { checkProtocol, shuttingDown, type Lifecycle } from '../http/lifecycle.js'
import { contentType, negotiate, suffixOf } from '../http/media.js'
import { errorBody } from '../http/representation.js'

const SERVED = 'this API serves GET /api/account/{accountId}/agentSession/{agentSessionId}/chat/availableSlots, the login, ' +
  'agent session and visitor routes around it, each optionally ending .json or .xml; openapi.yaml and /documentation list them'

const methodNotAllowed = (method: string, allow: string): InstanceType<typeof MethodNotAllowed> =>
  new MethodNotAllowed(`method ${method} is not allowed here; this resource allows ${allow}`)

const unknownRoute = (method: string, url: string): InstanceType<typeof UnknownRoute> => {
  const path = url.split('?')[0] as string
  return new UnknownRoute(`no route ${method} ${quote(path)}; ${path.startsWith('/__admin/') ? ADMIN_ROUTES : SERVED}`)
}

const ADMIN_ROUTES = 'the admin API\'s routes and methods are listed in openapi.yaml and at /documentation'

/** The answer to a request no route takes: 405 with Allow on a resource of the API, else 404. */
export function refuseUnrouted (lifecycle: Lifecycle) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<never> => {
    checkProtocol(lifecycle, request)
    const resource = resourceAt(pathOf(request.url))
    if (resource === undefined) throw unknownRoute(request.method, request.url)
    reply.header('allow', resource.allow)
    throw methodNotAllowed(request.method, resource.allow)
  }
}

export function unroutedRequests (app: FastifyInstance, lifecycle: Lifecycle): void {
  const refuse = refuseUnrouted(lifecycle)
  // Registered in a context of its own, so that the hook runs for unrouted requests only, before any body is read.
  void app.register(async (context) => {
    context.addHook('onRequest', refuse)
    context.setNotFoundHandler(refuse)
  })
}

/**
 * For Fastify's `frameworkErrors`: a path that does not decode. Read as far as it decodes: if it is not a resource
 * of the API, 404; if it is, it is checked in the API's order as far as it can be (405 → 406 → 401 where a bearer is
 * needed), then refused as malformed — the account and session it names cannot be read, so there is no 403.
 */
export function badUrlHandler ({ world, clock, time, lifecycle }: Pick<HttpContext, 'world' | 'clock' | 'time' | 'lifecycle'>) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    try {
      checkProtocol(lifecycle, request)
      const path = pathOf(request.url)
      const resource = resourceAt(path)
      if (resource === undefined) throw unknownRoute(request.method, request.url)
      if (!resource.allow.split(', ').includes(request.method)) {
        reply.header('allow', resource.allow)
        throw methodNotAllowed(request.method, resource.allow)
      }
      if (negotiate(request.headers.accept, suffixOf(path)) === undefined) throw notAcceptable(request.headers.accept)
      if (resource.credential === 'bearer') authenticate(world, clock, request.headers.authorization)
      // FST_ERR_BAD_URL is the only framework error this app can meet; any other is still the client's.
      throw new MalformedRequest(error.code === 'FST_ERR_BAD_URL'
        ? `malformed request: the path ${quote(request.url.split('?')[0] as string)} is not valid percent-encoding`
        : `malformed request: ${quote(error.message, 200)}`)
    } catch (err) {
      sendError(time, err as FastifyError, request, reply)
    }
  }
}

/** Requests Node answers by itself unless told otherwise: CONNECT, and an Expect other than 100-continue. */
export function guardServer (server: Server, { time, lifecycle }: Pick<HttpContext, 'time' | 'lifecycle'>): void {
  server.on('connect', (request: IncomingMessage, socket) => {
    const resource = resourceAt(pathOf(request.url ?? ''))
    const [status, reason, error, extra] = resource !== undefined
      ? [405, 'Method Not Allowed', methodNotAllowed('CONNECT', resource.allow), `Allow: ${resource.allow}\r\n`]
      : [404, 'Not Found', unknownRoute('CONNECT', request.url ?? ''), '']
    endSocketWithError(socket as Socket, time, status, reason, INTERNAL_CODES[error.code], error.message, extra)
  })
  server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    const [status, internalCode, message] = lifecycle.closing
      ? [503, INTERNAL_CODES.SIM_UNAVAILABLE, shuttingDown().message]
      : [417, INTERNAL_CODES.SIM_MALFORMED_REQUEST,
          `malformed request: Expect ${quote(String(request.headers.expect))} is not supported; only 100-continue is`]
    const suffix = suffixOf(pathOf(request.url ?? ''))
    const type = negotiate(request.headers.accept, suffix) ?? 'application/json'
    const body = errorBody({ time: time(), message, internalCode }, type)
    response.writeHead(status, {
      'content-type': contentType(type),
      'content-length': Buffer.byteLength(body),
      connection: 'close',
      // Negotiated by Accept unless the path chose by its suffix, as every other answer.
      ...(suffix === undefined ? { vary: 'Accept' } : {})
    })
    response.end(body)
  })
}
