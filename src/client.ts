/**
 * A small typed client of the admin API, for tests: `await sim.setAgent('12345678', 'John', { chatState: 'Away' })`
 * instead of raw fetch calls. Every method resolves with the answer's body, or rejects with a SimulatorError.
 */
import type { ClockMode } from './domain/clock.js'
import type { Criterion, EstimatorSettings } from './domain/estimator.js'
import type { FaultSpec, Fault } from './domain/faults.js'
import type { AccountDocument, AgentDocument, ScenarioDocument, SkillDocument } from './domain/scenario.js'

export interface ChatView { id: string, skill: string, agent?: string, queued: boolean }
export interface SessionView { agentSessionId: string, agent: string, bearer: string, expiresAt?: string }
export interface ClockView { now: string, mode: ClockMode, speed: number }
export interface RequestFilter { method?: string, path?: string, account?: string, status?: number, since?: string }
export interface RecordedRequest {
  id: number
  time: string
  method: string
  path: string
  query: Record<string, string | string[]>
  /** Bounded, credentials masked (openapi.yaml, JournalRecord). */
  headers: Record<string, string>
  /** null: the connection was dropped by a fault. */
  status: number | null
  durationMs: number
  account?: string
}
export interface EstimatorView { settings: EstimatorSettings, criterion: Criterion }
/** The last chat an answer admits, or the first it does not (docs/estimator.md, "Explanations"). */
export interface ChatOutlookView { position: number, ahead?: number, probability: number, expectedWaitSec: number | null }
export interface EstimateView {
  account: string
  skill?: string
  maxWaitTime: number
  availableSlots: number
  inputs: {
    unlimited: boolean
    free: number
    slots: number
    queued: number
    meanHandleTimeSec: number | null
    releaseRatePerSec: number
    meanPatienceSec: number | null
    abandonRatePerSec: number
    criterion: Criterion['criterion']
    p?: number
  }
  immediate: number
  capped: boolean
  lastAdmitted: ChatOutlookView | null
  next: ChatOutlookView | null
}
export interface Health { status: 'ok', version: string, scenario: string, accounts: number }

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

  scenario (): Promise<ScenarioDocument> { return this.call('GET', 'scenario') }
  /** Replaces all state with a scenario document, or with a fixture by its name. */
  setScenario (scenario: ScenarioDocument | { name: string }): Promise<ScenarioDocument> { return this.call('PUT', 'scenario', scenario) }
  /** Everything back to how the simulator started: scenario, clock, faults, seed, journal. */
  reset (): Promise<ScenarioDocument> { return this.call('POST', 'reset') }
  /** Only the scenario back to the one loaded at start; the clock, faults and journal stay. */
  resetScenario (): Promise<ScenarioDocument> { return this.call('POST', 'scenario/reset') }

  account (accountId: string): Promise<AccountDocument> { return this.call('GET', `accounts/${path(accountId)}`) }
  putAccount (accountId: string, account: AccountDocument): Promise<AccountDocument> { return this.call('PUT', `accounts/${path(accountId)}`, account) }
  deleteAccount (accountId: string): Promise<void> { return this.call('DELETE', `accounts/${path(accountId)}`) }

  /** Changes some of an agent's fields. */
  setAgent (accountId: string, loginName: string, changes: Partial<AgentDocument>): Promise<AgentDocument> {
    return this.call('PATCH', `accounts/${path(accountId)}/agents/${path(loginName)}`, changes)
  }

  putAgent (accountId: string, loginName: string, agent: AgentDocument): Promise<AgentDocument> {
    return this.call('PUT', `accounts/${path(accountId)}/agents/${path(loginName)}`, agent)
  }

  deleteAgent (accountId: string, loginName: string): Promise<void> { return this.call('DELETE', `accounts/${path(accountId)}/agents/${path(loginName)}`) }

  /** Changes some of a skill's fields; `meanPatienceSec: null` or `estimator: null` removes it. */
  setSkill (accountId: string, name: string, changes: Partial<Omit<SkillDocument, 'meanPatienceSec' | 'estimator'>> &
  { meanPatienceSec?: number | null, estimator?: EstimatorSettings | null }): Promise<SkillDocument> {
    return this.call('PATCH', `accounts/${path(accountId)}/skills/${path(name)}`, changes)
  }

  putSkill (accountId: string, name: string, skill: SkillDocument): Promise<SkillDocument> {
    return this.call('PUT', `accounts/${path(accountId)}/skills/${path(name)}`, skill)
  }

  chats (accountId: string): Promise<{ chats: ChatView[] }> { return this.call('GET', `accounts/${path(accountId)}/chats`) }
  /** Starts a chat: on `agent`, or on the Online agent of the skill with most free slots, or queued. */
  startChat (accountId: string, chat: { skill: string, agent?: string }): Promise<ChatView> { return this.call('POST', `accounts/${path(accountId)}/chats`, chat) }
  endChat (accountId: string, chatId: string): Promise<void> { return this.call('DELETE', `accounts/${path(accountId)}/chats/${path(chatId)}`) }

  /** Opens an agent session; its id and bearer are generated unless given. */
  openSession (accountId: string, session: { agent: string, agentSessionId?: string, bearer?: string, expiresAt?: string, expiresInSec?: number }): Promise<SessionView> {
    return this.call('POST', `accounts/${path(accountId)}/sessions`, session)
  }

  revokeSession (accountId: string, agentSessionId: string): Promise<void> {
    return this.call('DELETE', `accounts/${path(accountId)}/sessions/${path(agentSessionId)}`)
  }

  /** The scenario's wait criterion: as set, and as skills without their own use it. */
  estimator (): Promise<EstimatorView> { return this.call('GET', 'estimator') }
  /** Sets the scenario's wait criterion; `{}` goes back to the default (probability, p = 0.8). */
  setEstimator (settings: EstimatorSettings): Promise<EstimatorView> { return this.call('PUT', 'estimator', settings) }
  /** Why availableSlots answers what it does: the inputs, and the last chat admitted and the first refused. */
  estimate (accountId: string, query: { skill?: string, maxWaitTime?: number } = {}): Promise<EstimateView> {
    const search = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)])).toString()
    return this.call('GET', `accounts/${path(accountId)}/estimate${search === '' ? '' : `?${search}`}`)
  }

  clock (): Promise<ClockView> { return this.call('GET', 'clock') }
  setClock (setting: { mode: ClockMode, speed?: number, now?: string }): Promise<ClockView> { return this.call('PUT', 'clock', setting) }
  advanceClock (seconds: number): Promise<ClockView> { return this.call('POST', 'clock/advance', { seconds }) }
  setSeed (seed: number): Promise<{ seed: number }> { return this.call('PUT', 'seed', { seed }) }

  addFault (fault: FaultSpec): Promise<Fault> { return this.call('POST', 'faults', fault) }
  faults (): Promise<{ seed: number, faults: Fault[] }> { return this.call('GET', 'faults') }
  clearFaults (): Promise<void> { return this.call('DELETE', 'faults') }
  removeFault (faultId: string): Promise<void> { return this.call('DELETE', `faults/${path(faultId)}`) }

  /** Requests to the public API, oldest first, that match every given filter (`*` in `path` matches anything). */
  requests (filter: RequestFilter & { limit?: number } = {}): Promise<{ requests: RecordedRequest[], matched: number, dropped: number, limit: number }> {
    const query = new URLSearchParams(Object.entries(filter).map(([key, value]) => [key, String(value)])).toString()
    return this.call('GET', `requests${query === '' ? '' : `?${query}`}`)
  }

  async countRequests (filter: RequestFilter = {}): Promise<number> {
    return (await this.call<{ count: number }>('POST', 'requests/count', filter)).count
  }

  clearRequests (): Promise<void> { return this.call('DELETE', 'requests') }

  private async call<T> (method: string, route: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (this.adminToken !== undefined) headers.authorization = `Bearer ${this.adminToken}`
    const res = await fetch(`${this.url}/__admin/${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await res.text()
    if (!res.ok) {
      let error: { message?: string, internalCode?: number } = {}
      try { error = (JSON.parse(text) as { error: typeof error }).error ?? {} } catch {}
      throw new SimulatorError(res.status, error.internalCode, `${method} /__admin/${route}: ${res.status} ${error.message ?? text}`)
    }
    return (text === '' ? undefined : JSON.parse(text)) as T
  }
}
