/** Chats (started, routed or queued, and ended) and agent sessions (issued and revoked) of an account. */
import { randomBytes } from 'node:crypto'
import { MAX_QUEUED, type Chat as DomainChat, type Session as DomainSession } from '../../domain/model.js'
import { Chat } from '../../domain/scenario-schema.js'
import { AdminBadRequest, AdminNotFound } from '../../http/errors.js'
import {
  AdminChat, AdminSession, ChatList, ChatParams, SessionParams, SessionRequest, type ChatView, type SessionView
} from '../../http/schemas/activity.js'
import { AccountParams } from '../../http/schemas/accounts.js'
import { adminOperation, failure, json, noContent } from '../../http/schemas/contract.js'
import { accountFirst, accountOf, change, type AdminApp, type Simulation } from './support.js'

const NO_ACCOUNT = 'No such account (internalCode 33).'

const listChats = adminOperation({
  operationId: 'listChats',
  summary: 'The chats started through this API that have not ended',
  description: 'Oldest first. Chats of the scenario\'s own `activeChats` and `queued` counts are not listed.',
  params: AccountParams,
  response: {
    200: json('The chats.', ChatList),
    404: failure(NO_ACCOUNT)
  }
}, 'GET')

const startChat = adminOperation({
  operationId: 'startChat',
  summary: 'Start a chat of a skill',
  description: 'Without `agent`, the chat is routed to the Online agent with the skill that has the most free slots (an ' +
    'unlimited one first; the first added of those tied), counting in its `activeChats`; when no Online agent with ' +
    'the skill has a free slot, it is queued, counting in the skill\'s `queued`. With `agent`, it goes to that agent ' +
    '(who must have the skill), or is refused with 409 if the agent has no free slot (not Online, or full).',
  params: AccountParams,
  body: Chat,
  response: {
    201: json('Started; where it went.', AdminChat),
    400: failure('Unknown skill or agent, an agent without the skill, or an invalid body (internalCode 22); or the body is not valid JSON (21).'),
    404: failure(NO_ACCOUNT),
    409: failure('The agent named has no free slot (internalCode 42); leave out `agent` to queue the chat instead. Or the chat ' +
      `would be queued and the skill has ${MAX_QUEUED.toLocaleString('en')} queued already, the most it holds (42).`)
  }
})

const endChat = adminOperation({
  operationId: 'endChat',
  summary: 'End a chat started through this API',
  description: 'Its agent\'s slot frees up (`activeChats` − 1), or, if it was queued, its skill\'s `queued` shortens. No body.',
  params: ChatParams,
  response: {
    204: noContent('Ended.'),
    404: failure('No such account, or no such chat (never started, or already ended) (internalCode 33).')
  }
})

const openSession = adminOperation({
  operationId: 'openSession',
  summary: 'Open an agent session',
  description: 'For an agent of the account. `agentSessionId` defaults to `sess-` and 12 random hex digits, `bearer` to 64 ' +
    'random hex digits; the session expires at `expiresAt`, or `expiresInSec` after the simulated now, or never. ' +
    'Its bearer opens the availableSlots routes of this account and session at once.',
  params: AccountParams,
  body: SessionRequest,
  response: {
    201: json('Opened; the session, with its bearer.', AdminSession),
    400: failure('Unknown agent, a bearer already in use, both `expiresAt` and `expiresInSec`, or an invalid body (internalCode 22); ' +
      'or the body is not valid JSON (21).'),
    404: failure(NO_ACCOUNT),
    409: failure('The account already has an agent session of that id (internalCode 42).')
  }
})

const revokeSession = adminOperation({
  operationId: 'revokeSession',
  summary: 'Revoke an agent session',
  description: 'Its bearer is refused (401) from now on. No body.',
  params: SessionParams,
  response: {
    204: noContent('Revoked.'),
    404: failure('No such account or agent session (internalCode 33).')
  }
})

/** Where a chat went, as the admin API shows it. */
const chatView = (chat: DomainChat): ChatView =>
  ({ id: chat.id, skill: chat.skill, ...(chat.agent === undefined ? {} : { agent: chat.agent }), queued: chat.agent === undefined })

const sessionView = (session: DomainSession): SessionView => ({
  agentSessionId: session.agentSessionId,
  agent: session.agent,
  bearer: session.bearer,
  ...(session.expiresAt === undefined ? {} : { expiresAt: new Date(session.expiresAt).toISOString() })
})

export function activityRoutes (app: AdminApp, sim: Simulation): void {
  app.get('/accounts/:accountId/chats', { schema: listChats }, async (request) =>
    ({ chats: [...accountOf(sim.world, request.params.accountId).chats.values()].map(chatView) }))

  app.post('/accounts/:accountId/chats', { schema: startChat, preValidation: accountFirst(sim) }, async (request, reply) => {
    const account = accountOf(sim.world, request.params.accountId)
    const { skill, agent } = request.body
    const chat = change(() => account.startChat(skill, agent))
    return reply.code(201).send(chatView(chat))
  })

  app.delete('/accounts/:accountId/chats/:chatId', { schema: endChat }, async (request, reply) => {
    const { accountId, chatId } = request.params
    if (accountOf(sim.world, accountId).endChat(chatId) === undefined) {
      throw new AdminNotFound(`chat '${chatId}' does not exist in account ${accountId} (or has ended)`)
    }
    return reply.code(204).send()
  })

  app.post('/accounts/:accountId/sessions', { schema: openSession, preValidation: accountFirst(sim) }, async (request, reply) => {
    const account = accountOf(sim.world, request.params.accountId)
    const body = request.body
    if (body.expiresAt !== undefined && body.expiresInSec !== undefined) {
      throw new AdminBadRequest('invalid request: $.expiresInSec: give expiresAt or expiresInSec, not both')
    }
    const expiresAt = body.expiresInSec !== undefined
      ? sim.clock.now() + body.expiresInSec * 1000
      : body.expiresAt === undefined ? undefined : Date.parse(body.expiresAt)
    if (expiresAt !== undefined && Number.isNaN(expiresAt)) {
      // The date-time format lets through what Date cannot hold, such as a leap second.
      throw new AdminBadRequest('invalid request: $.expiresAt: must be an ISO-8601 date-time such as 2030-01-01T00:00:00Z')
    }
    const session: DomainSession = {
      agentSessionId: body.agentSessionId ?? `sess-${randomBytes(6).toString('hex')}`,
      agent: body.agent,
      bearer: body.bearer ?? randomBytes(32).toString('hex'),
      ...(expiresAt === undefined ? {} : { expiresAt, expiresAtText: body.expiresAt ?? new Date(expiresAt).toISOString() })
    }
    change(() => sim.world.addSession(account, session))
    return reply.code(201).send(sessionView(session))
  })

  app.delete('/accounts/:accountId/sessions/:agentSessionId', { schema: revokeSession }, async (request, reply) => {
    const { accountId, agentSessionId } = request.params
    if (!sim.world.revokeSession(accountOf(sim.world, accountId), agentSessionId)) {
      throw new AdminNotFound(`agent session '${agentSessionId}' does not exist in account ${accountId}`)
    }
    return reply.code(204).send()
  })
}
