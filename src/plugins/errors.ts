/**
 * Every failure, whatever raised it, leaves in one body, negotiated like the answer:
 * {"error": {"time", "message", "internalCode"}}. The internal codes are documented in docs/errors.md.
 */
import type { Socket } from 'node:net'
import createError from '@fastify/error'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { withinRange, type Clock } from '../domain/clock.js'
import { contentType, errorBody, negotiate, suffixOf, varyOnAccept, type MediaType, type Suffix } from './media.js'
import { answerUnderWay } from './shutdown.js'

export const NotAuthenticated = createError('SIM_NOT_AUTHENTICATED', '%s', 401)
export const Forbidden = createError('SIM_FORBIDDEN', '%s', 403)
export const BadParameter = createError('SIM_BAD_PARAMETER', '%s', 400)
export const MalformedRequest = createError('SIM_MALFORMED_REQUEST', '%s', 400)
export const UnknownSkill = createError('SIM_UNKNOWN_SKILL', '%s', 404)
export const UnknownAgent = createError('SIM_UNKNOWN_AGENT', '%s', 404)
export const UnknownRoute = createError('SIM_UNKNOWN_ROUTE', '%s', 404)
export const MethodNotAllowed = createError('SIM_METHOD_NOT_ALLOWED', '%s', 405)
export const NotAcceptable = createError('SIM_NOT_ACCEPTABLE', '%s', 406)
export const Unavailable = createError('SIM_UNAVAILABLE', '%s', 503)
export const AdminNotAuthenticated = createError('SIM_ADMIN_NOT_AUTHENTICATED', '%s', 401)
export const AdminBadRequest = createError('SIM_ADMIN_BAD_REQUEST', '%s', 400)
export const AdminNotFound = createError('SIM_ADMIN_NOT_FOUND', '%s', 404)
export const AdminConflict = createError('SIM_ADMIN_CONFLICT', '%s', 409)
/** An error answer injected by a fault; its status is the fault's. */
export const InjectedFault = createError('SIM_INJECTED_FAULT', '%s', 500)

/** The `internalCode` of each error; the table in docs/errors.md and openapi.yaml says the same. */
export const INTERNAL_CODES = {
  SIM_NOT_AUTHENTICATED: 10,
  SIM_FORBIDDEN: 11,
  SIM_ADMIN_NOT_AUTHENTICATED: 12,
  SIM_BAD_PARAMETER: 20,
  SIM_MALFORMED_REQUEST: 21,
  SIM_ADMIN_BAD_REQUEST: 22,
  SIM_UNKNOWN_SKILL: 30,
  SIM_UNKNOWN_AGENT: 31,
  SIM_UNKNOWN_ROUTE: 32,
  SIM_ADMIN_NOT_FOUND: 33,
  SIM_METHOD_NOT_ALLOWED: 40,
  SIM_NOT_ACCEPTABLE: 41,
  SIM_ADMIN_CONFLICT: 42,
  SIM_INTERNAL: 50,
  SIM_UNAVAILABLE: 51,
  SIM_INJECTED_FAULT: 60
} as const satisfies Record<string, number>

const codeOf = (error: FastifyError): number | undefined => (INTERNAL_CODES as Record<string, number>)[error.code]
const INTERNAL_MESSAGE = 'internal error; the simulator could not answer this request, and its log has the details'

/** Request text in a message is cut short (never inside a character), so an error body stays small. */
export function cut (text: string, max = 80): string {
  if (text.length <= max) return text
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max
  return text.slice(0, end) + '…'
}

export const quote = (text: string, max = 80): string => `'${cut(text, max)}'`

/**
 * The path of a URL as the router sees it: percent-decoded, except that runs of escapes which do not decode
 * (`%ZZ`, broken UTF-8) are left as they are, so a path with one bad escape still shows what it names.
 */
export function pathOf (url: string): string {
  const q = url.indexOf('?')
  const path = q === -1 ? url : url.slice(0, q)
  if (!path.includes('%')) return path
  return path.replace(/(%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run)
    } catch {
      return run
    }
  })
}

export type ErrorTime = () => string

