/**
 * The OpenAPI document, built from the routes (@fastify/swagger, dynamic), with the parts written by hand in
 * openapi-base.yaml merged in; and /documentation: Swagger UI over it, so the API can be tried in a browser.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { parse } from 'yaml'
import { packageRoot } from '../package-root.js'

export const DOCUMENTATION_PATH = '/documentation'

/** An OpenAPI document as parsed: plain JSON, whose shape openapi-base.yaml and @fastify/swagger give. */
type Json = Record<string, any>

const base: Json = parse(readFileSync(join(packageRoot, 'openapi-base.yaml'), 'utf8'))

/** The hand-written paths and components, and those made from the routes; a name given twice is a mistake. */
function merge (generated: Json): Json {
  const { securitySchemes: _given, ...components }: Json = base.components
  for (const [section, entries] of Object.entries<Json>(generated.components ?? {})) {
    const twice = Object.keys(entries).filter((name) => name in (components[section] ?? {}))
    if (twice.length > 0) throw new Error(`openapi-base.yaml and the routes both define components.${section}: ${twice.join(', ')}`)
    components[section] = { ...components[section], ...entries }
  }
  const paths: Json = {}
  for (const [path, item] of Object.entries<Json>(generated.paths ?? {})) {
    Object.values(item).forEach(optionalBody)
    if (path.startsWith('/api/')) withSuffixes(path, item, paths)
    else paths[path] = item
  }
  const twice = Object.keys(paths).filter((path) => path in base.paths)
  if (twice.length > 0) throw new Error(`openapi-base.yaml and the routes both define paths: ${twice.join(', ')}`)
  return { ...base, paths: { ...base.paths, ...paths }, components }
}

/**
 * An API route answers at its path and at the path with `.json` and `.xml` (api-route.ts): each of the three gets the
 * route's operations (none has an operationId, which would have to be unique). Written out rather than shared through
 * a path item `$ref`: Swagger UI resolves such references so slowly that 36 of them kept /documentation blank for
 * over 40 s, against 11 s written out.
 */
function withSuffixes (path: string, item: Json, paths: Json): void {
  // A CORS preflight is answered on every path of the API, as on availableSlots (@fastify/cors takes every OPTIONS);
  // Fastify answers HEAD wherever there is a GET.
  const head = item.get === undefined ? {} : { head: headOf(item.get) }
  const operations = { ...item, ...head, options: base.components.pathItems.AvailableSlots.options }
  for (const variant of [path, `${path}.json`, `${path}.xml`]) paths[variant] = structuredClone(operations)
}

/** HEAD of a GET: the same answers, without their bodies. */
function headOf (get: Json): Json {
  const { operationId: _id, responses, ...rest } = get
  return {
    ...rest,
    summary: `${String(get.summary)}, headers only`,
    description: 'As GET, without the body.',
    responses: Object.fromEntries(Object.keys(responses).map((status) => [status, { description: 'As GET.' }]))
  }
}

/**
 * A body schema that admits `null` is a body that may be left out (Fastify checks a missing body as null):
 * @fastify/swagger marks every body required, so the operation says so here, and shows the body without `null`.
 */
function optionalBody (operation: Json): void {
  const body = operation.requestBody?.content?.['application/json']
  const kinds: Json[] | undefined = body?.schema?.anyOf
  if (kinds === undefined || !kinds.some((kind) => kind.type === 'null')) return
  const rest = kinds.filter((kind) => kind.type !== 'null')
  const { anyOf: _kinds, ...words } = body.schema
  body.schema = rest.length === 1 ? { ...words, ...rest[0] } : { ...words, anyOf: rest }
  operation.requestBody.required = false
}

/** Registered before any route, so that it sees every route as it is added. */
export async function openapiDocument (app: FastifyInstance): Promise<void> {
  const { paths: _paths, components, ...head } = base
  await app.register(swagger, {
    // The security schemes are given here: the routes' operations name them.
    openapi: { ...head, components: { securitySchemes: components.securitySchemes } },
    // A registered schema is a component named by its `$id`.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => typeof json.$id === 'string' ? json.$id : `def-${i}` },
    transformObject: (document) => merge('openapiObject' in document ? document.openapiObject : {})
  })
  // Built once at start, so that a name defined twice stops the simulator instead of failing /documentation/json.
  app.addHook('onReady', async () => { app.swagger() })
}

export async function documentationRoutes (app: FastifyInstance): Promise<void> {
  await app.register(swaggerUi, {
    routePrefix: DOCUMENTATION_PATH,
    uiConfig: { deepLinking: true, tryItOutEnabled: true, persistAuthorization: true }
  })
}
