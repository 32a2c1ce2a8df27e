/**
 * The bodies the API routes read. Routes of the API keep each body as the text it came as (their scope's only
 * parser), so that it is read in the route's own order of checks — after the token — and refused in the product's
 * words: 415 for a media type the route does not take, 400 for text that does not parse or does not fit the schema.
 * Only its size is checked before anything else, as it arrives (413).
 */
import { Ajv, type ValidateFunction } from 'ajv'
import type { FastifyInstance } from 'fastify'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import type { Static, TSchema } from 'typebox'
import { describeSchemaError } from '../domain/schema-problems.js'
import { inlined } from './schemas/contract.js'
import { AJV_OPTIONS } from './validation.js'
import { BadParameter, cut, MalformedRequest } from './errors.js'

/** The largest body an API route reads: its bodies are a few fields. */
export const API_BODY_LIMIT = 16 * 1024

/**
 * For the API routes' scope: every body is kept as text, whatever its type, up to the route's body limit
 * (API_BODY_LIMIT: 413 past it, before any other check, as for request lines and headers past 16 KiB).
 */
export function keepBodiesAsText (app: FastifyInstance): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => { done(null, body) })
}

const ajv = new Ajv({ ...AJV_OPTIONS.customOptions, strict: false })
const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, processEntities: true })

/** What a route reads from a body: its schema, and whether XML is taken besides JSON (the mapping is the responses'). */
export interface BodyReader<T extends TSchema> {
  read: (contentType: string | undefined, text: unknown) => Static<T>
}

const mediaType = (header: string | undefined): string => (header ?? '').split(';')[0]?.trim().toLowerCase() ?? ''

export function bodyReader<T extends TSchema> (schema: T, options: { xml: boolean, example: string }): BodyReader<T> {
  const validate: ValidateFunction = ajv.compile(inlined(schema))
  const types = options.xml ? 'application/json, application/xml or text/xml' : 'application/json'
  return {
    read (contentType, text) {
      const type = mediaType(contentType)
      if (typeof text !== 'string' || text === '') throw new BadParameter(`a body is required: send ${options.example} as ${options.xml ? 'JSON or XML' : 'JSON'}`)
      let body: unknown
      if (type === 'application/json') {
        try {
          body = JSON.parse(text)
        } catch {
          throw new MalformedRequest('malformed request: the body is not valid JSON')
        }
      } else if (options.xml && (type === 'application/xml' || type === 'text/xml')) {
        // No document type: its entities are the classic way to make a small body expand without bound.
        if (/<!DOCTYPE/i.test(text)) throw new MalformedRequest('malformed request: an XML body may not declare a DOCTYPE')
        if (XMLValidator.validate(text) !== true) throw new MalformedRequest('malformed request: the body is not well-formed XML')
        let parsed: Record<string, unknown>
        try {
          parsed = xmlParser.parse(text) as Record<string, unknown>
        } catch (err) {
          // Well-formed, but refused by the parser's own guards (names such as __proto__, nesting past 100 levels).
          throw new MalformedRequest(`malformed request: the XML body cannot be read: ${cut(err instanceof Error ? err.message : String(err), 120)}`)
        }
        const { '?xml': _declaration, ...elements } = parsed
        body = elements
      } else {
        throw Object.assign(new MalformedRequest(`malformed request: a body of type ${type === '' ? '(none given)' : `'${type.slice(0, 80)}'`} ` +
          `is not taken here; send ${types}`), { statusCode: 415 })
      }
      if (!validate(body)) {
        const [error] = validate.errors ?? []
        throw new BadParameter(`invalid body: ${error === undefined ? 'it does not match the documented schema' : describeSchemaError(error)}; send ${options.example}`)
      }
      return body as Static<T>
    }
  }
}
