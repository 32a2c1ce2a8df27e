/**
 * The in-memory model: accounts with their skills, agents and agent sessions. Every change keeps
 * per-skill and per-account running totals up to date, so that an answer costs O(1) in the number of agents.
 */
import { agentIsLive, shiftProblem, skillIsLive, skillLiveProblem, type AgentLive, type SkillLive } from './live-settings.js'
import { estimatedWait, explain, NOBODY_ONLINE, RememberedAnswers, resolveCriterion, settingsProblem, UNLIMITED, type Criterion, type EstimatorSettings, type Explanation, type Pool, type Rate } from './estimator.js'

export const CHAT_STATES = ['Online', 'Occupied', 'Away', 'Offline'] as const
/** The most chats an agent holds (the scenario schema's bound on maxChats and activeChats), unlimited or not. */
export const MAX_ACTIVE_CHATS = 1000
/** The most chats a skill has queued (the schema's bound on `queued`), so that a snapshot always loads again. */
export const MAX_QUEUED = 1_000_000_000
export type ChatState = typeof CHAT_STATES[number]

export interface Skill {
  name: string
  id: number
  /** Chats waiting for this skill. */
  queued: number
  meanHandleTimeSec: number
  meanPatienceSec?: number
  /** The skill's own wait criterion; fields left out come from the scenario's. */
  estimator?: EstimatorSettings
}

/** A skill with what the live model reads: arrivals and the handle-time distribution (see live-settings.ts). */
export interface Skill extends SkillLive {}

export interface Agent {
  loginName: string
  id: number
  nickname: string
  chatState: ChatState
  /** A count, or -1 for unlimited. */
  maxChats: number
  activeChats: number
  skills: readonly string[]
  /** What the agent logs in with; absent: it cannot log in. */
  password?: string
}

/** An agent with its shift plan, for the live model. */
export interface Agent extends AgentLive {}

export interface Session {
  agentSessionId: string
  /** Login name of the agent the session belongs to. */
  agent: string
  /** 64 lowercase hex characters. */
  bearer: string
  /** Epoch milliseconds; the token is refused from this instant on. */
  expiresAt?: number
  /** expiresAt as it was written, so that a snapshot gives back what was loaded. */
  expiresAtText?: string
  /**
   * Opened through `POST …/agentSession`: it ends `timeoutMs` after its last call. Such sessions, with the logins that
   * opened them, are the clients' own: they are not written into snapshots.
   */
  idle?: { timeoutMs: number, lastActiveAt: number }
}

/** A chat started through the admin API: routed to an agent (counted in its activeChats) or queued for a skill. */
export interface Chat {
  id: string
  skill: string
  /** Absent: queued (counted in the skill's `queued`). */
  agent?: string
}

/** A change that would break the model's invariants; the model is left as it was. `field` is where, in the entity. */
export class ModelError extends Error {
  override name = 'ModelError'
  constructor (readonly problem: string, readonly field: Array<string | number> = []) {
    super(field.length === 0 ? problem : `${field.join('.')}: ${problem}`)
  }
}

/** A change the model cannot make in its present state (an agent without a free slot); nothing is changed. */
export class ConflictError extends Error {
  override name = 'ConflictError'
}

/**
 * Told of changes made from outside the live model (routes, the control API), so that it can follow: a change of an
 * agent's chat state alone, or any other change.
 */
export interface AccountObserver {
  chatStateChanged(agent: Agent): void
  changed(): void
}

const problemError = (problem: Problem): ModelError => new ModelError(problem.message, problem.field)

/** What is wrong with an entity, and where inside it: `['skills', 1]`, `['activeChats']`. */
export interface Problem {
  field: Array<string | number>
  message: string
}

/** Running totals over the Online agents of a pool. */
class Capacity {
  online = 0
  unlimited = 0
  free = 0
  /** All the slots of the limited agents, busy or free. */
  slots = 0
  active = 0

