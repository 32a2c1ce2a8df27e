/**
 * Every failure, whatever raised it, leaves in one body, negotiated like the answer:
 * {"error": {"time", "message", "internalCode"}}. The internal codes are documented in docs/errors.md.
 */
import type { Socket } from 'node:net'
import createError from '@fastify/error'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Clock } from '../domain/clock.js'
import { contentType, errorBody, negotiate, suffixOf, type MediaType } from './media.js'

export const NotAuthenticated = createError('SIM_NOT_AUTHENTICATED', '%s', 401)
export const Forbidden = createError('SIM_FORBIDDEN', '%s', 403)
export const BadParameter = createError('SIM_BAD_PARAMETER', '%s', 400)
export const MalformedRequest = createError('SIM_MALFORMED_REQUEST', '%s', 400)
export const UnknownSkill = createError('SIM_UNKNOWN_SKILL', '%s', 404)
export const UnknownAgent = createError('SIM_UNKNOWN_AGENT', '%s', 404)
export const UnknownRoute = createError('SIM_UNKNOWN_ROUTE', '%s', 404)
export const MethodNotAllowed = createError('SIM_METHOD_NOT_ALLOWED', '%s', 405)
export const NotAcceptable = createError('SIM_NOT_ACCEPTABLE', '%s', 406)

/** The `internalCode` of each error; the table in docs/errors.md and openapi.yaml says the same. */
export const INTERNAL_CODES: Readonly<Record<string, number>> = {
  SIM_NOT_AUTHENTICATED: 10,
  SIM_FORBIDDEN: 11,
  SIM_BAD_PARAMETER: 20,
  SIM_MALFORMED_REQUEST: 21,
  SIM_UNKNOWN_SKILL: 30,
  SIM_UNKNOWN_AGENT: 31,
  SIM_UNKNOWN_ROUTE: 32,
  SIM_METHOD_NOT_ALLOWED: 40,
  SIM_NOT_ACCEPTABLE: 41,
  SIM_INTERNAL: 50
}

const MALFORMED_CODE = INTERNAL_CODES.SIM_MALFORMED_REQUEST as number
const INTERNAL_MESSAGE = 'internal error; the simulator could not answer this request, and its log has the details'

/** Echoed request text is cut short, so an error body stays small whatever was sent. */
export function quote (text: string, max = 80): string {
  return `'${text.length > max ? text.slice(0, max) + '…' : text}'`
}

/** The media type of an error: negotiated like the answer, JSON when nothing else is acceptable. */
function errorMediaType (accept: string | undefined, url: string, status: number): MediaType {
  if (status === 406) return 'application/json'
  return negotiate(accept, suffixOf(url)) ?? 'application/json'
}

export function errorHandling (app: FastifyInstance, clock: Clock): void {
  const send = (request: FastifyRequest, reply: FastifyReply, status: number, internalCode: number, message: string): void => {
    const type = errorMediaType(request.headers.accept, request.url, status)
    const body = errorBody({ time: new Date(clock.now()).toISOString(), message, internalCode }, type)
    reply.code(status).type(contentType(type)).send(body)
  }

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const code = INTERNAL_CODES[error.code]
    if (code !== undefined) return send(request, reply, error.statusCode as number, code, error.message)
    const status = error.statusCode ?? 500
    // Fastify's own client errors: unparseable body, unsupported content type, body too large …
    if (status >= 400 && status < 500) return send(request, reply, status, MALFORMED_CODE, `malformed request: ${error.message}`)
    request.log.error({ err: error }, 'unexpected error')
    send(request, reply, 500, INTERNAL_CODES.SIM_INTERNAL as number, INTERNAL_MESSAGE)
  })

  app.setNotFoundHandler((request) => {
    throw new UnknownRoute(`no route ${request.method} ${quote(request.url.split('?')[0] as string)}; this API serves ` +
      'GET /api/account/{accountId}/agentSession/{agentSessionId}/chat/availableSlots (optionally ending .json or .xml)')
  })
}

/** For Fastify's `frameworkErrors`: a path that is not valid percent-encoding, before any route is found. */
export function frameworkErrorHandler (clock: Clock) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const url = request.url
    const message = error.code === 'FST_ERR_BAD_URL'
      ? `malformed request: the path ${quote(url.split('?')[0] as string)} is not valid percent-encoding`
      : `malformed request: ${error.message}`
    const type = errorMediaType(request.headers.accept, url, 400)
    const body = errorBody({ time: new Date(clock.now()).toISOString(), message, internalCode: MALFORMED_CODE }, type)
    reply.code(400).type(contentType(type)).send(body)
  }
}

/** For Node's `clientError`: a request too broken to reach Fastify still gets the product's error body. */
export function clientErrorHandler (clock: Clock) {
  return (error: NodeJS.ErrnoException, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy()
      return
    }
    const body = errorBody({
      time: new Date(clock.now()).toISOString(),
      message: 'malformed request: the HTTP request could not be parsed',
      internalCode: MALFORMED_CODE
    }, 'application/json')
    socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: ${contentType('application/json')}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
  }
}
