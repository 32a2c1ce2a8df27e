/**
 * A small typed client of the admin API, for tests: `await sim.setAgent('12345678', 'John', { chatState: 'Away' })`
 * instead of raw fetch calls. Every method resolves with the answer's body, or rejects with a SimulatorError.
 */
import type { Static } from 'typebox'
import type { Account, AccountInput, Agent, Chat, EstimatorSettings, ScenarioDocument, ScenarioInput, Skill } from './domain/scenario-schema.js'
import type { AgentPatch, SkillPatch } from './http/schemas/accounts.js'
import type { AdminChat, AdminSession, ChatList, SessionRequest } from './http/schemas/activity.js'
import type { Clock, ClockSetting, SeedSetting } from './http/schemas/clock.js'
import type { ChatOutlook, Estimate, EstimatorView as EstimatorViewSchema } from './http/schemas/estimator.js'
import type { Fault, FaultList, FaultSpec } from './domain/fault-schema.js'
import type { Health as HealthSchema } from './http/schemas/health.js'
import type { Live } from './http/schemas/live.js'
import type { JournalCount, JournalFilter, JournalPage, JournalRecord } from './http/schemas/journal.js'
import type { ScenarioByName } from './http/schemas/scenario.js'
import type { AgentSessionLocationView, LoginView } from './http/schemas/agent-api.js'

// Every type here is the Static type of the schema its route declares (src/http/schemas): what the server checks and
// answers, the OpenAPI document and this client cannot drift apart.
export type ChatView = Static<typeof AdminChat>
export type SessionView = Static<typeof AdminSession>
export type ClockView = Static<typeof Clock>
export type RequestFilter = Static<typeof JournalFilter>
export type RecordedRequest = Static<typeof JournalRecord>
export type EstimatorView = Static<typeof EstimatorViewSchema>
/** The last chat an answer admits, or the first it does not (docs/estimator.md, "Explanations"). */
export type ChatOutlookView = Static<typeof ChatOutlook>
export type EstimateView = Static<typeof Estimate>
export type Health = Static<typeof HealthSchema>
export type FaultView = Static<typeof Fault>
export type LiveView = Static<typeof Live>

/** What `loginAgent` gives: the login's bearer and csrf, and the agent session it opened. */
export interface AgentLogin {
  accountId: string
  bearer: string
  csrf: string
  agentSessionId: string
  /** The agent session's URL, which its resources (`/chat/availableSlots` …) are under. */
  sessionUrl: string
}

/** An answer other than 2xx; `internalCode` and `message` come from the product's error body. */
export class SimulatorError extends Error {
  override name = 'SimulatorError'
  constructor (readonly status: number, readonly internalCode: number | undefined, message: string) {
    super(message)
  }
}

const path = (...parts: string[]): string => parts.map(encodeURIComponent).join('/')

export class SimulatorClient {
  /** `url`: the simulator's base URL; `adminToken`: when it was started with ADMIN_TOKEN. */
  constructor (readonly url: string, private readonly adminToken?: string) {}

  health (): Promise<Health> { return this.call('GET', 'health') }

  scenario (): Promise<Static<typeof ScenarioDocument>> { return this.call('GET', 'scenario') }
  /** Replaces all state with a scenario document, or with a fixture by its name. */
  setScenario (scenario: Static<typeof ScenarioInput> | Static<typeof ScenarioByName>): Promise<Static<typeof ScenarioDocument>> { return this.call('PUT', 'scenario', scenario) }
  /** Everything back to how the simulator started: scenario, clock, faults, seed, journal. */
  reset (): Promise<Static<typeof ScenarioDocument>> { return this.call('POST', 'reset') }
  /** Only the scenario back to the one loaded at start; the clock, faults and journal stay. */
  resetScenario (): Promise<Static<typeof ScenarioDocument>> { return this.call('POST', 'scenario/reset') }