  apply (agent: Agent, sign: 1 | -1): void {
    if (agent.chatState !== 'Online') return
    this.online += sign
    if (agent.maxChats === UNLIMITED) this.unlimited += sign
    else {
      this.free += sign * Math.max(0, agent.maxChats - agent.activeChats)
      this.slots += sign * agent.maxChats
    }
    this.active += sign * agent.activeChats
  }
}

/** A pool's numbers as monitoring shows them: Online agents, their free slots (Infinity if one is unlimited), chats. */
export interface PoolGauges {
  onlineAgents: number
  freeSlots: number
  activeChats: number
  queuedChats: number
}

/** An answer with what it was computed from. */
export interface Estimate extends Explanation {
  pool: Pool
  criterion: Criterion
}

export interface AccountGauges extends PoolGauges {
  agentsByState: Record<ChatState, number>
  skills: Map<string, PoolGauges>
}

const gauges = (capacity: Capacity, queued: number): PoolGauges => ({
  onlineAgents: capacity.online,
  freeSlots: capacity.unlimited > 0 ? Infinity : capacity.free,
  activeChats: capacity.active,
  queuedChats: queued
})

interface SkillEntry {
  skill: Skill
  capacity: Capacity
  answers: RememberedAnswers
  /** The live model's estimate of the mean handle time (whole seconds), in place of meanHandleTimeSec when set. */
  learnedHandleSec?: number
}

const handleSec = (entry: SkillEntry): number => entry.learnedHandleSec ?? entry.skill.meanHandleTimeSec

/** Online agents with the same skills: they free their slots at Σ maxChats · n / Σ handle times (n skills). */
interface ReleaseGroup {
  skills: SkillEntry[]
  weight: number
}

export class Account {
  private readonly skills = new Map<string, SkillEntry>()
  private readonly agents = new Map<string, Agent>()
  readonly sessions = new Map<string, Session>()
  /** The keys of the visitor-side calls (`appKeys` of the scenario). */
  appKeys: readonly string[] = []
  /** Read-only outside: chats come and go through `track`, which keeps the counts below. */
  readonly chats = new Map<string, Chat>()
  /** Chats routed to each agent and queued for each skill, so that checks count without a scan of every chat. */
  private readonly routedTo = new Map<string, number>()
  private readonly queuedFor = new Map<string, number>()
  private nextChat = 1
  /** Agent id → login name, so that a new agent's id is checked without a scan. */
  private readonly agentIds = new Map<number, string>()
  /** Skill ids to names, so that the uniqueness check does not scan every skill (loading n skills stays linear). */
  private readonly skillIds = new Map<number, string>()
  private readonly capacity = new Capacity()
  private queued = 0
  /**
   * For the whole account each Online agent's slots free up at the mean of its skills' handle times, i.e. at
   * maxChats·n / H per second (n skills whose handle times sum to H) once all are busy. Kept by set of skills, so
   * that the total rate is an exact fraction over the few distinct sets, and a skill's handle time changes in O(1).
   */
  private readonly releaseBySkills = new Map<string, ReleaseGroup>()
  private releaseRate: Rate | undefined
  private readonly answers = new RememberedAnswers(() => this.accountPool())

  /** Told of every change from outside the live model; set by the live model. */
  observer: AccountObserver | undefined
  /** Skills and agents with live settings: the account is live while there is one. */
  private liveEntities = 0

  constructor (readonly id: string) {}

  agent (loginName: string): Agent | undefined {
    return this.agents.get(loginName)
  }

  skill (name: string): Skill | undefined {
    return this.skills.get(name)?.skill
  }

