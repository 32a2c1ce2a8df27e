/**
 * How the control API's schemas are written and used. Every schema with an `$id` is written once, in this folder or in
 * domain/scenario-schema.ts and domain/fault-schema.ts, and composed by using it (so TypeScript derives each type from
 * it). Before Fastify sees a schema, a named part used inside another becomes a reference (`{"$ref": "Agent"}`): Ajv
 * resolves it among the registered schemas, and @fastify/swagger lists each named schema once, as a component of the
 * OpenAPI document.
 */
import { Type, type Static, type TSchema } from 'typebox'
import { MEDIA_TYPES } from '../media.js'

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null

/**
 * The schema with each named part inside it (anything with an `$id`, but the schema itself) replaced by a reference.
 * A string type is kept beside the reference: Ajv checks `uniqueItems` with a hash (linear) only when the items
 * say their type, and compares every pair otherwise.
 */
export function referenced<T extends object> (schema: T): T {
  // Typed as the schema it was made from: it accepts the same values, so its Static type is the same.
  return refs(schema, true) as T
}

function refs (node: unknown, root: boolean): unknown {
  if (Array.isArray(node)) return node.map((item) => refs(item, false))
  if (!isObject(node)) return node
  if (!root && typeof node.$id === 'string') return { $ref: node.$id, ...(node.type === 'string' ? { type: 'string' } : {}) }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, refs(value, false)]))
}

/** The schema as one piece, without names: for an Ajv of its own that checks a whole document at once (see scenarios.ts). */
export function inlined<T extends TSchema> (schema: T): T {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip)
    if (!isObject(node)) return node
    return Object.fromEntries(Object.entries(node).filter(([key]) => key !== '$id').map(([key, value]) => [key, strip(value)]))
  }
  // The same values, as above.
  return strip(schema) as T
}

/** Every named schema inside `schemas` (and they themselves), each once, by `$id`; two different ones with one `$id` are an error. */
export function namedSchemas (schemas: readonly TSchema[]): Map<string, TSchema> {
  const found = new Map<string, TSchema>()
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit)
    if (!isObject(node)) return
    if (typeof node.$id === 'string') {
      const seen = found.get(node.$id)
      // The same object met again (a schema used in many places) needs no comparison; a copy must say the same.
      if (seen !== undefined && seen !== node && JSON.stringify(seen) !== JSON.stringify(node)) {
        throw new Error(`two different schemas have the $id '${node.$id}'`)
      }
      if (seen === node) return
      found.set(node.$id, node as TSchema)
    }
    Object.values(node).forEach(visit)
  }
  schemas.forEach(visit)
  return found
}

/** A response without a body. */
export const noContent = (description: string) => Type.Unsafe<undefined>({ description, type: 'null' })

/** A JSON response: what the answer means, and its schema (a named one by reference). */
export function json<T extends TSchema> (description: string, schema: T) {
  const id = (schema as { $id?: unknown }).$id
  return Type.Unsafe<Static<T>>(typeof id === 'string' ? { description, $ref: id } : { ...schema, description })
}

/** An error response: the product's error body, in the negotiated media type. */
export const failure = (description: string) => ({
  description,
  content: Object.fromEntries(MEDIA_TYPES.map((type) => [type, { schema: type === 'application/json' ? { $ref: 'Error' } : { $ref: 'ErrorXml' } }]))
})

/** What an admin operation says of itself; its answers, by status, besides those every admin operation may give. */
export interface AdminOperation {
  operationId: string
  summary: string
  description?: string
  params?: TSchema
  querystring?: TSchema
  body?: TSchema
  response: Record<number, unknown>
}

/**
 * The route schema of an admin operation: its own parts (named parts as references), tagged Admin, behind the admin
 * token, with the answers any admin route may give: 401 and 503, and for a method with a body the refusals of the
 * body as HTTP (400, 413, 415).
 */
export function adminOperation<T extends AdminOperation> (operation: T, method: 'GET' | 'OTHER' = 'OTHER') {
  const withBody = method === 'OTHER'
  return referenced({
    tags: ['Admin'],
    security: [{ adminToken: [] }],
    ...operation,
    response: {
      ...(withBody
        ? {
            // A route with a body says what its 400 means; one without is refused a body only as HTTP.
            ...(operation.body === undefined
              ? { 400: failure('A body sent as `application/json` that is empty or not valid JSON (internalCode 21); this route needs no body.') }
              : {}),
            413: failure('The body is over 1 MiB (internalCode 21).'),
            415: failure('A body whose `Content-Type` is neither `application/json` nor `text/plain` (internalCode 21). A `text/plain` ' +
              'body is taken as a string: refused with 400 where a body is read, ignored where none is.')
          }
        : {}),
      401: {
        ...failure('The simulator was started with `ADMIN_TOKEN`, and the token is missing or wrong (internalCode 12).'),
        headers: { 'WWW-Authenticate': { type: 'string', description: '`Bearer realm="simulator admin"`, with `, error="invalid_token"` when a token was sent.' } }
      },
      503: failure('The simulator is shutting down (internalCode 51).'),
      ...operation.response
    }
  })
}
