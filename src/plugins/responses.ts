/**
 * One onResponse hook for everything that observes answered requests (the metrics, the journal): each hook Fastify
 * runs costs more than these observers themselves (docs/benchmarks.md), and the elapsed time is read once.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/** `route` is `request.routeOptions`, read once: Fastify builds a new object on every read. */
export type ResponseObserver = (request: FastifyRequest, reply: FastifyReply, elapsedMs: number, route: FastifyRequest['routeOptions']) => void

export function observeResponses (app: FastifyInstance, observers: Array<ResponseObserver | undefined>): void {
  const active = observers.filter((observer): observer is ResponseObserver => observer !== undefined)
  if (active.length === 0) return
  app.addHook('onResponse', (request, reply, done) => {
    const elapsedMs = reply.elapsedTime
    const route = request.routeOptions
    for (const observe of active) observe(request, reply, elapsedMs, route)
    done()
  })
}
