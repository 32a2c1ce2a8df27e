/**
 * Applies injected faults to the simulated API's routes: a delay, then maybe an error status in the product's
 * body, a malformed body, or a dropped connection. With no fault set, a request pays one check.
 */
import type { FastifyInstance } from 'fastify'
import type { Clock } from '../domain/clock.js'
import type { Faults } from '../domain/faults.js'
import type { Journal } from '../domain/journal.js'
import { InjectedFault, pathOf } from './errors.js'
import { journalRecord } from './journal.js'
import { contentType, negotiate, suffixOf, varyOnAccept } from './media.js'
import type { Lifecycle } from './unrouted.js'

const MALFORMED = { 'application/json': '{"availableSlots":', 'application/xml': '<?xml version="1.0" encoding="UTF-8"?><availableSlots>' }

export function faultSupport (app: FastifyInstance, faults: Faults, journal: Journal, clock: Clock, lifecycle: Lifecycle): void {
  app.addHook('onRequest', (request, reply, done) => {
    // While closing, the route's own 503 comes first.
    if (faults.empty || request.routeOptions.config.api !== true || lifecycle.closing) return done()
    const path = pathOf(request.url)
    const decision = faults.decide(request.method, path, (request.params as { accountId?: string }).accountId)
    if (decision === undefined) return done()
    const act = (): void => {
      const { terminal } = decision
      if (terminal === undefined) return done()
      const { effect, fault } = terminal
      if (effect.type === 'error') {
        const error: { statusCode: number } & InstanceType<typeof InjectedFault> =
          Object.assign(new InjectedFault(effect.message ?? `fault ${fault.id} injected by the simulator: ${effect.status}`), { statusCode: effect.status })
        return done(error)
      }
      if (effect.type === 'malformed') {
        const suffix = request.routeOptions.config.format ?? suffixOf(path)
        const type = negotiate(request.headers.accept, suffix) ?? 'application/json'
        if (suffix === undefined) varyOnAccept(reply)
        void reply.code(200).type(contentType(type)).send(type === 'application/json' ? MALFORMED[type] : MALFORMED['application/xml'])
        return
      }
      // drop: no answer at all; the journal records it here, since no response will ever finish.
      journalRecord(journal, clock, request, null, reply.elapsedTime)
      reply.raw.destroy()
    }
    if (decision.delayMs > 0) {
      // It arrived before closing: if closing starts while it waits, it still gets its answer.
      lifecycle.admitted.add(request)
      setTimeout(act, decision.delayMs)
    } else act()
  })
}