  /** Adds or replaces a skill; what is stored. */
  putSkill (skill: Skill): Skill {
    const sameId = this.skillIds.get(skill.id)
    if (sameId !== undefined && sameId !== skill.name) {
      throw problemError({ field: ['id'], message: `skill id ${skill.id} is already used by skill '${sameId}'; ids must be unique in an account` })
    }
    const settings = skill.estimator === undefined ? undefined : settingsProblem(skill.estimator)
    if (settings !== undefined) throw problemError({ field: ['estimator', 'p'], message: settings })
    const live = skillLiveProblem(skill)
    if (live !== undefined) throw problemError(live)
    if (skill.queued < (this.queuedFor.get(skill.name) ?? 0)) {
      const queuedChats = this.chatsWhere((chat) => chat.agent === undefined && chat.skill === skill.name)
      throw problemError({
        field: ['queued'],
        message: `queued (${skill.queued}) is less than the ${queuedChats.length} chats queued through the admin API ` +
          `(${queuedChats.map((chat) => chat.id).join(', ')}); end those first`
      })
    }
    const entry = this.skills.get(skill.name)
    const stored = copySkill(skill)
    this.answers.forget()
    this.releaseRate = undefined
    if (entry !== undefined) this.skillIds.delete(entry.skill.id)
    this.skillIds.set(skill.id, skill.name)
    this.liveEntities += (skillIsLive(stored) ? 1 : 0) - (entry !== undefined && skillIsLive(entry.skill) ? 1 : 0)
    if (entry === undefined) {
      const added: SkillEntry = { skill: stored, capacity: new Capacity(), answers: new RememberedAnswers(() => this.poolOf(added)) }
      this.skills.set(skill.name, added)
      this.queued += skill.queued
    } else {
      this.queued += skill.queued - entry.skill.queued
      if (stored.meanHandleTimeSec !== entry.skill.meanHandleTimeSec) delete entry.learnedHandleSec
      entry.skill = stored
      entry.answers.forget()
    }
    this.observer?.changed()
    return stored
  }

  /** Adds or replaces an agent; what is stored. Throws ModelError, changing nothing, if the agent breaks an invariant. */
  putAgent (agent: Agent): Agent {
    const problem = this.problemWith(agent)
    if (problem !== undefined) throw problemError(problem)
    const old = this.agents.get(agent.loginName)
    if (old !== undefined) {
      this.count(old, -1)
      this.agentIds.delete(old.id)
    }
    const stored = copyAgent(agent)
    this.liveEntities += (agentIsLive(stored) ? 1 : 0) - (old !== undefined && agentIsLive(old) ? 1 : 0)
    this.agents.set(agent.loginName, stored)
    this.agentIds.set(stored.id, stored.loginName)
    this.count(stored, 1)
    if (old !== undefined && this.observer !== undefined && sameButChatState(old, stored)) this.observer.chatStateChanged(stored)
    else this.observer?.changed()
    return stored
  }

  /** Removes an agent (its chats end with it; its sessions are the World's to revoke); false if there was none. */
  removeAgent (loginName: string): boolean {
    const agent = this.agents.get(loginName)
    if (agent === undefined) return false
    this.count(agent, -1)
    this.agents.delete(loginName)
    this.agentIds.delete(agent.id)
    if (agentIsLive(agent)) this.liveEntities--
    if (this.routedTo.has(loginName)) for (const chat of this.chatsWhere((c) => c.agent === loginName)) this.track(chat, -1)
    this.observer?.changed()
    return true
  }

  /** Why this agent cannot be in the account, or undefined if it can. */
  problemWith (agent: Agent): Problem | undefined {
    const sameId = this.agentIds.get(agent.id)
    if (sameId !== undefined && sameId !== agent.loginName) {
      return { field: ['id'], message: `agent id ${agent.id} is already used by agent '${sameId}'; ids must be unique in an account` }
    }
    if (agent.skills.length === 0) return { field: ['skills'], message: 'an agent needs at least one skill' }
    const shifts = shiftProblem(agent)
    if (shifts !== undefined) return shifts
    const unknown = agent.skills.findIndex((name) => !this.skills.has(name))
    if (unknown >= 0) {
      return { field: ['skills', unknown], message: `skill '${agent.skills[unknown]}' does not exist in account ${this.id}` }
    }
    if (agent.maxChats !== UNLIMITED && agent.activeChats > agent.maxChats) {
      return {
        field: ['activeChats'],
        message: `activeChats (${agent.activeChats}) exceeds maxChats (${agent.maxChats}); allowed: 0..maxChats, or any count when maxChats is -1`
      }
    }
    if (!this.routedTo.has(agent.loginName)) return undefined
    const routed = this.chatsWhere((chat) => chat.agent === agent.loginName)
    if (routed.length > agent.activeChats) {
      return {
        field: ['activeChats'],
        message: `activeChats (${agent.activeChats}) is less than the ${routed.length} chats routed to the agent through the ` +
          `admin API (${routed.map((chat) => chat.id).join(', ')}); end those first`
      }
    }
    const orphan = routed.find((chat) => !agent.skills.includes(chat.skill))
    if (orphan !== undefined) {
      return { field: ['skills'], message: `chat ${orphan.id} of skill '${orphan.skill}' is routed to the agent; keep the skill or end the chat first` }
    }
    return undefined
  }

