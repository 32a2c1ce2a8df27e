/**
 * Fastify's query string parser, replaced so that repeated parameters stay visible (every value is a list)
 * and bad percent-encoding is reported by the route, in its turn, instead of being silently kept or dropped.
 */

/** Set on a parsed query when some part of it was not valid percent-encoding. */
export const MALFORMED = Symbol('malformed query')

export type Query = Record<string, string[]> & { [MALFORMED]?: string }

/** Parses `a=1&b=2&a=3` (`+` is a space, as in HTML forms) into a prototype-less record of value lists. */
export function parseQueryString (qs: string): Query {
  const query = Object.create(null) as Query
  let start = 0
  while (start < qs.length) {
    let end = qs.indexOf('&', start)
    if (end === -1) end = qs.length
    if (end > start) add(query, qs, start, end)
    start = end + 1
  }
  return query
}

function add (query: Query, qs: string, start: number, end: number): void {
  const eq = qs.indexOf('=', start)
  const split = eq === -1 || eq > end ? end : eq
  const name = decode(qs.slice(start, split))
  const value = decode(split === end ? '' : qs.slice(split + 1, end))
  if (name === undefined || value === undefined) {
    query[MALFORMED] ??= qs.slice(start, end)
    return
  }
  const values = query[name]
  if (values === undefined) query[name] = [value]
  else values.push(value)
}

function decode (text: string): string | undefined {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text
  if (!spaced.includes('%')) return spaced
  try {
    return decodeURIComponent(spaced)
  } catch {
    return undefined
  }
}
