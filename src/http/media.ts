/**
 * Content negotiation between the two representations, JSON and XML, of every answer (written by representation.ts).
 * Rules: a `.json`/`.xml` path suffix wins; otherwise `Accept` with q-values, where at equal q a type named
 * explicitly beats one reached through a wildcard, and anything still tied (or no Accept at all) gets JSON.
 */
import vary from 'vary'

export const MEDIA_TYPES = ['application/json', 'application/xml', 'text/xml'] as const
export type MediaType = typeof MEDIA_TYPES[number]
export type Suffix = 'json' | 'xml'

const SUFFIX_TYPE: Record<Suffix, MediaType> = { json: 'application/json', xml: 'application/xml' }

/** The type to answer in, or undefined when the client accepts none of them (406). */
export function negotiate (accept: string | undefined, suffix?: Suffix): MediaType | undefined {
  if (suffix !== undefined) return SUFFIX_TYPE[suffix]
  if (accept === undefined || accept.trim() === '') return 'application/json'
  let chosen = cache.get(accept)
  if (chosen === undefined) {
    chosen = fromAccept(accept) ?? null
    if (cache.size >= CACHE_SIZE) cache.clear()
    cache.set(accept, chosen)
  }
  return chosen ?? undefined
}

/** The suffix of a path, if it is one this API knows (the query, if any, is not looked at). */
export function suffixOf (url: string): Suffix | undefined {
  const q = url.indexOf('?')
  const path = q === -1 ? url : url.slice(0, q)
  if (path.endsWith('.json')) return 'json'
  if (path.endsWith('.xml')) return 'xml'
  return undefined
}

// Clients send the same few Accept headers again and again.
const CACHE_SIZE = 1000
const cache = new Map<string, MediaType | null>()

interface Range {
  type: string
  subtype: string
  q: number
}

const TOKEN = /^[a-z0-9!#$%&'*+.^_`|~-]+$/
const QVALUE = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/

/** Parses one Accept header; ranges that do not parse are skipped, as RFC 9110 lets a server do. */
function parseAccept (accept: string): Range[] {
  const ranges: Range[] = []
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.split(';')
    const [type = '', subtype = '', extra] = range.trim().toLowerCase().split('/')
    if (extra !== undefined || !TOKEN.test(type) || !TOKEN.test(subtype) || (type === '*' && subtype !== '*')) continue
    let q = 1
    let valid = true
    for (const param of params) {
      const [name = '', value = ''] = param.split('=').map((s) => s.trim())
      if (name.toLowerCase() !== 'q') continue
      if (QVALUE.test(value)) q = Number(value)
      else valid = false
    }
    if (valid) ranges.push({ type, subtype, q })
  }
  return ranges
}

function fromAccept (accept: string): MediaType | undefined {
  const ranges = parseAccept(accept)
  // A header with no range that parses states no preference, like no header at all.
  if (ranges.length === 0) return 'application/json'
  let best: { type: MediaType, q: number, explicit: boolean } | undefined
  for (const candidate of MEDIA_TYPES) {
    const [type, subtype] = candidate.split('/')
    // The most specific range that matches decides the candidate's q (RFC 9110, 12.5.1).
    let specificity = -1
    let q = 0
    for (const range of ranges) {
      const s = range.type === type && range.subtype === subtype
        ? 2
        : range.type === type && range.subtype === '*' ? 1 : range.type === '*' ? 0 : -1
      if (s > specificity || (s === specificity && range.q > q)) {
        specificity = s
        q = range.q
      }
    }
    if (specificity < 0 || q === 0) continue
    const explicit = specificity === 2
    if (best === undefined || q > best.q || (q === best.q && explicit && !best.explicit)) {
      best = { type: candidate, q, explicit }
    }
  }
  return best?.type
}

const CONTENT_TYPES: Record<MediaType, string> = {
  'application/json': 'application/json; charset=utf-8',
  'application/xml': 'application/xml; charset=utf-8',
  'text/xml': 'text/xml; charset=utf-8'
}

/** What `varyOnAccept` needs of a reply (Fastify's has it). */
interface Headers {
  getHeader: (name: string) => unknown
  header: (name: string, value: string) => unknown
}

/** Adds Accept to the reply's Vary (after CORS's Origin, if set): the representation was chosen by it. */
export function varyOnAccept (reply: Headers): void {
  const current = reply.getHeader('vary')
  if (current === undefined) {
    reply.header('vary', 'Accept')
    return
  }
  // Nearly always the same Vary (CORS's `Origin`) on the hot path: its value with Accept is parsed once, not per answer.
  const text = String(current)
  let appended = withAccept.get(text)
  if (appended === undefined) {
    appended = vary.append(text, 'Accept')
    if (withAccept.size >= CACHE_SIZE) withAccept.clear()
    withAccept.set(text, appended)
  }
  reply.header('vary', appended)
}

const withAccept = new Map<string, string>()

export function contentType (type: MediaType): string {
  return CONTENT_TYPES[type]
}
