/**
 * All accounts of a running simulator, and the logins whose bearer tokens open their agent sessions.
 *
 * A login belongs to one agent of one account and has one bearer; it may open several agent sessions. Logins are made
 * by `POST …/login` (with a csrf token, for logout and refresh), or in advance by the scenario and the control API: each
 * session written there is a login of its own with that one session, as before logins existed.
 */
import * as crypto from 'node:crypto'
import { constantTimeEqual, digest } from './secrets.js'
import type { EstimatorSettings } from './estimator.js'
import type { ClockSetting } from './clock.js'
import { ConflictError, ModelError, type Account, type Session } from './model.js'

export interface Login {
  account: Account
  /** The agent's login name. */
  agent: string
  /** 64 lowercase hex characters. */
  bearer: string
  /** Made by `POST …/login`: the token logout and refresh are sent with. Absent: a login made in advance. */
  csrf?: string
  /** Epoch milliseconds; the bearer is refused from this instant on. Absent: never. */
  expiresAt?: number
  /** Its open agent sessions, by id. */
  sessions: Map<string, Session>
}

/** A login made by `POST …/login`: it has a csrf token and an expiry. */
export type MadeLogin = Login & { csrf: string, expiresAt: number }

/** A session, and the login and account it belongs to. */
export interface SessionOwner {
  account: Account
  session: Session
  login: Login
}

/** A scenario's clock: the mode, and the speed if it gives one. */
export type ScenarioClockSetting = Pick<ClockSetting, 'mode'> & Partial<Pick<ClockSetting, 'speed'>> & {
  /** The time of day (UTC, HH:MM[:SS]) the clock starts at. */
  startTime?: string
}

/** How long a login's bearer is valid, on the simulator's clock: the vendor's `sessionTTl`, 8 hours. */
export const LOGIN_TTL_MS = 8 * 60 * 60 * 1000
/** An agent session opened through the API ends after this long without a call (the vendor's 400 s). */
export const SESSION_IDLE_MS = 400 * 1000

/** The most logins made by `POST …/login` that one account keeps at once (expired ones are dropped first). */
export const MAX_LOGINS = 1000
/** The most agent sessions one login keeps open at once (ended ones are dropped first). */
export const MAX_SESSIONS_PER_LOGIN = 10
/** The most agent sessions opened through the API that the simulator keeps at once (ended ones are dropped first). */
export const MAX_OPENED_SESSIONS = 50_000

/**
 * A token is first compared, in constant time, with the bearer of the session the request names (the usual case, and
 * the fast one). Only when that fails is it looked up among all tokens, by its digest and again compared in constant
 * time, so that no lookup or comparison takes a time that depends on how much of a guessed token is right.
 */
export class World {
  /** The scenario's own description, kept for snapshots. */
  description = ''
  /** The scenario's wait criterion, for every skill that does not set its own (and the whole-account answer). */
  estimator: EstimatorSettings | undefined
  /** How the scenario asks the clock to run, and the seed of the draws, when the simulator starts with it. */
  clock: ScenarioClockSetting | undefined
  seed: number | undefined
  /** Goes up whenever an account is added, replaced or removed (the live model follows). */
  revision = 0
  private accounts = new Map<string, Account>()
  /** Bearer digest → login. */
  private tokens = new Map<string, Login>()
  /** Csrf digest → login, for the logins made by `POST …/login`. */
  private csrfs = new Map<string, MadeLogin>()
  /** accountId → agentSessionId → owner: the same objects as in `tokens`, found without hashing. */
  private owners = new Map<string, Map<string, SessionOwner>>()
  /** accountId → the logins made by `POST …/login`, oldest first. */
  private madeLogins = new Map<string, Set<Login>>()
  /** Sessions opened through the API (with an idle timeout), in all accounts. */
  private openedCount = 0

  accountIds (): string[] {
    return [...this.accounts.keys()]
  }

  account (accountId: string): Account | undefined {
    return this.accounts.get(accountId)
  }

  /** Adds an account with its sessions. Throws ModelError, changing nothing, if it exists or a bearer is in use. */
  addAccount (account: Account): void {
    if (this.accounts.has(account.id)) throw new ModelError(`account ${account.id} already exists`)
    this.putAccount(account)
  }

