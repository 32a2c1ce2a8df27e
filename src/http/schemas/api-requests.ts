/**
 * What the OpenAPI document says of the API routes' requests and answers. These routes check their own requests (in
 * the documented order, with the vendor's words), so these schemas document them; the bodies they read are checked
 * against the same schemas (http/request-body.ts).
 */
import { Type, type TSchema } from 'typebox'
import { AccountId, AgentSessionId } from '../../domain/scenario-schema.js'
import { failure } from './contract.js'

export const AccountPath = Type.Object({ accountId: AccountId })
export const SessionPath = Type.Object({ accountId: AccountId, agentSessionId: AgentSessionId })

const NC = Type.Optional(Type.Enum(['true', 'false'], { description: 'Accepted (LivePerson\'s own clients send it), never required.' }))
const v1 = Type.Literal('1', { description: 'The API version: required, and 1.' })

/** A query with `v=1`, NC, and the route's own parameters. */
export const v1Query = (own: Record<string, TSchema> = {}) => Type.Object({ v: v1, NC, ...own })

export const LOGIN_VERSIONS = ['1.3', '1.2'] as const
export const loginQuery = (required: boolean) => Type.Object({
  v: required
    ? Type.Enum(LOGIN_VERSIONS, { description: 'The Login Service\'s version: required, 1.3 (1.2, which older clients send, is taken too).' })
    : Type.Optional(Type.Enum(LOGIN_VERSIONS, { description: 'May be left out, as the vendor\'s examples do; if given, 1.3 or 1.2.' }))
})

const MEDIA = ['application/json', 'application/xml', 'text/xml'] as const

/** A resource in the negotiated media type: JSON by its schema, XML by its root element's. */
export const resource = (description: string, json: string, xml: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers === undefined ? {} : { headers }),
  content: Object.fromEntries(MEDIA.map((type) => [type, { schema: { $ref: type === 'application/json' ? json : xml } }]))
})

export const unauthorized = (description: string, scheme = 'Bearer realm="agent session"') => ({
  ...failure(description),
  headers: { 'WWW-Authenticate': { type: 'string', description: `\`${scheme}\`, with \`, error="invalid_token"\` when a credential was sent.` } }
})

export const SESSION_ERRORS = {
  400: failure('A query parameter is missing, repeated, malformed or out of range (internalCode 20); bad percent-encoding (21).'),
  401: unauthorized('The bearer is missing, malformed, unknown or expired, or the agent session ended after 400 s without a call (internalCode 10).'),
  403: failure('The bearer is a login\'s that did not open this agent session, or of another account (internalCode 11).')
}

export const VISITOR_ERRORS = {
  400: failure('A query parameter is missing, repeated, malformed or out of range, or `agent` is combined with another (internalCode 20); bad percent-encoding (21).'),
  401: unauthorized('No app key, a malformed one, `appKey` given twice, or not one of the account\'s (internalCode 13).', 'LivePerson realm="visitor"'),
  404: failure('Unknown skill (internalCode 30) or agent (31).')
}

export const BEARER: Array<Record<string, string[]>> = [{ bearer: [] }]
export const APP_KEY: Array<Record<string, string[]>> = [{ appKey: [] }, { appKeyQuery: [] }]
