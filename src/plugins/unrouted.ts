/**
 * Requests that reach no route — a wrong method on the endpoint (405), an unknown route (404), a path that does
 * not decode (400) — and the protocol-level refusals every request is subject to. All are answered before any
 * body is read, in the product's error body.
 */
import type { Server } from 'node:http'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Clock } from '../domain/clock.js'
import type { World } from '../domain/world.js'
import { authenticate } from './auth.js'
import {
  INTERNAL_CODES, MalformedRequest, MethodNotAllowed, NotAcceptable, pathOf, quote, rawErrorResponse, sendError,
  Unavailable, UnknownRoute, type ErrorTime
} from './errors.js'
import { MEDIA_TYPES, negotiate, suffixOf } from './media.js'

/** The one endpoint, with or without its suffix (on decoded or raw paths alike: segments are anything but '/'). */
export const ENDPOINT = /^\/api\/account\/[^/]+\/agentSession\/[^/]+\/chat\/availableSlots(\.json|\.xml)?$/
export const ALLOWED = 'GET, HEAD'
const SERVED = 'this API serves GET /api/account/{accountId}/agentSession/{agentSessionId}/chat/availableSlots ' +
  '(optionally ending .json or .xml)'

/** Set when the server starts closing: from then on every request is refused with 503. */
export interface Lifecycle {
  closing: boolean
}

/** Refusals that come before anything else: the server is closing, or the request is not valid HTTP/1.1. */
export function checkProtocol (lifecycle: Lifecycle, request: FastifyRequest): void {
  if (lifecycle.closing) throw new Unavailable('the simulator is shutting down; retry against a running instance')
  if (request.headers.host === undefined && request.raw.httpVersion === '1.1') {
    throw new MalformedRequest('malformed request: an HTTP/1.1 request needs a Host header')
  }
}

export const notAcceptable = (accept: string | undefined): InstanceType<typeof NotAcceptable> =>
  new NotAcceptable(`none of the media types in Accept ${quote(accept ?? '')} can be served; ` +
    `this API answers in ${MEDIA_TYPES.join(', ')} (or add .json or .xml to the path)`)

const methodNotAllowed = (method: string): InstanceType<typeof MethodNotAllowed> =>
  new MethodNotAllowed(`method ${method} is not allowed here; this resource allows ${ALLOWED}`)

export function unroutedRequests (app: FastifyInstance, lifecycle: Lifecycle): void {
  const refuse = async (request: FastifyRequest, reply: FastifyReply): Promise<never> => {
    checkProtocol(lifecycle, request)
    const path = pathOf(request.url)
    if (ENDPOINT.test(path)) {
      reply.header('allow', ALLOWED)
      throw methodNotAllowed(request.method)
    }
    throw new UnknownRoute(`no route ${request.method} ${quote(request.url.split('?')[0] as string)}; ${SERVED}`)
  }
  // Registered in a context of its own, so that the hook runs for unrouted requests only, before any body is read.
  void app.register(async (context) => {
    context.addHook('onRequest', refuse)
    context.setNotFoundHandler(refuse)
  })
}

/**
 * For Fastify's `frameworkErrors`: a path that does not decode. On the endpoint it is checked in the endpoint's
 * order as far as it can be (405 → 406 → 401), then refused as malformed; the account and session it names
 * cannot be read, so there is no 403.
 */
export function badUrlHandler (world: World, clock: Clock, time: ErrorTime, lifecycle: Lifecycle) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    try {
      checkProtocol(lifecycle, request)
      const rawPath = request.url.split('?')[0] as string
      if (ENDPOINT.test(rawPath)) {
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          reply.header('allow', ALLOWED)
          throw methodNotAllowed(request.method)
        }
        if (negotiate(request.headers.accept, suffixOf(rawPath)) === undefined) throw notAcceptable(request.headers.accept)
        authenticate(world, clock, request.headers.authorization)
      }
      throw new MalformedRequest(error.code === 'FST_ERR_BAD_URL'
        ? `malformed request: the path ${quote(rawPath)} is not valid percent-encoding`
        : `malformed request: ${quote(error.message, 200)}`)
    } catch (err) {
      sendError(time, err as FastifyError, request, reply)
    }
  }
}

/** Requests Node answers by itself unless told otherwise: CONNECT, and an Expect other than 100-continue. */
export function guardServer (server: Server, time: ErrorTime): void {
  const malformed = INTERNAL_CODES.SIM_MALFORMED_REQUEST as number
  server.on('connect', (request, socket) => {
    const onEndpoint = ENDPOINT.test(pathOf(request.url ?? ''))
    socket.end(onEndpoint
      ? rawErrorResponse(time, 405, 'Method Not Allowed', INTERNAL_CODES.SIM_METHOD_NOT_ALLOWED as number,
        `method CONNECT is not allowed here; this resource allows ${ALLOWED}`, `Allow: ${ALLOWED}\r\n`)
      : rawErrorResponse(time, 404, 'Not Found', INTERNAL_CODES.SIM_UNKNOWN_ROUTE as number,
        `no route CONNECT ${quote(request.url ?? '')}; ${SERVED}`))
  })
  server.on('checkExpectation', (request, response) => {
    const body = rawErrorResponse(time, 417, 'Expectation Failed', malformed,
      `malformed request: Expect ${quote(String(request.headers.expect))} is not supported; only 100-continue is`)
    response.socket?.end(body)
  })
}