  account (accountId: string): Promise<Static<typeof Account>> { return this.call('GET', `accounts/${path(accountId)}`) }
  putAccount (accountId: string, account: Static<typeof AccountInput>): Promise<Static<typeof Account>> { return this.call('PUT', `accounts/${path(accountId)}`, account) }
  deleteAccount (accountId: string): Promise<void> { return this.call('DELETE', `accounts/${path(accountId)}`) }

  /** Changes some of an agent's fields. */
  setAgent (accountId: string, loginName: string, changes: Static<typeof AgentPatch>): Promise<Static<typeof Agent>> {
    return this.call('PATCH', `accounts/${path(accountId)}/agents/${path(loginName)}`, changes)
  }

  putAgent (accountId: string, loginName: string, agent: Static<typeof Agent>): Promise<Static<typeof Agent>> {
    return this.call('PUT', `accounts/${path(accountId)}/agents/${path(loginName)}`, agent)
  }

  deleteAgent (accountId: string, loginName: string): Promise<void> { return this.call('DELETE', `accounts/${path(accountId)}/agents/${path(loginName)}`) }

  /** Changes some of a skill's fields; `meanPatienceSec: null` or `estimator: null` removes it. */
  setSkill (accountId: string, name: string, changes: Static<typeof SkillPatch>): Promise<Static<typeof Skill>> {
    return this.call('PATCH', `accounts/${path(accountId)}/skills/${path(name)}`, changes)
  }

  putSkill (accountId: string, name: string, skill: Static<typeof Skill>): Promise<Static<typeof Skill>> {
    return this.call('PUT', `accounts/${path(accountId)}/skills/${path(name)}`, skill)
  }

  chats (accountId: string): Promise<Static<typeof ChatList>> { return this.call('GET', `accounts/${path(accountId)}/chats`) }
  /** Starts a chat: on `agent`, or on the Online agent of the skill with most free slots, or queued. */
  startChat (accountId: string, chat: Static<typeof Chat>): Promise<ChatView> { return this.call('POST', `accounts/${path(accountId)}/chats`, chat) }
  endChat (accountId: string, chatId: string): Promise<void> { return this.call('DELETE', `accounts/${path(accountId)}/chats/${path(chatId)}`) }

  /** Opens an agent session; its id and bearer are generated unless given. */
  openSession (accountId: string, session: Static<typeof SessionRequest>): Promise<SessionView> {
    return this.call('POST', `accounts/${path(accountId)}/sessions`, session)
  }

  revokeSession (accountId: string, agentSessionId: string): Promise<void> {
    return this.call('DELETE', `accounts/${path(accountId)}/sessions/${path(agentSessionId)}`)
  }

  /**
   * Logs an agent in and starts an agent session, as a client of the real service does (POST …/login, POST
   * …/agentSession): for tests of code that takes a bearer. The account is the first that has the agent, and the
   * password the scenario's, unless given.
   */
  async loginAgent (loginName: string, options: { accountId?: string, password?: string } = {}): Promise<AgentLogin> {
    let { accountId, password } = options
    if (accountId === undefined || password === undefined) {
      const { accounts } = await this.scenario()
      accountId ??= Object.keys(accounts).find((id) => accounts[id]?.agents[loginName] !== undefined)
      if (accountId === undefined) throw new SimulatorError(404, undefined, `loginAgent: no account has an agent '${loginName}'`)
      password ??= accounts[accountId]?.agents[loginName]?.password
      if (password === undefined) throw new SimulatorError(400, undefined, `loginAgent: agent '${loginName}' has no password in the scenario`)
    }
    const account = `${this.url}/api/account/${encodeURIComponent(accountId)}`
    const login = await this.api<LoginView>(`${account}/login?v=1.3`, { username: loginName, password })
    const started = await this.api<AgentSessionLocationView>(`${account}/agentSession?v=1&NC=true`, { loginData: '' }, login.bearer)
    const sessionUrl = started.agentSessionLocation.link['@href']
    return { accountId, bearer: login.bearer, csrf: login.csrf, agentSessionId: sessionUrl.slice(sessionUrl.lastIndexOf('/') + 1), sessionUrl }
  }