  /**
   * Starts a chat of a skill: on the given agent, or else on the Online agent of the skill with the most free
   * slots (the first such agent on a tie), or else queued. Throws ModelError for an unknown skill or agent,
   * ConflictError if the given agent cannot take it.
   */
  startChat (skillName: string, agentName?: string): Chat {
    const skill = this.skill(skillName)
    if (skill === undefined) throw new ModelError(`skill '${skillName}' does not exist in account ${this.id}`, ['skill'])
    let agent: Agent | undefined
    if (agentName !== undefined) {
      agent = this.agents.get(agentName)
      if (agent === undefined) throw new ModelError(`agent '${agentName}' does not exist in account ${this.id}`, ['agent'])
      if (!agent.skills.includes(skillName)) throw new ModelError(`agent '${agentName}' does not have skill '${skillName}'`, ['agent'])
      if (agent.activeChats >= MAX_ACTIVE_CHATS) {
        throw new ConflictError(`agent '${agentName}' already has ${MAX_ACTIVE_CHATS} chats, the most an agent holds here`)
      }
      const free = this.agentSlots(agentName) as number
      if (free === 0) {
        const why = agent.chatState !== 'Online' ? `is ${agent.chatState}` : `has all ${agent.maxChats} of its chats`
        throw new ConflictError(`agent '${agentName}' ${why}, so it has no free slot; leave out "agent" to queue the chat instead`)
      }
    } else {
      agent = this.agentWithMostSlots(skillName)
      if (agent === undefined && skill.queued >= MAX_QUEUED) {
        throw new ConflictError(`skill '${skillName}' already has ${MAX_QUEUED} chats queued, the most a skill holds; end some first`)
      }
    }
    const chat: Chat = { id: this.newChatId(), skill: skillName, ...(agent === undefined ? {} : { agent: agent.loginName }) }
    this.track(chat, 1)
    if (agent === undefined) this.putSkill({ ...skill, queued: skill.queued + 1 })
    else this.putAgent({ ...agent, activeChats: agent.activeChats + 1 })
    this.observer?.changed()
    return chat
  }

  /** Ends a chat started through the admin API: its agent's slot frees up, or the queue shortens. */
  endChat (id: string): Chat | undefined {
    const chat = this.chats.get(id)
    if (chat === undefined) return undefined
    this.track(chat, -1)
    const agent = chat.agent === undefined ? undefined : this.agents.get(chat.agent)
    if (agent !== undefined) this.putAgent({ ...agent, activeChats: agent.activeChats - 1 })
    else {
      const skill = this.skill(chat.skill) as Skill
      this.putSkill({ ...skill, queued: skill.queued - 1 })
    }
    this.observer?.changed()
    return chat
  }

