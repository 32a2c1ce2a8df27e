/** Scenario documents (the shape of fixtures/*.json): how they become a World, and how a World becomes one again. */
import type { Static } from 'typebox'
import { settingsProblem } from './estimator.js'
import { skillLiveProblem } from './live-settings.js'
import { Account, type Agent, type Problem, type Skill } from './model.js'
import type * as schema from './scenario-schema.js'
import { World } from './world.js'

// The documents' types, derived from the scenario schema.
export type SkillDocument = Static<typeof schema.Skill>
export type AgentDocument = Static<typeof schema.Agent>
export type SessionDocument = Static<typeof schema.Session>
export type ChatDocument = Static<typeof schema.Chat>
export type AccountDocument = Static<typeof schema.Account>
export type ScenarioDocument = Static<typeof schema.ScenarioDocument>
/** A skill as a scenario may write it: `id` and `queued` have defaults (see buildAccount). */
export type SkillInput = Static<typeof schema.SkillInput>
/** An agent as a scenario may write it: `id`, `nickname` and `activeChats` have defaults (see buildAccount). */
export type AgentInput = Static<typeof schema.AgentInput>
export type AccountInput = Static<typeof schema.AccountInput>
/** A scenario as written; a snapshot, with every field there, is one too. */
export type ScenarioInput = Static<typeof schema.ScenarioInput>

/** A scenario that cannot be loaded: what is wrong, and where, as a path into the document. */
export class ScenarioError extends Error {
  override name = 'ScenarioError'
  constructor (readonly path: Array<string | number>, readonly problem: string) {
    super(describeProblem(path, problem))
  }
}

/** A scenario with problems: all of them, in the order of the document, each `field` a path from its root. */
export class ScenarioProblems extends Error {
  override name = 'ScenarioProblems'
  constructor (readonly problems: Problem[]) {
    const [first] = problems as [Problem]
    super(`${describeProblem(first.field, first.message)}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`)
  }
}

/** Where a problem is reported: at once as a ScenarioError (the admin API's single refusal), or into a list. */
export type Report = (path: Array<string | number>, problem: string) => void
const throwFirst: Report = (path, problem) => { throw new ScenarioError(path, problem) }

/** `['accounts', '123', 'agents', 'John', 'skills', 0]` → `$.accounts['123'].agents.John.skills[0]` */
export function jsonPath (path: ReadonlyArray<string | number>): string {
  return '$' + path.map((key) => {
    if (typeof key === 'number') return `[${key}]`
    return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `.${key}` : `['${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`
  }).join('')
}

/** A problem as every refusal words it: `$.json.path: what is wrong`. */
export const describeProblem = (path: ReadonlyArray<string | number>, message: string): string => `${jsonPath(path)}: ${message}`

/**
 * Builds the World a scenario describes. The document must already match fixtures/scenario.schema.json;
 * this adds the checks a schema cannot express (references between entities, invariants), and throws
 * ScenarioProblems with every problem found.
 */
export function buildWorld (doc: ScenarioInput): World {
  const problems: Problem[] = []
  const report: Report = (field, message) => { problems.push({ field, message }) }
  const world = new World()
  world.description = doc.description
  if (doc.clock !== undefined) world.clock = { ...doc.clock }
  if (doc.seed !== undefined) world.seed = doc.seed
  if (doc.estimator !== undefined) {
    const problem = settingsProblem(doc.estimator)
    if (problem !== undefined) report(['estimator', 'p'], problem)
    world.estimator = { ...doc.estimator }
  }
  const bearers = new Map<string, string>()
  for (const [accountId, accountDoc] of Object.entries(doc.accounts)) {
    const account = buildAccount(accountId, accountDoc, bearers, ['accounts', accountId], report)
    if (problems.length === 0) world.addAccount(account)
  }
  if (problems.length > 0) throw new ScenarioProblems(problems)
  return world
}

