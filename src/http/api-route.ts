/**
 * How a route of the simulated API family is added: at its path and at the path with `.json` and `.xml`, refused
 * while closing and for an Accept it cannot serve (406) before anything else, journaled, and subject to faults. Its
 * OpenAPI operation is given as `documented` (the route checks its own requests, in the documented order, so Fastify
 * gets no schema to validate with); documentation.ts shares it among the three paths.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TSchema } from 'typebox'
import type { HttpContext } from './context.js'
import { notAcceptable } from './errors.js'
import type { FaultInjector } from './faults.js'
import { checkProtocol } from './lifecycle.js'
import { negotiate, varyOnAccept, type MediaType } from './media.js'
import { SUFFIXES } from './paths.js'
import type { Query } from './querystring.js'
import { failure, referenced } from './schemas/contract.js'
import { API_BODY_LIMIT } from './request-body.js'

export interface ApiCall<P> {
  request: FastifyRequest<{ Params: P, Querystring: Query }>
  reply: FastifyReply
  /** The negotiated media type of the answer. */
  type: MediaType
}

/** The OpenAPI operation of an API route (named parts of its schemas become references). */
export interface ApiOperation {
  summary: string
  description: string
  params?: TSchema
  querystring?: TSchema
  body?: TSchema
  /** The media types a body may have (default: JSON only). */
  consumes?: string[]
  security: Array<Record<string, string[]>>
  response: Record<number, unknown>
}

export interface ApiRoute<P> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** In the router's syntax, without suffix. */
  path: string
  documented: ApiOperation
  /** Answers the request (or throws one of the product's errors). */
  handle: (call: ApiCall<P>) => FastifyReply
}

export type ApiContext = Pick<HttpContext, 'lifecycle'> & { injectFault: FaultInjector }

/** The answers every route of the family may give besides its own. */
const COMMON_RESPONSES = {
  406: { description: 'None of the accepted media types can be served (internalCode 41); always JSON.', content: { 'application/json': { schema: { $ref: 'Error' } } } },
  503: failure('The simulator is shutting down (internalCode 51).'),
  '4XX': failure('An error injected by a fault (`POST /__admin/faults`): the fault\'s status, internalCode 60.'),
  '5XX': failure('An error injected by a fault (`POST /__admin/faults`): the fault\'s status, internalCode 60.')
}

export function apiRoute<P> (app: FastifyInstance, { lifecycle, injectFault }: ApiContext, route: ApiRoute<P>): void {
  const documented = referenced({ tags: ['Chat Agent API'], ...route.documented, response: { ...route.documented.response, ...COMMON_RESPONSES } })
  for (const format of [undefined, ...SUFFIXES]) {
    const respond = (request: FastifyRequest<{ Params: P, Querystring: Query }>, reply: FastifyReply): FastifyReply => {
      checkProtocol(lifecycle, request)
      const type = negotiate(request.headers.accept, format)
      if (type === undefined) throw notAcceptable(request.headers.accept)
      if (format === undefined) varyOnAccept(reply)
      return route.handle({ request, reply, type })
    }
    app.route<{ Params: P, Querystring: Query }>({
      method: route.method,
      url: format === undefined ? route.path : `${route.path}.${format}`,
      config: format === undefined
        ? { format, api: true, swaggerTransform: ({ url }) => ({ schema: documented, url }) }
        : { format, api: true },
      ...(format === undefined ? {} : { schema: { hide: true } }),
      bodyLimit: API_BODY_LIMIT,
      handler: (request, reply) => {
        if (!injectFault(request, reply, () => { respond(request, reply) })) return respond(request, reply)
      }
    })
  }
}
