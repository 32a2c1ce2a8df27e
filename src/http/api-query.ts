/**
 * The query of an API route, checked like the real service: bad percent-encoding, a known parameter given twice, and the
 * family's `v` and `NC`, each refused with a message that says what is allowed. Parameters a route does not know are
 * ignored, as by the real service.
 */
import { BadParameter, MalformedRequest, quote } from './errors.js'
import { MALFORMED, type Query } from './querystring.js'

/** Letters and digits, as skill names, login names and account ids are. */
export const ALPHANUMERIC = /^[A-Za-z0-9]+$/

/** The versions a route takes (the first is the one messages suggest), and whether `v` may be left out. */
export interface Versions {
  versions: readonly string[]
  required: boolean
}

const V1: Versions = { versions: ['1'], required: true }

/**
 * The one value of each of `known` (undefined when absent), after the checks every API route makes: the encoding,
 * no known parameter twice, `v` present (unless it may be left out) and one of the route's versions, NC true or false if given.
 */
export function readQuery<K extends string> (query: Query, known: readonly K[], { versions, required }: Versions = V1): Record<K | 'v' | 'NC', string | undefined> {
  const malformed = query[MALFORMED]
  if (malformed !== undefined) {
    throw new MalformedRequest(`malformed request: the query part ${quote(malformed)} is not valid percent-encoding`)
  }
  const values = {} as Record<K | 'v' | 'NC', string | undefined>
  for (const name of ['v', 'NC', ...known] as Array<K | 'v' | 'NC'>) {
    const given = query[name]
    if (given !== undefined && given.length > 1) throw new BadParameter(`parameter '${name}' is given ${given.length} times; give it at most once`)
    values[name] = given?.[0]
  }
  const { v, NC: nc } = values
  const use = `use v=${versions.join(' or v=')}`
  if (v === undefined && required) throw new BadParameter(`parameter 'v' is required; ${use}`)
  if (v !== undefined && !versions.includes(v)) throw new BadParameter(`v=${quote(v)} is not supported; ${use}`)
  if (nc !== undefined && nc !== 'true' && nc !== 'false') {
    throw new BadParameter(`NC=${quote(nc)} is not allowed; use NC=true or NC=false, or leave it out`)
  }
  return values
}