/**
 * Builds one account as a scenario describes it; `bearers` collects the bearers seen so far (to refuse one used
 * twice), and `at` is where the account is in its document, for the problems' JSON paths. By default the first
 * problem is thrown as a ScenarioError; with a `report` of one's own, checking goes on, and the account returned
 * is only good if nothing was reported.
 *
 * Defaults: a skill's `queued` 0; an agent's `nickname` its login name and `activeChats` 0; a skill or agent
 * without an `id` gets the smallest positive integer that no other skill (agent) of the account uses, in
 * document order.
 */
export function buildAccount (accountId: string, doc: AccountInput, bearers = new Map<string, string>(),
  at: Array<string | number> = ['accounts', accountId], report: Report = throwFirst): Account {
  const problem: Report = (path, message) => report([...at, ...path], message)
  const account = new Account(accountId)
  account.appKeys = [...(doc.appKeys ?? [])]
  const skillId = idsOf(doc.skills, 'skill', problem)
  for (const [name, { estimator, ...skill }] of Object.entries(doc.skills)) {
    const settings = estimator === undefined ? undefined : settingsProblem(estimator)
    if (settings !== undefined) problem(['skills', name, 'estimator', 'p'], settings)
    const live = skillLiveProblem(skill)
    if (live !== undefined) problem(['skills', name, ...live.field], live.message)
    const id = skillId(name, skill.id)
    // Kept without its bad estimator and live settings, so that the agents and chats naming it are still checked.
    const { arrivalsPerHour: _rate, dailyArrivals: _daily, ...withoutLive } = skill
    account.putSkill({
      name, ...(live === undefined ? skill : withoutLive), id, queued: skill.queued ?? 0, ...(estimator === undefined || settings !== undefined ? {} : { estimator })
    })
  }
  const agentId = idsOf(doc.agents, 'agent', problem)
  // Agents with a problem stay out of the account; sessions and chats naming them are not checked against them.
  const leftOut = new Set<string>()
  for (const [loginName, agentDoc] of Object.entries(doc.agents)) {
    const id = agentId(loginName, agentDoc.id)
    const known = agentDoc.skills.filter((skill, i) => {
      if (account.skill(skill) !== undefined) return true
      problem(['agents', loginName, 'skills', i], `skill '${skill}' does not exist in account ${accountId}`) // worded as the model words it
      return false
    })
    const agent = { loginName, ...agentDoc, id, nickname: agentDoc.nickname ?? loginName, activeChats: agentDoc.activeChats ?? 0, skills: known }
    // The rest is checked with the skills that exist. putAgent checks the same and would throw; asking first gives
    // the problem its JSON path. (No skill known: every one was reported, as the schema asks for at least one.)
    const invalid = known.length === 0 ? undefined : account.problemWith(agent)
    if (invalid !== undefined) problem(['agents', loginName, ...invalid.field], invalid.message)
    if (known.length === 0 || invalid !== undefined) leftOut.add(loginName)
    else account.putAgent(agent)
  }
  for (const [agentSessionId, session] of Object.entries(doc.sessions ?? {})) {
    const where = ['sessions', agentSessionId]
    if (account.agent(session.agent) === undefined && !leftOut.has(session.agent)) {
      problem([...where, 'agent'], `agent '${session.agent}' does not exist in account ${accountId}`)
    }
    const owner = bearers.get(session.bearer)
    if (owner !== undefined) problem([...where, 'bearer'], `the same bearer is already used by ${owner}; each agent session needs its own`)
    else bearers.set(session.bearer, `session ${agentSessionId} of account ${accountId}`)
    const expiresAt = session.expiresAt === undefined ? undefined : Date.parse(session.expiresAt)
    if (expiresAt !== undefined && Number.isNaN(expiresAt)) {
      // The schema's date-time format lets through what Date cannot hold, such as a leap second.
      problem([...where, 'expiresAt'], 'must be an ISO-8601 date-time such as 2030-01-01T00:00:00Z')
    }
    account.sessions.set(agentSessionId, {
      agentSessionId, agent: session.agent, bearer: session.bearer, expiresAt, expiresAtText: session.expiresAt
    })
  }
  for (const [id, chat] of Object.entries(doc.chats ?? {})) {
    if (chat.agent !== undefined && leftOut.has(chat.agent)) continue
    const invalid = account.restoreChat({ id, ...chat })
    if (invalid !== undefined) problem(['chats', id, ...invalid.field], invalid.message)
  }
  return account
}

