/**
 * Every response the suite sees is checked against the OpenAPI document the simulator serves: the route and method must be documented
 * (or the answer is the unknown-route 404, or one of the HTTP-level refusals the document lists in its
 * description: 400 for a request that is not valid HTTP/1.1, 503 while shutting down), the status must be listed for the operation, the
 * Content-Type must be one of its media types, and the body must match the schema (XML parsed back first). A request
 * body the server accepted must match the operation's request schema.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { XMLParser } from 'fast-xml-parser'
import { buildApp } from '../../src/app.js'
import { loadScenario } from '../../src/scenarios.js'
import { pathOf } from '../../src/http/errors.js'

type Json = Record<string, any>

/** The document the simulator serves (built from its routes), which openapi.yaml is a copy of (test/contract.test.ts). */
export const openapi: Json = await servedDocument()

async function servedDocument (): Promise<Json> {
  const app = await buildApp({ world: loadScenario('default').world })
  try {
    return structuredClone(app.swagger()) as Json
  } finally {
    await app.close()
  }
}

const ajv = new Ajv2020({ strict: false })
addFormats.default(ajv)
ajv.addSchema({ $id: 'openapi', components: openapi.components })
// XML has no types: its text is read back as strings, and checked against the schema as the JSON mapping would type it.
const xmlAjv = new Ajv2020({ strict: false, coerceTypes: true })
addFormats.default(xmlAjv)
xmlAjv.addSchema({ $id: 'openapi', components: openapi.components })

/** The value a local `$ref` ("#/components/…") points to. */
const target = (ref: string): Json => ref.slice(2).split('/').reduce((node: Json, key) => node[key], openapi)

/** Follows local `$ref`s until a value that is not a reference. */
export function deref (value: Json): Json {
  let current = value
  while (typeof current.$ref === 'string') current = target(current.$ref)
  return current
}

const schemaValidators = new Map<Json | string, ValidateFunction>()
const xmlValidators = new Map<Json | string, ValidateFunction>()
/** A `$ref` to a component, or a schema written inline in an operation; for XML, with the XML's strings typed. */
function validatorFor (schema: Json, xml = false): ValidateFunction {
  const [validators, checker] = xml ? [xmlValidators, xmlAjv] : [schemaValidators, ajv]
  const key = typeof schema.$ref === 'string' ? schema.$ref : schema
  let validate = validators.get(key)
  if (validate === undefined) {
    // An inline schema's own `$ref`s point into the document: made to point into the schema registered as `openapi`.
    validate = typeof key === 'string'
      ? checker.getSchema(`openapi${key}`) as ValidateFunction
      : checker.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/')))
    validators.set(key, validate)
  }
  return validate
}

/** The documented paths as [template, regex]. */
export const documentedPaths: Array<[string, RegExp]> = Object.keys(openapi.paths).map((template) => [
  template,
  new RegExp('^' + template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+') + '$')
])

// Attributes as `@`-prefixed keys, every text a string: the JSON mapping of the real service.
const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false })

export class ContractError extends Error {}

