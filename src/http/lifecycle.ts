/** Whether the server is closing, and the refusals every request meets first: 503 while closing, 400 for bad HTTP/1.1. */
import type { FastifyRequest } from 'fastify'
import { MalformedRequest, Unavailable } from './errors.js'

/** Set when the server starts closing: from then on every request that arrives is refused with 503. */
export interface Lifecycle {
  closing: boolean
  /** Requests that arrived before closing but reach their handler later (held by a latency fault): they finish. */
  admitted: WeakSet<object>
}

export const shuttingDown = (): InstanceType<typeof Unavailable> =>
  new Unavailable('the simulator is shutting down; retry against a running instance')

/** Refusals that come before anything else: the server is closing, or the request is not valid HTTP/1.1. */
export function checkProtocol (lifecycle: Lifecycle, request: FastifyRequest): void {
  if (lifecycle.closing && !lifecycle.admitted.has(request)) throw shuttingDown()
  if (request.headers.host === undefined && request.raw.httpVersion === '1.1') {
    throw new MalformedRequest('malformed request: an HTTP/1.1 request needs a Host header')
  }
}