  /** Takes in a chat as a snapshot lists it: already counted in its agent's activeChats or its skill's queued. */
  restoreChat (chat: Chat): Problem | undefined {
    const skill = this.skill(chat.skill)
    if (skill === undefined) return { field: ['skill'], message: `skill '${chat.skill}' does not exist in account ${this.id}` }
    if (chat.agent !== undefined) {
      const agent = this.agents.get(chat.agent)
      if (agent === undefined) return { field: ['agent'], message: `agent '${chat.agent}' does not exist in account ${this.id}` }
      if (!agent.skills.includes(chat.skill)) return { field: ['agent'], message: `agent '${chat.agent}' does not have skill '${chat.skill}'` }
      if ((this.routedTo.get(chat.agent) ?? 0) >= agent.activeChats) {
        return { field: ['agent'], message: `agent '${chat.agent}' has activeChats ${agent.activeChats}, fewer than the chats listed for it` }
      }
    } else if ((this.queuedFor.get(chat.skill) ?? 0) >= skill.queued) {
      return { field: ['skill'], message: `skill '${chat.skill}' has queued ${skill.queued}, fewer than the queued chats listed for it` }
    }
    this.track({ ...chat }, 1)
    const n = /^chat-(\d{1,15})$/.exec(chat.id)
    if (n !== null) this.nextChat = Math.max(this.nextChat, Number(n[1]) + 1)
    this.observer?.changed()
    return undefined
  }

  // The live model's changes: O(skills of the agent) each, and not told to the observer (the live model made them).

  /** `by` more (or fewer) chats queued for the skill. */
  liveQueued (skillName: string, by: number): void {
    const entry = this.skills.get(skillName) as SkillEntry
    entry.skill.queued += by
    this.queued += by
    entry.answers.forget()
    this.answers.forget()
  }

  /** `by` more (or fewer) chats on the agent. */
  liveActive (loginName: string, by: number): void {
    const agent = this.agents.get(loginName) as Agent
    if (agent.chatState !== 'Online') {
      agent.activeChats += by
      return
    }
    const freeBefore = freeSlots(agent)
    agent.activeChats += by
    const free = freeSlots(agent) - freeBefore
    this.capacity.free += free
    this.capacity.active += by
    this.answers.forget()
    for (const name of agent.skills) {
      const entry = this.skills.get(name) as SkillEntry
      entry.capacity.free += free
      entry.capacity.active += by
      entry.answers.forget()
    }
  }

  /** The agent goes to another chat state (its shift plan). */
  liveChatState (loginName: string, chatState: ChatState): void {
    const agent = this.agents.get(loginName) as Agent
    this.count(agent, -1)
    agent.chatState = chatState
    this.count(agent, 1)
  }

  /** The handle time the estimator uses for the skill from now on (whole seconds ≥ 1), learned from ended chats. */
  liveHandleTime (skillName: string, seconds: number): void {
    const entry = this.skills.get(skillName) as SkillEntry
    if (entry.learnedHandleSec === seconds) return
    entry.learnedHandleSec = seconds
    entry.answers.forget()
    this.answers.forget()
    this.releaseRate = undefined
  }

  /** Whether the account asks for the live model: a skill with arrivals or a handle-time distribution, or an agent with shifts. */
  get isLive (): boolean { return this.liveEntities > 0 }

  /** The account is no longer live: the estimator goes back to the skills' meanHandleTimeSec. */
  liveEnded (): void {
    for (const entry of this.skills.values()) {
      delete entry.learnedHandleSec
      entry.answers.forget()
    }
    this.answers.forget()
    this.releaseRate = undefined
  }

  /** The handle time the estimator uses for the skill now. */
  handleTimeOf (skillName: string): number | undefined {
    const entry = this.skills.get(skillName)
    return entry === undefined ? undefined : handleSec(entry)
  }

  /** A queued chat of the admin API that the live model started on an agent (whose count it changed already). */
  liveRoute (chatId: string, agent: string): void {
    const chat = this.chats.get(chatId)
    if (chat === undefined) return
    this.track(chat, -1)
    this.track({ ...chat, agent }, 1)
  }

  /** A chat of the admin API that the live model ended (or its visitor left): its counts were changed already. */
  liveForget (chatId: string): void {
    const chat = this.chats.get(chatId)
    if (chat !== undefined) this.track(chat, -1)
  }

  /** Every skill and agent, in the order they were added. */
  skillList (): Skill[] {
    return [...this.skills.values()].map((entry) => entry.skill)
  }

  agentList (): Agent[] {
    return [...this.agents.values()]
  }

