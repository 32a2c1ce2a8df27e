/** Chats started through the admin API, and agent sessions opened through it: what the routes take and answer. */
import { Type, type Static } from 'typebox'
import { AgentSessionId, ChatId, described, Name, Session } from '../../domain/scenario-schema.js'
import { AccountParams } from './accounts.js'

export const AdminChat = Type.Object({
  id: ChatId,
  skill: Name,
  agent: Type.Optional(Name),
  queued: Type.Boolean()
}, {
  $id: 'AdminChat',
  additionalProperties: false,
  description: 'A chat started through the admin API: routed to `agent`, or `queued` for its skill.',
  // queued exactly when there is no agent.
  oneOf: [
    { required: ['agent'], properties: { queued: { const: false } } },
    { not: { required: ['agent'] }, properties: { queued: { const: true } } }
  ],
  examples: [{ id: 'chat-1', skill: 'Sales', agent: 'John', queued: false }]
})

export const ChatList = Type.Object({
  chats: Type.Array(AdminChat, { description: 'Oldest first.' })
}, { $id: 'ChatList', additionalProperties: false })

const MAX_EXPIRES_IN_SEC = 365 * 86400

/** Both `expiresAt` and `expiresInSec` are refused by the route, which names the conflict better than a `not` could. */
export const SessionRequest = Type.Object({
  agent: Name,
  agentSessionId: Type.Optional(described(AgentSessionId, 'Default: `sess-` and 12 random hex digits.')),
  bearer: Type.Optional(described(Session.properties.bearer, 'Default: 64 random hex digits. Must not be used by another session, in any account.')),
  expiresAt: Session.properties.expiresAt,
  expiresInSec: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_EXPIRES_IN_SEC, description: 'Seconds from the simulated now.' }))
}, {
  $id: 'SessionRequest',
  additionalProperties: false,
  description: 'An agent session to open; `expiresAt` and `expiresInSec` cannot both be given.',
  examples: [{ agent: 'John', expiresInSec: 3600 }]
})

export const AdminSession = Type.Object({
  agentSessionId: AgentSessionId,
  agent: Name,
  bearer: Session.properties.bearer,
  expiresAt: Session.properties.expiresAt
}, { $id: 'AdminSession', additionalProperties: false, description: 'An agent session; `expiresAt` (in UTC) when it expires.' })

export const ChatParams = Type.Object({
  ...AccountParams.properties,
  chatId: Type.String({ description: 'A chat\'s id, as `POST /__admin/accounts/{accountId}/chats` gave it.' })
})
export const SessionParams = Type.Object({ ...AccountParams.properties, agentSessionId: Type.String({ description: 'An agent session of the account.' }) })

export type ChatView = Static<typeof AdminChat>
export type SessionView = Static<typeof AdminSession>
