/** Bearer-token checks for the agent API: who is calling (401), and may they call here (403). */
import type { Clock } from '../domain/clock.js'
import { idleSince, type Login, type SessionOwner, type World } from '../domain/world.js'
import { Forbidden, NotAuthenticated } from './errors.js'

// The scheme name is case-insensitive (RFC 9110); the token is taken as sent.
const BEARER = /^bearer +(\S+) *$/i

const HOW = "send 'Authorization: Bearer <token>' with the bearer of a login (POST /api/account/{accountId}/login)"

const iso = (time: number): string => new Date(time).toISOString()

/**
 * The live login a request's token belongs to; throws 401. When the request names a session, the session's own
 * bearer is tried first (the usual case, and the fast one), and its owner is returned too. Tokens are never echoed or logged.
 */
export function authenticate (world: World, clock: Clock, header: string | undefined,
  accountId?: string, agentSessionId?: string): { login: Login, owner?: SessionOwner } {
  if (header === undefined || header === '') throw new NotAuthenticated(`missing Authorization header; ${HOW}`)
  const match = BEARER.exec(header)
  if (match === null) throw new NotAuthenticated(`malformed Authorization header; ${HOW}`)
  const token = match[1] as string
  const owner = accountId !== undefined && agentSessionId !== undefined ? world.ownSession(accountId, agentSessionId, token) : undefined
  const login = owner?.login ?? world.loginOf(token)
  if (login === undefined) throw new NotAuthenticated(`the bearer token is not recognised; ${HOW}`)
  const { expiresAt } = login
  if (expiresAt !== undefined && expiresAt <= clock.now()) {
    throw new NotAuthenticated(`the bearer token expired at ${iso(expiresAt)}; ${login.csrf === undefined ? 'start a new agent session' : 'log in again'}`)
  }
  return owner === undefined ? { login } : { login, owner }
}

/** As authenticate, and the login must be of this account; else 403. */
export function authorizeAccount (world: World, clock: Clock, header: string | undefined, accountId: string): Login {
  const { login } = authenticate(world, clock, header)
  if (login.account.id !== accountId) {
    throw new Forbidden(`the bearer token belongs to a login of account ${login.account.id}; it may only be used on that account`)
  }
  return login
}

/**
 * As authenticate, and the token must be the bearer of the login that opened this agent session (else 403), and the
 * session must not have ended for want of calls (401). A call keeps the session alive.
 */
export function authorize (world: World, clock: Clock, header: string | undefined,
  accountId: string, agentSessionId: string): SessionOwner {
  const { login, owner } = authenticate(world, clock, header, accountId, agentSessionId)
  if (owner === undefined) throw forbidden(login)
  const { idle } = owner.session
  if (idle !== undefined) {
    const now = clock.now()
    const ended = idleSince(owner.session, now)
    if (ended !== undefined) {
      throw new NotAuthenticated(`agent session ${agentSessionId} ended at ${iso(ended)}, after ${idle.timeoutMs / 1000} s without a call; ` +
        'start a new one with POST /api/account/{accountId}/agentSession')
    }
    idle.lastActiveAt = now
  }
  return owner
}

function forbidden (login: Login): InstanceType<typeof Forbidden> {
  const sessions = [...login.sessions.keys()]
  // A login made in advance has its one session: said as it always was.
  if (login.csrf === undefined && sessions.length === 1) {
    return new Forbidden(`the bearer token belongs to agent session ${sessions[0] as string} of account ${login.account.id}; ` +
      'it may only be used on that account and agent session')
  }
  const opened = sessions.length === 0 ? 'none is open now' : `those open now: ${sessions.slice(0, 5).join(', ')}${sessions.length > 5 ? ', …' : ''}`
  return new Forbidden(`the bearer token belongs to a login of agent ${login.agent} in account ${login.account.id}; it may only be used ` +
    `on that account and on the agent sessions the login opened (${opened})`)
}
