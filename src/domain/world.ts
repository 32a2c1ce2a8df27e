/** All accounts of a running simulator, and the index of agent-session bearer tokens across them. */
import { createHash, timingSafeEqual } from 'node:crypto'
import { ModelError, type Account, type Session } from './model.js'

export interface SessionOwner {
  account: Account
  session: Session
}

interface TokenEntry extends SessionOwner {
  bearer: Buffer
}

/**
 * Tokens are indexed by their SHA-256 digest and then compared in constant time, so neither the lookup
 * nor the comparison takes a time that depends on how much of a guessed token is right.
 */
const digest = (token: string): string => createHash('sha256').update(token).digest('base64')

export class World {
  private readonly accounts = new Map<string, Account>()
  private readonly tokens = new Map<string, TokenEntry>()

  account (id: string): Account | undefined {
    return this.accounts.get(id)
  }

  accountIds (): string[] {
    return [...this.accounts.keys()]
  }

  /** Adds an account with its sessions. Throws ModelError, changing nothing, if a bearer is already in use. */
  addAccount (account: Account): void {
    if (this.accounts.has(account.id)) throw new ModelError(`account ${account.id} already exists`)
    const entries = [...account.sessions.values()].map((session) => ({ account, session, bearer: Buffer.from(session.bearer) }))
    const keys = entries.map((entry) => digest(entry.session.bearer))
    if (keys.some((key, i) => this.tokens.has(key) || keys.indexOf(key) !== i)) {
      throw new ModelError('a bearer token is used by more than one agent session')
    }
    this.accounts.set(account.id, account)
    entries.forEach((entry, i) => this.tokens.set(keys[i] as string, entry))
  }

  /** The session a bearer token belongs to, whatever its expiry; undefined for an unknown token. */
  sessionOf (token: string): SessionOwner | undefined {
    const entry = this.tokens.get(digest(token))
    if (entry === undefined) return undefined
    const given = Buffer.from(token)
    if (given.length !== entry.bearer.length || !timingSafeEqual(given, entry.bearer)) return undefined
    return entry
  }
}
