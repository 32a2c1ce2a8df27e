import { readFileSync } from 'node:fs'
import t from 'tap'
import { parse } from 'yaml'
import { OPENAPI_FILE, openapiYaml } from '../src/contract-files.js'
import { Validator } from '@seriousme/openapi-schema-validator'
import type { RouteOptions } from 'fastify'
import { buildApp } from '../src/app.js'
import { INTERNAL_CODES } from '../src/http/errors.js'
import { resourceAt } from '../src/http/paths.js'
import { loadScenario } from '../src/scenarios.js'
import { deref, documentedPaths, openapi } from './helpers/contract.js'

t.test('openapi.yaml is the document the simulator serves', async (t) => {
  t.equal(readFileSync(OPENAPI_FILE, 'utf8'), await openapiYaml(), 'the file is current (npm run schemas writes it)')
  t.strictSame(parse(readFileSync(OPENAPI_FILE, 'utf8')), openapi)
})

t.test('the served document is a valid OpenAPI 3.1 document', async (t) => {
  const validator = new Validator()
  const result = await validator.validate(structuredClone(openapi))
  t.same(result, { valid: true })
  t.equal(validator.version, '3.1')
})

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options', 'trace']

/** Documented operations as "method path-template". */
function documentedOperations (): string[] {
  return documentedPaths.flatMap(([template]) =>
    Object.keys(deref(openapi.paths[template])).filter((key) => METHODS.includes(key)).map((method) => `${method} ${template}`)).sort()
}

/** A route as the document names it: `:param` → `{param}`, Swagger UI's files → one templated path. */
function documentedName (method: string, url: string): string {
  const path = url.replace(/:([A-Za-z]+)/g, '{$1}').replace(/(.)\/$/, '$1').replace(/^\/documentation\/static\/.+$/, '/documentation/static/{asset}')
  return `${method.toLowerCase()} ${path}`
}

t.test('every route the app serves is documented, and every documented operation answers as documented', async (t) => {
  const routes = new Set<string>()
  const onRoute = (route: RouteOptions): void => {
    for (const method of [route.method].flat()) routes.add(documentedName(method, route.url))
  }
  const world = loadScenario('default').world
  const app = await buildApp({ world, onRoute })
  t.teardown(() => app.close())
  const documented = documentedOperations()
  // @fastify/cors takes every OPTIONS, and answers those that are not preflights as unrouted (see below).
  t.ok(routes.delete('options *'), 'the CORS preflight route')
  // Fastify gives every GET route a HEAD route; the document lists HEAD where it is part of the API.
  const served = [...routes].filter((op) => !op.startsWith('head ') || documented.includes(op) || !routes.has(op.replace(/^head/, 'get')))
  // The operations documented as refused (405, and no success but a CORS preflight's) have no route: the unrouted-request guard answers them.
  const isRefused = (op: string): boolean => {
    const [method, template] = op.split(' ') as [string, string]
    const statuses = Object.keys(deref(openapi.paths[template])[method].responses)
    return statuses.includes('405') && (method === 'options' || !statuses.some((status) => status.startsWith('2')))
  }
  const answered = documented.filter((op) => !isRefused(op))
  t.same(served.sort(), answered, 'routes = documented operations, but those refused with 405')
  t.equal(answered.filter((op) => op.startsWith('get ') || op.startsWith('head ')).length, 6 + 48 + 6 + 5 + 11,
    'availableSlots\'s 3 paths × GET and HEAD, GET and HEAD on the 8 other readable resources of the API × 3 paths, GET on 6 paths ' +
    'of the simulator\'s own and the dashboard\'s 5 files, and GET on 11 paths of the admin API')
  t.equal(answered.filter((op) => op.includes(' /api/') && !op.startsWith('get ') && !op.startsWith('head ')).length, 3 * 8,
    'POST login, logout, refresh, agentSession; DELETE and POST (override) a session; PUT and POST (override) availability: each × 3 paths')
  t.equal(answered.filter((op) => op.includes(' /__admin/') && !op.startsWith('get ')).length, 23, 'POST, PUT, PATCH and DELETE of the admin API')
  // Every other documented method is answered 405 by the unrouted-request guard.
  const refused = documented.filter(isRefused)
  t.equal(refused.length, 18 + 36, 'availableSlots\'s 3 paths × 6 refused methods; OPTIONS (but a preflight) on the 12 other resources × 3 paths')
  for (const op of refused) {
    const [method, template] = op.split(' ') as [string, string]
    const url = template.replace('{accountId}', '1').replace('{agentSessionId}', 's')
    const res = await app.inject({ method: method.toUpperCase() as 'POST', url })
    t.equal(res.statusCode, 405, op)
    t.equal(res.headers.allow, resourceAt(url)?.allow, op)
  }
})

t.test('the documented internal codes are the ones the app uses', async (t) => {
  const enumerated = openapi.components.schemas.ErrorDetail.properties.internalCode.enum as number[]
  t.same([...enumerated].sort((a, b) => a - b), Object.values(INTERNAL_CODES).sort((a, b) => a - b))
  const description = openapi.info.description as string
  for (const code of Object.values(INTERNAL_CODES)) t.match(description, new RegExp(`\\| ${code} \\| \\d{3} \\|`), `code ${code} is in the table`)
})

t.test('the maxWaitTime pattern accepts exactly 0..86400 in digits', async (t) => {
  const pattern = new RegExp(openapi.components.parameters.maxWaitTime.schema.pattern as string)
  for (const ok of ['0', '00', '120', '0120', '9999', '10000', '79999', '85999', '86399', '86400', '000086400']) t.ok(pattern.test(ok), ok)
  for (const bad of ['', '-1', '+5', '1.5', '1e3', 'abc', '86401', '86500', '87000', '90000', '100000', '0086401']) t.notOk(pattern.test(bad), bad)
})