/** The World as a scenario document that buildWorld takes back as it is. */
export function snapshot (world: World): ScenarioDocument {
  const accounts: Record<string, AccountDocument> = {}
  for (const id of world.accountIds()) accounts[id] = snapshotAccount(world.account(id) as Account)
  return {
    description: world.description,
    ...(world.clock === undefined ? {} : { clock: { ...world.clock } }),
    ...(world.seed === undefined ? {} : { seed: world.seed }),
    ...(world.estimator === undefined ? {} : { estimator: { ...world.estimator } }),
    accounts
  }
}

export function snapshotAccount (account: Account): AccountDocument {
  const doc: AccountDocument = {
    ...(account.appKeys.length === 0 ? {} : { appKeys: [...account.appKeys] }),
    skills: Object.fromEntries(account.skillList().map((skill) => [skill.name, skillDocument(skill)])),
    agents: Object.fromEntries(account.agentList().map((agent) => [agent.loginName, agentDocument(agent)])),
    sessions: Object.fromEntries([...account.sessions.values()].filter((session) => session.idle === undefined).map((session) => [session.agentSessionId, {
      agent: session.agent,
      bearer: session.bearer,
      ...(session.expiresAt === undefined ? {} : { expiresAt: session.expiresAtText ?? new Date(session.expiresAt).toISOString() })
    }]))
  }
  if (account.chats.size > 0) {
    doc.chats = Object.fromEntries([...account.chats.values()].map((chat) => [chat.id, chat.agent === undefined
      ? { skill: chat.skill }
      : { skill: chat.skill, agent: chat.agent }]))
  }
  return doc
}

export const skillDocument = ({ id, queued, meanHandleTimeSec, meanPatienceSec, estimator, arrivalsPerHour, dailyArrivals, handleTime }: Skill): SkillDocument => ({
  id,
  queued,
  meanHandleTimeSec,
  ...(meanPatienceSec === undefined ? {} : { meanPatienceSec }),
  ...(estimator === undefined ? {} : { estimator: { ...estimator } }),
  ...(arrivalsPerHour === undefined ? {} : { arrivalsPerHour }),
  ...(dailyArrivals === undefined ? {} : { dailyArrivals: dailyArrivals.map((step) => ({ ...step })) }),
  ...(handleTime === undefined ? {} : { handleTime: { ...handleTime } })
})

export const agentDocument = ({ id, nickname, chatState, maxChats, activeChats, skills, password, shifts }: Agent): AgentDocument => ({
  id, nickname, chatState, maxChats, activeChats, skills: [...skills],
  ...(password === undefined ? {} : { password }),
  ...(shifts === undefined ? {} : { shifts: shifts.map((step) => ({ ...step })) })
})

/**
 * Ids, like names, identify one entity within an account: `idsOf(entities)(name, id)` is the entity's id, its own
 * or, if it has none, the smallest positive integer no other entity uses (counting those given later), in the
 * order asked. An id already taken is reported, and the entity gets a free one to be checked further with.
 * Linear: the search for free ids only moves forward.
 */
function idsOf (entities: Record<string, { id?: number }>, kind: string, problem: Report): (name: string, id: number | undefined) => number {
  const taken = new Set<number>()
  for (const entity of Object.values(entities)) if (entity.id !== undefined) taken.add(entity.id)
  const owners = new Map<number, string>()
  let free = 1
  return (name, id) => {
    if (id !== undefined) {
      const other = owners.get(id)
      if (other === undefined) {
        owners.set(id, name)
        return id
      }
      problem([`${kind}s`, name, 'id'], `${kind} id ${id} is already used by ${kind} '${other}'; ids must be unique in an account`)
    }
    while (taken.has(free)) free++
    return free++
  }
}
