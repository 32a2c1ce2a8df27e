/**
 * Every failure, whatever raised it, leaves in one body, negotiated like the answer:
 * {"error": {"time", "message", "internalCode"}}. The internal codes are documented in docs/errors.md.
 */
import type { Socket } from 'node:net'
import createError from '@fastify/error'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { withinRange, type Clock } from '../domain/clock.js'
import { ConflictError } from '../domain/model.js'
import { contentType, MEDIA_TYPES, negotiate, suffixOf, varyOnAccept, type MediaType, type Suffix } from './media.js'
import { errorBody } from './representation.js'
import { answerUnderWay } from './connections.js'

/**
 * Every error the simulator answers with, once: its name, its status, its `internalCode`, and the other statuses
 * Node or Fastify give it (a request refused before any route). docs/errors.md and openapi.yaml describe this table
 * in words; test/http/errors.test.ts checks that their tables say the same codes and statuses.
 */
export const ERRORS = {
  SIM_NOT_AUTHENTICATED: { status: 401, internalCode: 10 },
  SIM_FORBIDDEN: { status: 403, internalCode: 11 },
  SIM_ADMIN_NOT_AUTHENTICATED: { status: 401, internalCode: 12 },
  SIM_APP_KEY_REFUSED: { status: 401, internalCode: 13 },
  SIM_BAD_PARAMETER: { status: 400, internalCode: 20 },
  SIM_MALFORMED_REQUEST: { status: 400, internalCode: 21, alsoStatuses: [408, 413, 415, 417, 431] },
  SIM_ADMIN_BAD_REQUEST: { status: 400, internalCode: 22 },
  SIM_UNKNOWN_SKILL: { status: 404, internalCode: 30 },
  SIM_UNKNOWN_AGENT: { status: 404, internalCode: 31 },
  SIM_UNKNOWN_ROUTE: { status: 404, internalCode: 32 },
  SIM_ADMIN_NOT_FOUND: { status: 404, internalCode: 33 },
  SIM_UNKNOWN_ACCOUNT: { status: 404, internalCode: 34 },
  SIM_METHOD_NOT_ALLOWED: { status: 405, internalCode: 40 },
  SIM_NOT_ACCEPTABLE: { status: 406, internalCode: 41 },
  SIM_ADMIN_CONFLICT: { status: 409, internalCode: 42 },
  SIM_TOO_MANY: { status: 429, internalCode: 43 },
  SIM_INTERNAL: { status: 500, internalCode: 50 },
  SIM_UNAVAILABLE: { status: 503, internalCode: 51 },
  /** Its status is the fault's own, any of 400..599. */
  SIM_INJECTED_FAULT: { status: 500, internalCode: 60 }
} as const satisfies Record<string, { status: number, internalCode: number, alsoStatuses?: readonly number[] }>

export type ErrorName = keyof typeof ERRORS

/** An error class of the table: its message is the one given, its status the table's. */
const simulatorError = <N extends ErrorName>(name: N): createError.FastifyErrorConstructor<{ code: N, statusCode: number }, [string]> =>
  createError<N, number, [string]>(name, '%s', ERRORS[name].status)

export const NotAuthenticated = simulatorError('SIM_NOT_AUTHENTICATED')
export const Forbidden = simulatorError('SIM_FORBIDDEN')
export const BadParameter = simulatorError('SIM_BAD_PARAMETER')
export const MalformedRequest = simulatorError('SIM_MALFORMED_REQUEST')
export const UnknownSkill = simulatorError('SIM_UNKNOWN_SKILL')
export const UnknownAgent = simulatorError('SIM_UNKNOWN_AGENT')
export const UnknownRoute = simulatorError('SIM_UNKNOWN_ROUTE')
export const UnknownAccount = simulatorError('SIM_UNKNOWN_ACCOUNT')
export const AppKeyRefused = simulatorError('SIM_APP_KEY_REFUSED')
export const TooMany = simulatorError('SIM_TOO_MANY')
export const MethodNotAllowed = simulatorError('SIM_METHOD_NOT_ALLOWED')
export const NotAcceptable = simulatorError('SIM_NOT_ACCEPTABLE')
export const Unavailable = simulatorError('SIM_UNAVAILABLE')
export const AdminNotAuthenticated = simulatorError('SIM_ADMIN_NOT_AUTHENTICATED')
export const AdminBadRequest = simulatorError('SIM_ADMIN_BAD_REQUEST')
export const AdminNotFound = simulatorError('SIM_ADMIN_NOT_FOUND')
export const AdminConflict = simulatorError('SIM_ADMIN_CONFLICT')
/** An error answer injected by a fault; its status is the fault's. */
export const InjectedFault = simulatorError('SIM_INJECTED_FAULT')

/** Runs a change the model may refuse for a bound it has reached (a ConflictError): that refusal is a 429. */
export function tooMany<T> (run: () => T): T {
  try {
    return run()
  } catch (err) {
    if (err instanceof ConflictError) throw new TooMany(err.message)
    throw err
  }
}

/** The `internalCode` of each error, by name. */
export const INTERNAL_CODES = Object.fromEntries(Object.entries(ERRORS).map(([name, { internalCode }]) => [name, internalCode])) as
  { [name in ErrorName]: typeof ERRORS[name]['internalCode'] }

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

/** The scheme and realm a 401 names in its WWW-Authenticate challenge (RFC 6750), by internal code. */
const REALMS: Record<number, string> = {
  [INTERNAL_CODES.SIM_NOT_AUTHENTICATED]: 'Bearer realm="agent session"',
  [INTERNAL_CODES.SIM_ADMIN_NOT_AUTHENTICATED]: 'Bearer realm="simulator admin"',
  [INTERNAL_CODES.SIM_APP_KEY_REFUSED]: 'LivePerson realm="visitor"'
}

const sizeInWords = (bytes: number): string => (bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`)

/** Sends the product's error body for any error: ours, Fastify's own client errors, or an unexpected one. */
export function sendError (time: ErrorTime, error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  let status = error.statusCode ?? 500
  let code = codeOf(error)
  let message = error.message
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    code = INTERNAL_CODES.SIM_MALFORMED_REQUEST
    message = `malformed request: the body is over ${sizeInWords(request.routeOptions.bodyLimit)}, the most this route reads`
  } else if (code === undefined && status >= 400 && status < 500) {
    // A client error Fastify raises (a body it cannot read) still gets the product's body.
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
    const sent = (request.headers.authorization !== undefined && request.headers.authorization !== '') ||
      (code === INTERNAL_CODES.SIM_APP_KEY_REFUSED && (request.query as Record<string, unknown> | undefined)?.appKey !== undefined)
    reply.header('www-authenticate', `${realm}${sent ? ', error="invalid_token"' : ''}`)
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

/** 406: none of the types the client accepts can be served. */
export const notAcceptable = (accept: string | undefined): InstanceType<typeof NotAcceptable> =>
  new NotAcceptable(`none of the media types in Accept ${quote(accept ?? '')} can be served; ` +
    `this API answers in ${MEDIA_TYPES.join(', ')} (or add .json or .xml to the path)`)
