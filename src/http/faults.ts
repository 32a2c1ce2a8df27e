/**
 * Applies injected faults to the simulated API's routes: a delay, then maybe an error status in the product's
 * body, a malformed body, or a dropped connection. Called by those routes' handlers, not a hook: with no fault set, a
 * request pays one check, and no route pays for a hook it never needs.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { HttpContext } from './context.js'
import { InjectedFault, pathOf } from './errors.js'
import { journalRecord } from './journal-record.js'
import { contentType, negotiate, suffixOf, varyOnAccept } from './media.js'

const MALFORMED = { 'application/json': '{"availableSlots":', 'application/xml': '<?xml version="1.0" encoding="UTF-8"?><availableSlots>' }

/** Whether a fault took the request (answered it, or will): if not, the route answers as usual, at once. */
export type FaultInjector = (request: FastifyRequest, reply: FastifyReply, answer: () => void) => boolean

export function faultInjector ({ faults, journal, clock, lifecycle }: Pick<HttpContext, 'faults' | 'journal' | 'clock' | 'lifecycle'>): FaultInjector {
  return (request, reply, answer) => {
    // While closing, the route's own 503 comes first.
    if (faults.empty || lifecycle.closing) return false
    const path = pathOf(request.url)
    const decision = faults.decide(request.method, path, (request.params as { accountId?: string }).accountId)
    if (decision === undefined || (decision.delayMs === 0 && decision.terminal === undefined)) return false
    const act = (): void => {
      const { terminal } = decision
      if (terminal === undefined) return answer()
      const { effect, fault } = terminal
      if (effect.type === 'error') {
        throw Object.assign(new InjectedFault(effect.message ?? `fault ${fault.id} injected by the simulator: ${effect.status}`), { statusCode: effect.status })
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
    if (decision.delayMs === 0) {
      act()
      return true
    }
    // It arrived before closing: if closing starts while it waits, it still gets its answer.
    lifecycle.admitted.add(request)
    setTimeout(() => {
      try {
        act()
      } catch (error) {
        void reply.send(error)
      }
    }, decision.delayMs)
    return true
  }
}
