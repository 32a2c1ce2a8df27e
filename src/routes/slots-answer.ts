/** The availableSlots answer for a parsed query, shared by the agent-side and visitor-side routes. */
import type { Account } from '../domain/model.js'
import type { World } from '../domain/world.js'
import { quote, UnknownAgent, UnknownSkill } from '../http/errors.js'
import type { SlotsQuery } from './slots-query.js'

export function slotsFor (world: World, account: Account, query: SlotsQuery): number {
  if ('agent' in query) {
    const slots = account.agentSlots(query.agent)
    if (slots === undefined) throw unknownAgent(account, query.agent)
    return slots
  }
  if (query.skill !== undefined) {
    const slots = account.skillSlots(query.skill, query.maxWaitSec ?? 0, world.estimator)
    if (slots === undefined) throw unknownSkill(account, query.skill)
    return slots
  }
  return account.accountSlots(query.maxWaitSec ?? 0, world.estimator)
}

export const unknownAgent = (account: Account, agent: string): InstanceType<typeof UnknownAgent> =>
  new UnknownAgent(`agent ${quote(agent)} does not exist in account ${account.id}; login names are case-sensitive`)

export const unknownSkill = (account: Account, skill: string): InstanceType<typeof UnknownSkill> =>
  new UnknownSkill(`skill ${quote(skill)} does not exist in account ${account.id}; skill names are case-sensitive`)