  /** Ends a login made by `loginAgent`, and its agent sessions: its bearer is refused from now on. */
  async logoutAgent ({ accountId, csrf }: Pick<AgentLogin, 'accountId' | 'csrf'>): Promise<void> {
    await this.api(`${this.url}/api/account/${encodeURIComponent(accountId)}/logout`, { csrf })
  }

  /** The scenario's wait criterion: as set, and as skills without their own use it. */
  estimator (): Promise<EstimatorView> { return this.call('GET', 'estimator') }
  /** Sets the scenario's wait criterion; `{}` goes back to the default (probability, p = 0.8). */
  setEstimator (settings: Static<typeof EstimatorSettings>): Promise<EstimatorView> { return this.call('PUT', 'estimator', settings) }
  /** Why availableSlots answers what it does: the inputs, and the last chat admitted and the first refused. */
  estimate (accountId: string, query: { skill?: string, maxWaitTime?: number } = {}): Promise<EstimateView> {
    const search = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)])).toString()
    return this.call('GET', `accounts/${path(accountId)}/estimate${search === '' ? '' : `?${search}`}`)
  }

  clock (): Promise<ClockView> { return this.call('GET', 'clock') }
  setClock (setting: Static<typeof ClockSetting>): Promise<ClockView> { return this.call('PUT', 'clock', setting) }
  advanceClock (seconds: number): Promise<ClockView> { return this.call('POST', 'clock/advance', { seconds }) }
  setSeed (seed: number): Promise<Static<typeof SeedSetting>> { return this.call('PUT', 'seed', { seed }) }
  /** The live accounts' counters per skill (docs/live.md). */
  live (): Promise<LiveView> { return this.call('GET', 'live') }

  addFault (fault: Static<typeof FaultSpec>): Promise<FaultView> { return this.call('POST', 'faults', fault) }
  faults (): Promise<Static<typeof FaultList>> { return this.call('GET', 'faults') }
  clearFaults (): Promise<void> { return this.call('DELETE', 'faults') }
  removeFault (faultId: string): Promise<void> { return this.call('DELETE', `faults/${path(faultId)}`) }

  /** Requests to the public API, oldest first, that match every given filter (`*` in `path` matches anything). */
  requests (filter: RequestFilter & { limit?: number } = {}): Promise<Static<typeof JournalPage>> {
    const query = new URLSearchParams(Object.entries(filter).map(([key, value]) => [key, String(value)])).toString()
    return this.call('GET', `requests${query === '' ? '' : `?${query}`}`)
  }

  async countRequests (filter: RequestFilter = {}): Promise<number> {
    return (await this.call<Static<typeof JournalCount>>('POST', 'requests/count', filter)).count
  }

  clearRequests (): Promise<void> { return this.call('DELETE', 'requests') }

  /** A POST to the simulated API, in JSON. */
  private async api<T> (url: string, body: unknown, bearer?: string): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' }
    if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) })
    return await this.answer<T>(res, `POST ${new URL(url).pathname}`)
  }

  private async call<T> (method: string, route: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (this.adminToken !== undefined) headers.authorization = `Bearer ${this.adminToken}`
    const res = await fetch(`${this.url}/__admin/${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    return await this.answer<T>(res, `${method} /__admin/${route}`)
  }

  /** The body of a 2xx answer; a SimulatorError for any other. */
  private async answer<T> (res: Response, what: string): Promise<T> {
    const text = await res.text()
    if (!res.ok) {
      let error: { message?: string, internalCode?: number } = {}
      try { error = (JSON.parse(text) as { error: typeof error }).error ?? {} } catch {}
      throw new SimulatorError(res.status, error.internalCode, `${what}: ${res.status} ${error.message ?? text}`)
    }
    return (text === '' ? undefined : JSON.parse(text)) as T
  }
}
