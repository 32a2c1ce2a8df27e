/** The query of availableSlots (agent and visitor side), checked like the real service: every constraint, with a message that says what is allowed. */
import { BadParameter, quote } from '../http/errors.js'
import { ALPHANUMERIC, readQuery } from '../http/api-query.js'
import type { Query } from '../http/querystring.js'
import { MAX_WAIT_TIME } from '../domain/estimator.js'

/** What is asked: one agent, one skill (with a wait), or the whole account (with a wait). */
export type SlotsQuery =
  | { agent: string }
  | { skill: string | undefined, maxWaitSec: number | undefined }

const DIGITS = /^[0-9]+$/
const PARAMETERS = ['skill', 'maxWaitTime', 'agent'] as const

/** The query of availableSlots and chat/availability; `maxWaitSec` is undefined when maxWaitTime is not given. */
export function parseSlotsQuery (query: Query): SlotsQuery {
  const { skill, maxWaitTime, agent } = readQuery(query, PARAMETERS)
  if (agent !== undefined) {
    if (skill !== undefined || maxWaitTime !== undefined) {
      throw new BadParameter("parameter 'agent' cannot be used with 'skill' or 'maxWaitTime'; ask for an agent alone, or for a skill and/or a wait")
    }
    if (!ALPHANUMERIC.test(agent)) throw new BadParameter(`agent=${quote(agent)} is not a login name; use letters and digits only (A-Z, a-z, 0-9)`)
    return { agent }
  }
  checkSkill(skill)
  return { skill, maxWaitSec: maxWaitTime === undefined ? undefined : parseMaxWaitTime(maxWaitTime) }
}

export function checkSkill (skill: string | undefined): void {
  if (skill !== undefined && !ALPHANUMERIC.test(skill)) {
    throw new BadParameter(`skill=${quote(skill)} is not a skill name; use letters and digits only (A-Z, a-z, 0-9)`)
  }
}

/** Digits only, 0..86400; leading zeros are fine (`0120` is 120). */
function parseMaxWaitTime (text: string): number {
  const allowed = `use a whole number of seconds from 0 to ${MAX_WAIT_TIME}, digits only`
  if (!DIGITS.test(text)) throw new BadParameter(`maxWaitTime=${quote(text)} is not a number of seconds; ${allowed}`)
  const seconds = Number(text) // digits only: leading zeros are decimal, and a long run is just large
  if (seconds > MAX_WAIT_TIME) throw new BadParameter(`maxWaitTime=${quote(text)} is out of range; ${allowed}`)
  return seconds
}