  /**
   * Adds or replaces an account with its sessions (each a login of its own). Throws ModelError, changing nothing, if a
   * bearer is in use elsewhere. A replaced account's logins end with it.
   */
  putAccount (account: Account): void {
    const old = this.accounts.get(account.id)
    const ownKeys = new Set(old === undefined ? [] : [...this.loginsOf(old)].map((login) => digest(login.bearer)))
    const logins = [...account.sessions.values()].map((session) => scenarioLogin(account, session))
    const keys = logins.map((login) => digest(login.bearer))
    if (new Set(keys).size !== keys.length || keys.some((key) => this.tokens.has(key) && !ownKeys.has(key))) {
      throw new ModelError('a bearer is used by more than one agent session (here or in another account); each needs its own', ['sessions'])
    }
    if (old !== undefined) this.revokeLogins(old)
    // Set in place: a replaced account keeps its position among the others (and in snapshots).
    this.accounts.set(account.id, account)
    this.revision++
    logins.forEach((login, i) => this.tokens.set(keys[i] as string, login))
    this.owners.set(account.id, new Map(logins.map((login) => {
      const session = [...login.sessions.values()][0] as Session
      return [session.agentSessionId, { account, session, login }]
    })))
  }

  /** Removes an account and ends its logins and sessions; false if there was none. */
  removeAccount (accountId: string): boolean {
    const account = this.accounts.get(accountId)
    if (account === undefined) return false
    this.revokeLogins(account)
    this.accounts.delete(accountId)
    this.revision++
    return true
  }

  /** Every login of the account: those of its sessions, and those made by `POST …/login` (with or without sessions). */
  private loginsOf (account: Account): Set<Login> {
    const logins = new Set(this.madeLogins.get(account.id))
    for (const owner of this.owners.get(account.id)?.values() ?? []) logins.add(owner.login)
    return logins
  }

  private revokeLogins (account: Account): void {
    for (const login of this.loginsOf(account)) {
      this.tokens.delete(digest(login.bearer))
      if (login.csrf !== undefined) this.csrfs.delete(digest(login.csrf))
    }
    for (const { session } of this.owners.get(account.id)?.values() ?? []) if (session.idle !== undefined) this.openedCount--
    this.madeLogins.delete(account.id)
    this.owners.delete(account.id)
  }

  /**
   * Opens an agent session made in advance (the control API): a login of its own. Throws ModelError, changing nothing,
   * if its agent is unknown or its bearer in use.
   */
  addSession (account: Account, session: Session): void {
    if (account.sessions.has(session.agentSessionId)) {
      throw new ConflictError(`agent session ${session.agentSessionId} already exists in account ${account.id}`)
    }
    if (account.agent(session.agent) === undefined) {
      throw new ModelError(`agent '${session.agent}' does not exist in account ${account.id}`, ['agent'])
    }
    const key = digest(session.bearer)
    if (this.tokens.has(key)) throw new ModelError('this bearer is already used by another agent session; each needs its own', ['bearer'])
    const login = scenarioLogin(account, session)
    account.sessions.set(session.agentSessionId, session)
    this.tokens.set(key, login)
    this.owners.get(account.id)?.set(session.agentSessionId, { account, session, login })
  }

  /**
   * A login of an agent (`POST …/login`): a new bearer and csrf, valid for `ttlMs` from `now`. Throws ConflictError
   * when the account has MAX_LOGINS logins open even after its expired ones are dropped.
   */
  login (account: Account, agent: string, now: number, ttlMs: number): MadeLogin {
    let made = this.madeLogins.get(account.id)
    if (made === undefined) this.madeLogins.set(account.id, made = new Set())
    if (made.size >= MAX_LOGINS) {
      for (const login of [...made]) if (login.expiresAt !== undefined && login.expiresAt <= now) this.logout(login)
    }
    if (made.size >= MAX_LOGINS) {
      throw new ConflictError(`${MAX_LOGINS} logins of account ${account.id} are open, the most an account keeps; log some out, or let them expire`)
    }
    let bearer: string
    do bearer = crypto.randomBytes(32).toString('hex')
    while (this.tokens.has(digest(bearer)))
    const login: MadeLogin = { account, agent, bearer, csrf: crypto.randomBytes(32).toString('hex'), expiresAt: now + ttlMs, sessions: new Map() }
    this.tokens.set(digest(bearer), login)
    this.csrfs.set(digest(login.csrf), login)
    made.add(login)
    return login
  }

  /** Ends a login and every session it opened: its bearer is refused from now on. */
  logout (login: Login): void {
    for (const id of [...login.sessions.keys()]) this.revokeSession(login.account, id)
    this.tokens.delete(digest(login.bearer))
    if (login.csrf !== undefined) this.csrfs.delete(digest(login.csrf))
    this.madeLogins.get(login.account.id)?.delete(login)
  }

