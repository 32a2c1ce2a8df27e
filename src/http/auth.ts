/** Bearer-token checks for the agent-session API: who is calling (401), and may they call here (403). */
import type { Clock } from '../domain/clock.js'
import type { SessionOwner, World } from '../domain/world.js'
import { Forbidden, NotAuthenticated } from './errors.js'

// The scheme name is case-insensitive (RFC 9110); the token is taken as sent.
const BEARER = /^bearer +(\S+) *$/i

const HOW = "send 'Authorization: Bearer <token>' with the bearer of an agent session"

/**
 * The live session a request's token belongs to; throws 401. The session the request names is tried first
 * (the usual case). Tokens are never echoed or logged.
 */
export function authenticate (world: World, clock: Clock, header: string | undefined,
  accountId?: string, agentSessionId?: string): SessionOwner {
  if (header === undefined || header === '') throw new NotAuthenticated(`missing Authorization header; ${HOW}`)
  const match = BEARER.exec(header)
  if (match === null) throw new NotAuthenticated(`malformed Authorization header; ${HOW}`)
  const token = match[1] as string
  const owner = (accountId !== undefined && agentSessionId !== undefined && world.ownSession(accountId, agentSessionId, token)) ||
    world.sessionOf(token)
  if (owner === undefined) throw new NotAuthenticated(`the bearer token is not recognised; ${HOW}`)
  const { expiresAt } = owner.session
  if (expiresAt !== undefined && expiresAt <= clock.now()) {
    throw new NotAuthenticated(`the bearer token expired at ${new Date(expiresAt).toISOString()}; start a new agent session`)
  }
  return owner
}

/** As authenticate, and the token must belong to this account and agent session; else 403. */
export function authorize (world: World, clock: Clock, header: string | undefined,
  accountId: string, agentSessionId: string): SessionOwner {
  const owner = authenticate(world, clock, header, accountId, agentSessionId)
  if (owner.account.id !== accountId || owner.session.agentSessionId !== agentSessionId) {
    throw new Forbidden(`the bearer token belongs to agent session ${owner.session.agentSessionId} of account ` +
      `${owner.account.id}; it may only be used on that account and agent session`)
  }
  return owner
}
