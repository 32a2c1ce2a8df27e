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
  if (qs === '') return query
  for (const pair of qs.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const name = decode(eq === -1 ? pair : pair.slice(0, eq))
    const value = decode(eq === -1 ? '' : pair.slice(eq + 1))
    if (name === undefined || value === undefined) {
      query[MALFORMED] ??= pair
      continue
    }
    const values = query[name]
    if (values === undefined) query[name] = [value]
    else values.push(value)
  }
  return query
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
