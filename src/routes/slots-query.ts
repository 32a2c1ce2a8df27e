/** The query of availableSlots, checked like the real service: every constraint, with a message that says what is allowed. */
import { BadParameter, MalformedRequest, quote } from '../http/errors.js'
import { MALFORMED, type Query } from '../http/querystring.js'
import { MAX_WAIT_TIME } from '../domain/estimator.js'

/** What is asked: one agent, one skill (with a wait), or the whole account (with a wait). */
export type SlotsQuery =
  | { agent: string }
  | { skill: string | undefined, maxWaitSec: number }

/** The parameters the route knows; any other is ignored, as by the real service. */
type Known = 'v' | 'NC' | 'skill' | 'maxWaitTime' | 'agent'
const NAME = /^[A-Za-z0-9]+$/
const DIGITS = /^[0-9]+$/

/** The one value of a known parameter, or undefined; a repeated one is refused. */
function single (query: Query, name: Known): string | undefined {
  const values = query[name]
  if (values === undefined) return undefined
  if (values.length > 1) throw new BadParameter(`parameter '${name}' is given ${values.length} times; give it at most once`)
  return values[0]
}

export function parseSlotsQuery (query: Query): SlotsQuery {
  const malformed = query[MALFORMED]
  if (malformed !== undefined) {
    throw new MalformedRequest(`malformed request: the query part ${quote(malformed)} is not valid percent-encoding`)
  }
  const v = single(query, 'v')
  const nc = single(query, 'NC')
  const skill = single(query, 'skill')
  const maxWaitTime = single(query, 'maxWaitTime')
  const agent = single(query, 'agent')
  if (v === undefined) throw new BadParameter("parameter 'v' is required; use v=1")
  if (v !== '1') throw new BadParameter(`v=${quote(v)} is not supported; use v=1`)
  if (nc !== undefined && nc !== 'true' && nc !== 'false') {
    throw new BadParameter(`NC=${quote(nc)} is not allowed; use NC=true or NC=false, or leave it out`)
  }
  if (agent !== undefined) {
    if (skill !== undefined || maxWaitTime !== undefined) {
      throw new BadParameter("parameter 'agent' cannot be used with 'skill' or 'maxWaitTime'; ask for an agent alone, or for a skill and/or a wait")
    }
    if (!NAME.test(agent)) throw new BadParameter(`agent=${quote(agent)} is not a login name; use letters and digits only (A-Z, a-z, 0-9)`)
    return { agent }
  }
  if (skill !== undefined && !NAME.test(skill)) {
    throw new BadParameter(`skill=${quote(skill)} is not a skill name; use letters and digits only (A-Z, a-z, 0-9)`)
  }
  return { skill, maxWaitSec: maxWaitTime === undefined ? 0 : parseMaxWaitTime(maxWaitTime) }
}

/** Digits only, 0..86400; leading zeros are fine (`0120` is 120). */
function parseMaxWaitTime (text: string): number {
  const allowed = `use a whole number of seconds from 0 to ${MAX_WAIT_TIME}, digits only`
  if (!DIGITS.test(text)) throw new BadParameter(`maxWaitTime=${quote(text)} is not a number of seconds; ${allowed}`)
  const seconds = Number(text) // digits only: leading zeros are decimal, and a long run is just large
  if (seconds > MAX_WAIT_TIME) throw new BadParameter(`maxWaitTime=${quote(text)} is out of range; ${allowed}`)
  return seconds
}
