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
  values.v = single(query, 'v')
  values.NC = single(query, 'NC')
  for (const name of known) values[name] = single(query, name)
  const { v, NC: nc } = values
  if (v === undefined && required) throw new BadParameter(`parameter 'v' is required; ${use(versions)}`)
  if (v !== undefined && !versions.includes(v)) throw new BadParameter(`v=${quote(v)} is not supported; ${use(versions)}`)
  if (nc !== undefined && nc !== 'true' && nc !== 'false') {
    throw new BadParameter(`NC=${quote(nc)} is not allowed; use NC=true or NC=false, or leave it out`)
  }
  return values
}

const use = (versions: readonly string[]): string => `use v=${versions.join(' or v=')}`

/** The one value of a parameter, or undefined; a repeated one is refused. */
function single (query: Query, name: string): string | undefined {
  const given = query[name]
  if (given !== undefined && given.length > 1) throw new BadParameter(`parameter '${name}' is given ${given.length} times; give it at most once`)
  return given?.[0]
}
