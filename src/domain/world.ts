/** All accounts of a running simulator, and the index of agent-session bearer tokens across them. */
import * as crypto from 'node:crypto'
import type { EstimatorSettings } from './estimator.js'
import { ConflictError, ModelError, type Account, type Session } from './model.js'

export interface SessionOwner {
  account: Account
  session: Session
}

/**
 * A token is first compared, in constant time, with the bearer of the session the request names (the usual
 * case, and the fast one). Only when that fails is it looked up among all tokens, by its SHA-256 digest and
 * again compared in constant time, so that no lookup or comparison takes a time that depends on how much of
 * a guessed token is right.
 */
const digest: (token: string) => string = typeof crypto.hash === 'function'
  ? (token) => crypto.hash('sha256', token, 'base64') // one-shot, three times faster; Node ≥ 20.12
  : (token) => crypto.createHash('sha256').update(token).digest('base64')

export class World {
  /** The scenario's own description, kept for snapshots. */
  description = ''
  /** The scenario's wait criterion, for every skill that does not set its own (and the whole-account answer). */
  estimator: EstimatorSettings | undefined
  private accounts = new Map<string, Account>()
  private tokens = new Map<string, SessionOwner>()
  /** accountId → agentSessionId → owner: the same objects as in `tokens`, found without hashing. */
  private owners = new Map<string, Map<string, SessionOwner>>()

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

  /** Adds or replaces an account with its sessions. Throws ModelError, changing nothing, if a bearer is in use elsewhere. */
  putAccount (account: Account): void {
    const old = this.accounts.get(account.id)
    const ownKeys = new Set(old === undefined ? [] : [...old.sessions.values()].map((session) => digest(session.bearer)))
    const entries = [...account.sessions.values()].map((session) => ({ account, session }))
    const keys = entries.map((entry) => digest(entry.session.bearer))
    if (new Set(keys).size !== keys.length || keys.some((key) => this.tokens.has(key) && !ownKeys.has(key))) {
      throw new ModelError('a bearer is used by more than one agent session (here or in another account); each needs its own', ['sessions'])
    }
    if (old !== undefined) this.revokeTokens(old)
    // Set in place: a replaced account keeps its position among the others (and in snapshots).
    this.accounts.set(account.id, account)
    entries.forEach((entry, i) => this.tokens.set(keys[i] as string, entry))
    this.owners.set(account.id, new Map(entries.map((entry) => [entry.session.agentSessionId, entry])))
  }

  /** Removes an account and revokes its sessions; false if there was none. */
  removeAccount (accountId: string): boolean {
    const account = this.accounts.get(accountId)
    if (account === undefined) return false
    this.revokeTokens(account)
    this.accounts.delete(accountId)
    return true
  }

  private revokeTokens (account: Account): void {
    for (const session of account.sessions.values()) this.tokens.delete(digest(session.bearer))
    this.owners.delete(account.id)
  }

  /** Opens an agent session. Throws ModelError, changing nothing, if its agent is unknown or its bearer in use. */
  addSession (account: Account, session: Session): void {
    if (account.sessions.has(session.agentSessionId)) {
      throw new ConflictError(`agent session ${session.agentSessionId} already exists in account ${account.id}`)
    }
    if (account.agent(session.agent) === undefined) {
      throw new ModelError(`agent '${session.agent}' does not exist in account ${account.id}`, ['agent'])
    }
    const key = digest(session.bearer)
    if (this.tokens.has(key)) throw new ModelError('this bearer is already used by another agent session; each needs its own', ['bearer'])
    const owner = { account, session }
    account.sessions.set(session.agentSessionId, session)
    this.tokens.set(key, owner)
    this.owners.get(account.id)?.set(session.agentSessionId, owner)
  }

  /** Revokes an agent session: its token is refused from now on. False if there was none. */
  revokeSession (account: Account, agentSessionId: string): boolean {
    const session = account.sessions.get(agentSessionId)
    if (session === undefined) return false
    account.sessions.delete(agentSessionId)
    this.tokens.delete(digest(session.bearer))
    this.owners.get(account.id)?.delete(agentSessionId)
    return true
  }

  /** Removes an agent: its chats end and its sessions are revoked. False if there was none. */
  removeAgent (account: Account, loginName: string): boolean {
    if (!account.removeAgent(loginName)) return false
    for (const session of [...account.sessions.values()]) {
      if (session.agent === loginName) this.revokeSession(account, session.agentSessionId)
    }
    return true
  }

  /** Takes over another World's whole state (a scenario replaced at once, so no request sees half of it). */
  replaceWith (other: World): void {
    this.description = other.description
    this.estimator = other.estimator
    this.accounts = other.accounts
    this.tokens = other.tokens
    this.owners = other.owners
  }

  /** The session named by account and session id, if `token` is its bearer. */
  ownSession (accountId: string, agentSessionId: string, token: string): SessionOwner | undefined {
    const owner = this.owners.get(accountId)?.get(agentSessionId)
    return owner !== undefined && constantTimeEqual(token, owner.session.bearer) ? owner : undefined
  }

  /** The session a bearer token belongs to, whatever its expiry; undefined for an unknown token. */
  sessionOf (token: string): SessionOwner | undefined {
    const entry = this.tokens.get(digest(token))
    return entry !== undefined && constantTimeEqual(token, entry.session.bearer) ? entry : undefined
  }
}

/**
 * Equality whose time depends only on the length (public: every bearer has 64 characters), never on where
 * the strings first differ. Works on the strings as they are, so the hot path allocates no buffers.
 */
export function constantTimeEqual (given: string, expected: string): boolean {
  if (given.length !== expected.length) return false
  let difference = 0
  for (let i = 0; i < expected.length; i++) difference |= given.charCodeAt(i) ^ expected.charCodeAt(i)
  return difference === 0
}
