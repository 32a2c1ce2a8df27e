/** Bearer-token checks for the agent API: who is calling (401), and may they call here (403). */
import type { Clock } from '../domain/clock.js'
import { idleSince, type Login, type SessionOwner, type World } from '../domain/world.js'
import { Forbidden, NotAuthenticated } from './errors.js'

// The scheme name is case-insensitive (RFC 9110); the token is taken as sent.
const BEARER = /^bearer +(\S+) *$/i

const HOW = "send 'Authorization: Bearer <token>' with the bearer of a login (POST /api/account/{accountId}/login)"

const iso = (time: number): string => new Date(time).toISOString()

/** The token of a Bearer Authorization header; throws 401. Tokens are never echoed or logged. */
function tokenOf (header: string | undefined): string {
  if (header === undefined || header === '') throw new NotAuthenticated(`missing Authorization header; ${HOW}`)
  const match = BEARER.exec(header)
  if (match === null) throw new NotAuthenticated(`malformed Authorization header; ${HOW}`)
  return match[1] as string
}

/** The login, if it has not expired; throws 401. */
function live (login: Login | undefined, clock: Clock): Login {
  if (login === undefined) throw new NotAuthenticated(`the bearer token is not recognised; ${HOW}`)
  const { expiresAt } = login
  if (expiresAt !== undefined && expiresAt <= clock.now()) {
    throw new NotAuthenticated(`the bearer token expired at ${iso(expiresAt)}; ${login.csrf === undefined ? 'start a new agent session' : 'log in again'}`)
  }
  return login
}

/** The live login a request's token belongs to; throws 401. */
export function authenticate (world: World, clock: Clock, header: string | undefined): Login {
  return live(world.loginOf(tokenOf(header)), clock)
}

/** As authenticate, and the login must be of this account; else 403. */
export function authorizeAccount (world: World, clock: Clock, header: string | undefined, accountId: string): Login {
  const login = authenticate(world, clock, header)
  if (login.account.id !== accountId) {
    throw new Forbidden(`the bearer token belongs to a login of account ${login.account.id}; it may only be used on that account`)
  }
  return login
}

/**
 * As authenticate, and the token must be the bearer of the login that opened this agent session (else 403), and the
 * session must not have ended for want of calls (401). A call keeps the session alive. The session the request names
 * is tried first (the usual case, and the fast one: no digest, no allocation).
 */
export function authorize (world: World, clock: Clock, header: string | undefined,
  accountId: string, agentSessionId: string): SessionOwner {
  const token = tokenOf(header)
  const owner = world.ownSession(accountId, agentSessionId, token)
  if (owner === undefined) throw forbidden(live(world.loginOf(token), clock))
  live(owner.login, clock)
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
