/** GET …/agentSession/{agentSessionId}/chat/availableSlots[.json|.xml]: HTTP only; the answer comes from the model. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { HttpContext } from '../http/context.js'
import type { FaultInjector } from '../http/faults.js'
import { authorize } from '../http/auth.js'
import { notAcceptable } from '../http/errors.js'
import { contentType, negotiate, varyOnAccept, type Suffix } from '../http/media.js'
import { slotsBody } from '../http/representation.js'
import type { Query } from '../http/querystring.js'
import { checkProtocol } from '../http/lifecycle.js'
import { SLOTS_PATH, SUFFIXES } from '../http/paths.js'
import { parseSlotsQuery } from './slots-query.js'
import { slotsFor } from './slots-answer.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The suffix a route's path ends with, which errors are negotiated with too. */
    format?: Suffix
  }
}

/** What the router gives the handler: the path's parameters, and the query as our parser reads it. */
interface SlotsRequest {
  Params: { accountId: string, agentSessionId: string }
  Querystring: Query
}

/**
 * The checks run in the documented order, by the route's own parsing (no schema; openapi-base.yaml documents it):
 * (404/405 elsewhere) → 406 → 401 → 403 → 400 → 404. */
export function availableSlotsRoutes (app: FastifyInstance, { world, clock, lifecycle, injectFault }: Pick<HttpContext, 'world' | 'clock' | 'lifecycle'> & { injectFault: FaultInjector }): void {
  const answer = (format: Suffix | undefined) => (request: FastifyRequest<SlotsRequest>, reply: FastifyReply): FastifyReply => {
    checkProtocol(lifecycle, request)
    const type = negotiate(request.headers.accept, format)
    if (type === undefined) throw notAcceptable(request.headers.accept)
    const { accountId, agentSessionId } = request.params
    const { account } = authorize(world, clock, request.headers.authorization, accountId, agentSessionId)
    const slots = slotsFor(world, account, parseSlotsQuery(request.query))
    if (format === undefined) varyOnAccept(reply)
    return reply.type(contentType(type)).send(slotsBody(slots, type))
  }

  for (const format of [undefined, ...SUFFIXES]) {
    // Errors of a suffixed route are negotiated with its suffix, however the path spelled it (%2Exml too).
    const respond = answer(format)
    app.get<SlotsRequest>(format === undefined ? SLOTS_PATH : `${SLOTS_PATH}.${format}`, { config: { format, api: true }, schema: { hide: true } }, (request, reply) => {
      if (!injectFault(request, reply, () => { respond(request, reply) })) return respond(request, reply)
    })
  }
}