  /** Adds (1) or drops (-1) a chat, keeping the counts of routed and queued chats. */
  private track (chat: Chat, sign: 1 | -1): void {
    const [counts, key] = chat.agent === undefined ? [this.queuedFor, chat.skill] : [this.routedTo, chat.agent]
    const n = (counts.get(key) ?? 0) + sign
    if (n === 0) counts.delete(key)
    else counts.set(key, n)
    if (sign === 1) this.chats.set(chat.id, chat)
    else this.chats.delete(chat.id)
  }

  private chatsWhere (test: (chat: Chat) => boolean): Chat[] {
    const found: Chat[] = []
    for (const chat of this.chats.values()) if (test(chat)) found.push(chat)
    return found
  }

  private agentWithMostSlots (skillName: string): Agent | undefined {
    let best: Agent | undefined
    let bestFree = 0
    for (const agent of this.agents.values()) {
      if (!agent.skills.includes(skillName) || agent.activeChats >= MAX_ACTIVE_CHATS) continue
      const free = this.agentSlots(agent.loginName) as number
      const value = free === UNLIMITED ? Infinity : free
      if (value > bestFree) {
        best = agent
        bestFree = value
      }
    }
    return best
  }

  private newChatId (): string {
    while (this.chats.has(`chat-${this.nextChat}`)) this.nextChat++
    return `chat-${this.nextChat++}`
  }

  /** Slots of one agent: -1 if Online and unlimited, 0 if not Online, else its free slots. */
  agentSlots (loginName: string): number | undefined {
    const agent = this.agents.get(loginName)
    if (agent === undefined) return undefined
    if (agent.chatState !== 'Online') return 0
    if (agent.maxChats === UNLIMITED) return UNLIMITED
    return Math.max(0, agent.maxChats - agent.activeChats)
  }

  /**
   * Slots for a new chat of one skill that would wait at most `maxWaitSec`, by the skill's criterion (its own
   * settings over the scenario's).
   */
  skillSlots (name: string, maxWaitSec: number, scenario?: EstimatorSettings): number | undefined {
    const entry = this.skills.get(name)
    if (entry === undefined) return undefined
    return entry.answers.get(maxWaitSec, resolveCriterion(entry.skill.estimator, scenario))
  }

  /** Slots of the whole account by the scenario's criterion: all Online agents, each once, and all queued chats. */
  accountSlots (maxWaitSec: number, scenario?: EstimatorSettings): number {
    return this.answers.get(maxWaitSec, resolveCriterion(undefined, scenario))
  }

  /** Online agents of a skill (undefined if there is no such skill), or of the whole account. */
  onlineAgents (skillName?: string): number | undefined {
    if (skillName === undefined) return this.capacity.online
    return this.skills.get(skillName)?.capacity.online
  }

  /**
   * estimatedWaitTime of a new chat of a skill (undefined if there is no such skill) or of the whole account, in
   * seconds: NOBODY_ONLINE when no eligible agent is Online, else `estimatedWait` of the pool.
   */
  waitEstimate (skillName?: string): number | undefined {
    const entry = skillName === undefined ? undefined : this.skills.get(skillName)
    if (skillName !== undefined && entry === undefined) return undefined
    const online = entry === undefined ? this.capacity.online : entry.capacity.online
    if (online === 0) return NOBODY_ONLINE
    return estimatedWait(entry === undefined ? this.accountPool() : this.poolOf(entry))
  }

  /** The pool, criterion and numbers behind `skillSlots` (a skill's name) or `accountSlots` (none). */
  estimate (skillName: string | undefined, maxWaitSec: number, scenario?: EstimatorSettings): Estimate | undefined {
    const entry = skillName === undefined ? undefined : this.skills.get(skillName)
    if (skillName !== undefined && entry === undefined) return undefined
    const pool = entry === undefined ? this.accountPool() : this.poolOf(entry)
    const criterion = resolveCriterion(entry?.skill.estimator, scenario)
    return { pool, criterion, ...explain(pool, maxWaitSec, criterion) }
  }

  private poolOf (entry: SkillEntry): Pool {
    const { skill, capacity } = entry
    return {
      unlimited: capacity.unlimited > 0,
      free: capacity.free,
      slots: capacity.slots,
      queued: skill.queued,
      release: { num: capacity.slots, den: handleSec(entry) },
      meanPatienceSec: skill.meanPatienceSec
    }
  }

