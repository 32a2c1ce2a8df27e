/**
 * Every answer's body in JSON or XML: the resources of the API family, availableSlots, and the error body. The JSON is
 * the mechanical mapping of the XML that the real service uses: attributes become `@`-prefixed keys, a repeated
 * element an array (one element: an object, not an array).
 */
import { XMLBuilder } from 'fast-xml-parser'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { contentType, type MediaType } from './media.js'

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', processEntities: true })

// Characters XML 1.0 cannot carry (controls, lone surrogates, U+FFFE/U+FFFF).
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** Strings made fit for XML: characters it cannot carry become U+FFFD. */
function xmlSafe (value: unknown): unknown {
  if (typeof value === 'string') return value.replace(NOT_XML_CHAR, '\uFFFD')
  if (Array.isArray(value)) return value.map(xmlSafe)
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, xmlSafe(item)]))
  return value
}

/** `{root: content}` as JSON (or the content alone, for the few answers the vendor writes without a root), or `<root>content</root>` as XML. */
export function resourceBody (root: string, content: unknown, type: MediaType, rootInJson = true): string {
  if (type === 'application/json') return JSON.stringify(rootInJson ? { [root]: content } : content)
  // The builder escapes markup but leaves CR as it is, which parsers would read back as LF. No frame has line
  // breaks, so every CR here is text.
  return XML_DECLARATION + (builder.build({ [root]: xmlSafe(content) }) as string).replace(/\r/g, '&#13;')
}

/** The 200 answer of availableSlots. Built by hand: it is an integer in a fixed frame, and it is the hot path. */
export function slotsBody (slots: number, type: MediaType): string {
  return type === 'application/json'
    ? `{"availableSlots":${slots}}`
    : `${XML_DECLARATION}<availableSlots>${slots}</availableSlots>`
}

export interface ErrorDetail {
  time: string
  message: string
  internalCode: number
}

/** The product's error body: `{"error": {…}}` or `<error>…</error>`. */
export const errorBody = (error: ErrorDetail, type: MediaType): string => resourceBody('error', error, type)

/** Sends a resource in the negotiated type. */
export function sendResource (reply: FastifyReply, type: MediaType, root: string, content: unknown, status = 200, rootInJson = true): FastifyReply {
  return reply.code(status).type(contentType(type)).send(resourceBody(root, content, type, rootInJson))
}

export interface Link {
  '@href': string
  '@rel': string
}

/** A repeated element as the mapping writes it: one is an object, several an array, none absent. */
export function oneOrMany<T> (items: T[]): T | T[] | undefined {
  return items.length === 0 ? undefined : items.length === 1 ? items[0] : items
}

/** The scheme and host the request was sent to, for absolute links (`https://{domain}` in the vendor's examples). */
export const origin = (request: FastifyRequest): string => `${request.protocol}://${request.host}`

export const link = (href: string, rel: string): Link => ({ '@href': href, '@rel': rel })