  /**
   * Opens an agent session for a login, ending after `idleTimeoutMs` without a call. Sessions that have ended are
   * dropped first when the login has MAX_SESSIONS_PER_LOGIN open, or the simulator MAX_OPENED_SESSIONS; ConflictError
   * if it still has.
   */
  openSession (login: Login, now: number, idleTimeoutMs: number): Session {
    const { account } = login
    if (login.sessions.size >= MAX_SESSIONS_PER_LOGIN) this.dropEnded(account, login.sessions.values(), now)
    if (login.sessions.size >= MAX_SESSIONS_PER_LOGIN) {
      throw new ConflictError(`this login has ${MAX_SESSIONS_PER_LOGIN} agent sessions open, the most one login keeps; end some first`)
    }
    if (this.openedCount >= MAX_OPENED_SESSIONS) {
      for (const owners of this.owners.values()) {
        const first = owners.values().next().value
        if (first !== undefined) this.dropEnded(first.account, [...owners.values()].map((owner) => owner.session), now)
      }
    }
    if (this.openedCount >= MAX_OPENED_SESSIONS) {
      throw new ConflictError(`${MAX_OPENED_SESSIONS} agent sessions are open, the most the simulator keeps; end some, or let them time out`)
    }
    let agentSessionId: string
    // Ten digits: clients of the real service take the id as the digits that end the session's URL.
    do agentSessionId = String(crypto.randomInt(1_000_000_000, 10_000_000_000))
    while (account.sessions.has(agentSessionId))
    const session: Session = { agentSessionId, agent: login.agent, bearer: login.bearer, idle: { timeoutMs: idleTimeoutMs, lastActiveAt: now } }
    account.sessions.set(agentSessionId, session)
    login.sessions.set(agentSessionId, session)
    let owners = this.owners.get(account.id)
    if (owners === undefined) this.owners.set(account.id, owners = new Map())
    owners.set(agentSessionId, { account, session, login })
    this.openedCount++
    return session
  }

  /** Ends the account's sessions among these that ended for want of calls by `now`. */
  private dropEnded (account: Account, sessions: Iterable<Session>, now: number): void {
    for (const session of [...sessions]) if (idleSince(session, now) !== undefined) this.revokeSession(account, session.agentSessionId)
  }

  /**
   * Ends an agent session. A login made in advance ends with its last session (its token is refused from now on); a
   * login made by `POST …/login` stays. False if there was no such session.
   */
  revokeSession (account: Account, agentSessionId: string): boolean {
    const session = account.sessions.get(agentSessionId)
    if (session === undefined) return false
    const owner = this.owners.get(account.id)?.get(agentSessionId)
    account.sessions.delete(agentSessionId)
    this.owners.get(account.id)?.delete(agentSessionId)
    if (session.idle !== undefined) this.openedCount--
    if (owner !== undefined) {
      owner.login.sessions.delete(agentSessionId)
      if (owner.login.csrf === undefined && owner.login.sessions.size === 0) this.tokens.delete(digest(owner.login.bearer))
    }
    return true
  }

  /** Removes an agent: its chats end, and its logins and sessions with it. False if there was none. */
  removeAgent (account: Account, loginName: string): boolean {
    if (!account.removeAgent(loginName)) return false
    for (const login of this.loginsOf(account)) {
      if (login.agent === loginName) this.logout(login)
    }
    return true
  }

  /** Takes over another World's whole state (a scenario replaced at once, so no request sees half of it). */
  replaceWith (other: World): void {
    this.description = other.description
    this.estimator = other.estimator
    this.clock = other.clock
    this.seed = other.seed
    this.accounts = other.accounts
    this.tokens = other.tokens
    this.csrfs = other.csrfs
    this.owners = other.owners
    this.madeLogins = other.madeLogins
    this.openedCount = other.openedCount
    this.revision++
  }

  /** The session named by account and session id, if `token` is its login's bearer. */
  ownSession (accountId: string, agentSessionId: string, token: string): SessionOwner | undefined {
    const owner = this.owners.get(accountId)?.get(agentSessionId)
    return owner !== undefined && constantTimeEqual(token, owner.login.bearer) ? owner : undefined
  }

  /** The login made by `POST …/login` that a csrf token belongs to, whatever its expiry. */
  loginWithCsrf (csrf: string): MadeLogin | undefined {
    const login = this.csrfs.get(digest(csrf))
    return login !== undefined && constantTimeEqual(csrf, login.csrf) ? login : undefined
  }

  /** The login a bearer token belongs to, whatever its expiry; undefined for an unknown token. */
  loginOf (token: string): Login | undefined {
    const login = this.tokens.get(digest(token))
    return login !== undefined && constantTimeEqual(token, login.bearer) ? login : undefined
  }
}

/** A session made in advance, as the login of its own it is. */
function scenarioLogin (account: Account, session: Session): Login {
  return {
    account,
    agent: session.agent,
    bearer: session.bearer,
    ...(session.expiresAt === undefined ? {} : { expiresAt: session.expiresAt }),
    sessions: new Map([[session.agentSessionId, session]])
  }
}

/** When a session opened through the API ended for want of calls, if it has by `now`. */
export function idleSince (session: Session, now: number): number | undefined {
  if (session.idle === undefined) return undefined
  const end = session.idle.lastActiveAt + session.idle.timeoutMs
  return end <= now ? end : undefined
}