/** The clock's time as RFC 3339; kept within the years 0000–9999 here too, so that an error body can always be written. */
export const errorTime = (clock: Clock): ErrorTime => () => new Date(withinRange(clock.now())).toISOString()

/** The media type of an error: negotiated like the answer, JSON when nothing else is acceptable; `byAccept` when Accept chose it. */
function errorMediaType (request: FastifyRequest, status: number): { type: MediaType, byAccept: boolean } {
  if (status === 406) return { type: 'application/json', byAccept: true }
  const suffix = (request.routeOptions?.config as { format?: Suffix } | undefined)?.format ?? suffixOf(pathOf(request.url))
  return { type: negotiate(request.headers.accept, suffix) ?? 'application/json', byAccept: suffix === undefined }
}

/** The realm a 401 names in its WWW-Authenticate challenge (RFC 6750), by internal code. */
const REALMS: Record<number, string> = {
  [INTERNAL_CODES.SIM_NOT_AUTHENTICATED]: 'agent session',
  [INTERNAL_CODES.SIM_ADMIN_NOT_AUTHENTICATED]: 'simulator admin'
}

/** Sends the product's error body for any error: ours, Fastify's own client errors, or an unexpected one. */
export function sendError (time: ErrorTime, error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  let status = error.statusCode ?? 500
  let code = codeOf(error)
  let message = error.message
  if (code === undefined && status >= 400 && status < 500) {
    // Defensive: no route reads a body today, but a client error Fastify raises still gets the product's body.
    code = INTERNAL_CODES.SIM_MALFORMED_REQUEST
    message = `malformed request: ${cut(error.message, 200)}`
  } else if (code === undefined) {
    request.log.error({ err: error }, 'unexpected error')
    status = 500
    code = INTERNAL_CODES.SIM_INTERNAL
    message = INTERNAL_MESSAGE
  }
  const { type, byAccept } = errorMediaType(request, status)
  if (byAccept) varyOnAccept(reply)
  const realm = REALMS[code]
  if (realm !== undefined) {
    // A token was sent and refused (unknown, expired or malformed): invalid_token; none sent: the bare challenge.
    const sent = request.headers.authorization !== undefined && request.headers.authorization !== ''
    reply.header('www-authenticate', `Bearer realm="${realm}"${sent ? ', error="invalid_token"' : ''}`)
  }
  reply.code(status).type(contentType(type)).send(errorBody({ time: time(), message, internalCode: code }, type))
}

/**
 * Writes an error straight to a socket that Fastify never saw (a request Node could not parse, CONNECT), in JSON,
 * and closes it once written, whatever the client does with its side.
 */
export function endSocketWithError (socket: Socket, time: ErrorTime, status: number, reason: string, internalCode: number,
  message: string, extraHeaders = ''): void {
  const body = errorBody({ time: time(), message, internalCode }, 'application/json')
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${contentType('application/json')}\r\n${extraHeaders}` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`, () => socket.destroy())
}

/** Node's parser errors that deserve their own status; anything else it cannot parse is a 400. */
const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'the request was not received in time'],
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'the request line and headers are larger than 16 KiB']
}

/**
 * For Node's `clientError`: a request too broken to reach Fastify still gets the product's error body — after the
 * answers to the requests pipelined before it on the connection, in their order, never in place of one of them.
 */
export function clientErrorHandler (time: ErrorTime) {
  const refused = new WeakSet<Socket>()
  return (error: NodeJS.ErrnoException, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy()
      return
    }
    if (refused.has(socket)) return
    refused.add(socket)
    const [status, reason, what] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Bad Request', 'the HTTP request could not be parsed']
    afterAnswers(socket, () => {
      if (socket.writable) endSocketWithError(socket, time, status, reason, INTERNAL_CODES.SIM_MALFORMED_REQUEST, `malformed request: ${what}`)
    })
  }
}

/** Calls back once no answer is under way on the connection (Node hands the next queued one over as each ends). */
function afterAnswers (socket: Socket, then: () => void): void {
  const answer = answerUnderWay(socket)
  if (answer == null) then()
  else answer.once('close', () => { afterAnswers(socket, then) })
}
