/** Scenario documents (the shape of fixtures/*.json): how they become a World, and how a World becomes one again. */
import { settingsProblem, type EstimatorSettings } from './estimator.js'
import { Account, ModelError, type Agent, type ChatState, type Skill } from './model.js'
import { World } from './world.js'

export interface SkillDocument {
  id: number
  queued: number
  meanHandleTimeSec: number
  meanPatienceSec?: number
  estimator?: EstimatorSettings
}

export interface AgentDocument {
  id: number
  nickname: string
  chatState: ChatState
  maxChats: number
  activeChats: number
  skills: string[]
}

export interface SessionDocument {
  agent: string
  bearer: string
  expiresAt?: string
}

/** A chat started through the admin API; already counted in its agent's activeChats, or its skill's queued. */
export interface ChatDocument {
  skill: string
  agent?: string
}

export interface AccountDocument {
  skills: Record<string, SkillDocument>
  agents: Record<string, AgentDocument>
  sessions?: Record<string, SessionDocument>
  chats?: Record<string, ChatDocument>
}

export interface ScenarioDocument {
  description: string
  /** The wait criterion of every skill that does not set its own; absent: probability, p = 0.8. */
  estimator?: EstimatorSettings
  accounts: Record<string, AccountDocument>
}

/** A scenario that cannot be loaded: what is wrong, and where, as a path into the document. */
export class ScenarioError extends Error {
  override name = 'ScenarioError'
  constructor (readonly path: Array<string | number>, readonly problem: string) {
    super(`${jsonPath(path)}: ${problem}`)
  }
}

/** `['accounts', '123', 'agents', 'John', 'skills', 0]` → `$.accounts['123'].agents.John.skills[0]` */
export function jsonPath (path: ReadonlyArray<string | number>): string {
  return '$' + path.map((key) => {
    if (typeof key === 'number') return `[${key}]`
    return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `.${key}` : `['${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`
  }).join('')
}

/**
 * Builds the World a scenario describes. The document must already match fixtures/scenario.schema.json;
 * this adds the checks a schema cannot express (references between entities, invariants).
 */
export function buildWorld (doc: ScenarioDocument): World {
  const world = new World()
  world.description = doc.description
  if (doc.estimator !== undefined) {
    const problem = settingsProblem(doc.estimator)
    if (problem !== undefined) throw new ScenarioError(['estimator', 'p'], problem)
    world.estimator = { ...doc.estimator }
  }
  const bearers = new Map<string, string>()
  for (const [accountId, accountDoc] of Object.entries(doc.accounts)) {
    const account = buildAccount(accountId, accountDoc, bearers)
    world.addAccount(account)
  }
  return world
}

/**
 * Builds one account as a scenario describes it; `bearers` collects the bearers seen so far (to refuse one used
 * twice), and `at` is where the account is in its document, for the errors' JSON paths.
 */
export function buildAccount (accountId: string, doc: AccountDocument, bearers = new Map<string, string>(),
  at: Array<string | number> = ['accounts', accountId]): Account {
  const account = new Account(accountId)
  const skillIds = new Map<number, string>()
  for (const [name, skill] of Object.entries(doc.skills)) {
    uniqueId(skillIds, skill.id, name, [...at, 'skills', name, 'id'], 'skill')
    try {
      account.putSkill({ name, ...skill })
    } catch (err) {
      if (err instanceof ModelError) throw new ScenarioError([...at, 'skills', name, ...err.field], err.problem)
      throw err
    }
  }
  const agentIds = new Map<number, string>()
  for (const [loginName, agentDoc] of Object.entries(doc.agents)) {
    uniqueId(agentIds, agentDoc.id, loginName, [...at, 'agents', loginName, 'id'], 'agent')
    const agent = { loginName, ...agentDoc }
    // putAgent checks the same and would throw; asking first gives the error its JSON path.
    const problem = account.problemWith(agent)
    if (problem !== undefined) throw new ScenarioError([...at, 'agents', loginName, ...problem.field], problem.message)
    account.putAgent(agent)
  }
  for (const [agentSessionId, session] of Object.entries(doc.sessions ?? {})) {
    const where = [...at, 'sessions', agentSessionId]
    if (account.agent(session.agent) === undefined) {
      throw new ScenarioError([...where, 'agent'], `agent '${session.agent}' does not exist in account ${accountId}`)
    }
    const owner = bearers.get(session.bearer)
    if (owner !== undefined) {
      throw new ScenarioError([...where, 'bearer'], `the same bearer is already used by ${owner}; each agent session needs its own`)
    }
    bearers.set(session.bearer, `session ${agentSessionId} of account ${accountId}`)
    const expiresAt = session.expiresAt === undefined ? undefined : Date.parse(session.expiresAt)
    if (expiresAt !== undefined && Number.isNaN(expiresAt)) {
      // The schema's date-time format lets through what Date cannot hold, such as a leap second.
      throw new ScenarioError([...where, 'expiresAt'], 'must be an ISO-8601 date-time such as 2030-01-01T00:00:00Z')
    }
    account.sessions.set(agentSessionId, {
      agentSessionId, agent: session.agent, bearer: session.bearer, expiresAt, expiresAtText: session.expiresAt
    })
  }
  for (const [id, chat] of Object.entries(doc.chats ?? {})) {
    const problem = account.restoreChat({ id, ...chat })
    if (problem !== undefined) throw new ScenarioError([...at, 'chats', id, ...problem.field], problem.message)
  }
  return account
}

/** The World as a scenario document that buildWorld takes back as it is. */
export function snapshot (world: World): ScenarioDocument {
  const accounts: Record<string, AccountDocument> = {}
  for (const id of world.accountIds()) accounts[id] = snapshotAccount(world.account(id) as Account)
  return { description: world.description, ...(world.estimator === undefined ? {} : { estimator: { ...world.estimator } }), accounts }
}

export function snapshotAccount (account: Account): AccountDocument {
  const doc: AccountDocument = {
    skills: Object.fromEntries(account.skillList().map((skill) => [skill.name, skillDocument(skill)])),
    agents: Object.fromEntries(account.agentList().map((agent) => [agent.loginName, agentDocument(agent)])),
    sessions: Object.fromEntries([...account.sessions.values()].map((session) => [session.agentSessionId, {
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

export const skillDocument = ({ id, queued, meanHandleTimeSec, meanPatienceSec, estimator }: Skill): SkillDocument => ({
  id,
  queued,
  meanHandleTimeSec,
  ...(meanPatienceSec === undefined ? {} : { meanPatienceSec }),
  ...(estimator === undefined ? {} : { estimator: { ...estimator } })
})

export const agentDocument = ({ id, nickname, chatState, maxChats, activeChats, skills }: Agent): AgentDocument =>
  ({ id, nickname, chatState, maxChats, activeChats, skills: [...skills] })

/** Ids, like names, identify one entity within an account. */
function uniqueId (seen: Map<number, string>, id: number, name: string, path: Array<string | number>, kind: string): void {
  const other = seen.get(id)
  if (other !== undefined) throw new ScenarioError(path, `${kind} id ${id} is already used by ${kind} '${other}'; ids must be unique in an account`)
  seen.set(id, name)
}