  /** No patience term: visitors of different skills abandon differently. */
  private accountPool (): Pool {
    return {
      unlimited: this.capacity.unlimited > 0,
      free: this.capacity.free,
      slots: this.capacity.slots,
      queued: this.queued,
      release: this.accountReleaseRate()
    }
  }

  /** For monitoring; costs O(agents + skills), so it is for scrapes, not for answers. */
  gauges (): AccountGauges {
    const agentsByState = Object.fromEntries(CHAT_STATES.map((state) => [state, 0])) as Record<ChatState, number>
    for (const agent of this.agents.values()) agentsByState[agent.chatState]++
    const skills = new Map([...this.skills].map(([name, { skill, capacity }]) => [name, gauges(capacity, skill.queued)]))
    return { ...gauges(this.capacity, this.queued), agentsByState, skills }
  }

  private count (agent: Agent, sign: 1 | -1): void {
    this.capacity.apply(agent, sign)
    this.answers.forget()
    for (const name of agent.skills) {
      const entry = this.skills.get(name) as SkillEntry
      entry.capacity.apply(agent, sign)
      entry.answers.forget()
    }
    if (agent.chatState !== 'Online' || agent.maxChats === UNLIMITED || agent.maxChats === 0) return
    // Skill names are alphanumeric: a comma cannot be in one.
    const key = agent.skills.join(',')
    let group = this.releaseBySkills.get(key)
    if (group === undefined) this.releaseBySkills.set(key, group = { skills: agent.skills.map((name) => this.skills.get(name) as SkillEntry), weight: 0 })
    group.weight += sign * agent.maxChats * agent.skills.length
    if (group.weight === 0) this.releaseBySkills.delete(key)
    this.releaseRate = undefined
  }

  private accountReleaseRate (): Rate {
    if (this.releaseRate !== undefined) return this.releaseRate
    const groups = [...this.releaseBySkills.values()].map(({ skills, weight }) => ({ handleSum: BigInt(skills.reduce((sum, entry) => sum + handleSec(entry), 0)), weight }))
    let den = 1n
    for (const { handleSum } of groups) den = lcm(den, handleSum)
    let num = 0n
    for (const { handleSum, weight } of groups) num += BigInt(weight) * (den / handleSum)
    const g = gcd(num, den)
    const [n, d] = [num / g, den / g]
    const safe = BigInt(Number.MAX_SAFE_INTEGER)
    this.releaseRate = n <= safe && d <= safe ? { num: Number(n), den: Number(d) } : { num: n, den: d }
    return this.releaseRate
  }
}

const freeSlots = (agent: Agent): number => agent.maxChats === UNLIMITED ? 0 : Math.max(0, agent.maxChats - agent.activeChats)

/** A copy the model can change in place (the live model does) without touching the caller's object. */
function copySkill (skill: Skill): Skill {
  return {
    ...skill,
    ...(skill.estimator === undefined ? {} : { estimator: { ...skill.estimator } }),
    ...(skill.dailyArrivals === undefined ? {} : { dailyArrivals: skill.dailyArrivals.map((step) => ({ ...step })) }),
    ...(skill.handleTime === undefined ? {} : { handleTime: { ...skill.handleTime } })
  }
}

function copyAgent (agent: Agent): Agent {
  return { ...agent, skills: [...agent.skills], ...(agent.shifts === undefined ? {} : { shifts: agent.shifts.map((step) => ({ ...step })) }) }
}

/** Whether two versions of an agent differ in their chat state alone (so the live model need not start again). */
function sameButChatState (a: Agent, b: Agent): boolean {
  return a.maxChats === b.maxChats && a.activeChats === b.activeChats && a.skills.length === b.skills.length &&
    a.skills.every((name, i) => b.skills[i] === name) && JSON.stringify(a.shifts) === JSON.stringify(b.shifts)
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b))
const lcm = (a: bigint, b: bigint): bigint => (a / gcd(a, b)) * b