export function assertContract (request: InjectOptions, res: LightMyRequestResponse): void {
  const url = typeof request.url === 'string' ? request.url : String(request.path ?? '')
  // The router matches decoded paths (…availableSlots%2Exml is the .xml route).
  const path = pathOf(url)
  const method = String(request.method ?? 'GET').toLowerCase()
  const fail = (why: string): never => {
    throw new ContractError(`${method.toUpperCase()} ${url} → ${res.statusCode}: ${why}\nbody: ${res.body}`)
  }
  const documented = documentedPaths.find(([, regex]) => regex.test(path))
  let response: Json
  if (documented === undefined) {
    // Not an API route: the only documented answer is the unknown-route 404, in the error body.
    if (![404, 400, 503].includes(res.statusCode)) fail('an undocumented path answered other than 404, 400 or 503')
    response = deref(openapi.components.responses.Error)
  } else {
    const operation = deref(openapi.paths[documented[0]])[method] as Json | undefined
    // Methods OpenAPI cannot name (PROPFIND, QUERY …) are documented in prose: 405, like the named ones.
    const listed = operation === undefined
      ? (res.statusCode === 405 ? openapi.components.responses.MethodNotAllowed : fail(`method not documented for ${documented[0]}`))
      : (operation.responses[String(res.statusCode)] ?? operation.responses[`${String(res.statusCode)[0]}XX`]) as Json | undefined
    if (listed === undefined) return fail('status not documented for this operation')
    response = deref(listed)
    if (operation !== undefined && res.statusCode < 300) checkRequestBody(operation, request, fail)
  }
  if (response.content === undefined) {
    if (res.body !== '') fail('a response documented without content has a body')
    return
  }
  const type = String(res.headers['content-type'] ?? '').split(';')[0] as string
  const media = response.content[type] as Json | undefined
  if (media === undefined) return fail(`content type ${type} not documented`)
  if (method === 'head') return
  const schema = media.schema as Json
  let body: unknown = res.body
  if (type === 'application/json' || XML_TYPES.includes(type)) {
    try {
      body = type === 'application/json' ? JSON.parse(res.body) : xmlParser.parse(res.body)
    } catch (err) {
      return fail(`body does not parse as ${type}: ${(err as Error).message}`)
    }
    // XML: the schema describes the root element's content, named by its `xml.name`.
    if (type !== 'application/json') body = listsBySchema(fromXml(body as Json, target(schema.$ref as string).xml.name as string), schema)
  }
  const validate = validatorFor(schema, XML_TYPES.includes(type))
  if (!validate(body)) fail(`body does not match ${String(schema.$ref ?? 'the inline schema')}: ${ajv.errorsText(validate.errors)}`)
}

const XML_TYPES = ['application/xml', 'text/xml']

/**
 * A request the server accepted (2xx) had a body the document allows: a body it documents no schema for, or one its
 * schema refuses, means the document and the route disagree. (Refused bodies are the tests of refusals.)
 */
function checkRequestBody (operation: Json, request: InjectOptions, fail: (why: string) => never): void {
  if (request.payload === undefined) return
  const schema = operation.requestBody === undefined ? undefined : deref(operation.requestBody).content?.['application/json']?.schema as Json | undefined
  if (schema === undefined) return fail('a body was sent and accepted, but the operation documents none')
  const headers = (request.headers ?? {}) as Record<string, string | undefined>
  const xml = XML_TYPES.includes(String(headers['content-type'] ?? '').split(';')[0] as string)
  // An XML body (the API's routes take one) is the JSON mapping of the same document.
  const body = typeof request.payload !== 'string' ? request.payload : xml ? withoutDeclaration(xmlParser.parse(request.payload)) : JSON.parse(request.payload)
  const validate = validatorFor(schema, xml)
  if (!validate(body)) fail(`the accepted request body does not match ${String(schema.$ref ?? 'the inline schema')}: ${ajv.errorsText(validate.errors)}`)
}

/**
 * XML cannot tell a list of one from a single element: where the schema says a list (and nothing else), one element
 * becomes a list of one, as the JSON mapping would have it.
 */
function listsBySchema (value: unknown, schema: Json | undefined): unknown {
  if (schema === undefined) return value
  let resolved = schema
  while (typeof resolved.$ref === 'string' || (Array.isArray(resolved.allOf) && resolved.allOf.length === 1)) {
    resolved = typeof resolved.$ref === 'string' ? target(resolved.$ref) : resolved.allOf[0]
  }
  if (resolved.type === 'array') {
    return (Array.isArray(value) ? value : [value]).map((item) => listsBySchema(item, resolved.items as Json | undefined))
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && resolved.properties !== undefined) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, listsBySchema(item, resolved.properties[key] as Json | undefined)]))
  }
  return value
}

function withoutDeclaration (parsed: Json): Json {
  const { '?xml': _declaration, ...elements } = parsed
  return elements
}

/** The root element's content; it must be the only element (fast-xml-parser also keeps the `?xml` declaration). */
function fromXml (parsed: Json, root: string): unknown {
  const { '?xml': _declaration, ...elements } = parsed
  if (Object.keys(elements).length !== 1 || !(root in elements)) throw new ContractError(`expected one root element <${root}>, got ${Object.keys(elements).join(', ')}`)
  return elements[root]
}
