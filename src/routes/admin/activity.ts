/** Chats (started, routed or queued, and ended) and agent sessions (issued and revoked) of an account. */
import { randomBytes } from 'node:crypto'
import type { Chat, Session } from '../../domain/model.js'
import { AdminBadRequest, AdminNotFound } from '../../http/errors.js'
import { scenarioDef } from '../../scenarios.js'
import { accountOf, bodySchema, change, checked, type AdminApp, type Simulation } from './support.js'

interface AccountParams { accountId: string }

const chatBody = bodySchema<{ skill: string, agent?: string }>(scenarioDef('chat'))
const sessionBody = bodySchema<{ agent: string, agentSessionId?: string, bearer?: string, expiresAt?: string, expiresInSec?: number }>({
  type: 'object',
  required: ['agent'],
  additionalProperties: false,
  properties: {
    agent: scenarioDef('name'),
    agentSessionId: scenarioDef('agentSessionId'),
    bearer: { $ref: `${scenarioDef('session').$ref}/properties/bearer` },
    expiresAt: { $ref: `${scenarioDef('session').$ref}/properties/expiresAt` },
    expiresInSec: { type: 'integer', minimum: 1, maximum: 31536000 }
  }
})

/** Where a chat went, as the admin API shows it. */
const chatView = (chat: Chat): { id: string, skill: string, agent?: string, queued: boolean } =>
  ({ id: chat.id, skill: chat.skill, ...(chat.agent === undefined ? {} : { agent: chat.agent }), queued: chat.agent === undefined })

const sessionView = (session: Session): Record<string, string> => ({
  agentSessionId: session.agentSessionId,
  agent: session.agent,
  bearer: session.bearer,
  ...(session.expiresAt === undefined ? {} : { expiresAt: new Date(session.expiresAt).toISOString() })
})

export function activityRoutes (app: AdminApp, sim: Simulation): void {
  app.get<{ Params: AccountParams }>('/accounts/:accountId/chats', async (request) =>
    ({ chats: [...accountOf(sim.world, request.params.accountId).chats.values()].map(chatView) }))

  app.post<{ Params: AccountParams }>('/accounts/:accountId/chats', async (request, reply) => {
    const account = accountOf(sim.world, request.params.accountId)
    const { skill, agent } = checked(chatBody, request.body)
    const chat = change(() => account.startChat(skill, agent))
    return reply.code(201).send(chatView(chat))
  })

  app.delete<{ Params: AccountParams & { chatId: string } }>('/accounts/:accountId/chats/:chatId', async (request, reply) => {
    const { accountId, chatId } = request.params
    if (accountOf(sim.world, accountId).endChat(chatId) === undefined) {
      throw new AdminNotFound(`chat '${chatId}' does not exist in account ${accountId} (or has ended)`)
    }
    return reply.code(204).send()
  })

  app.post<{ Params: AccountParams }>('/accounts/:accountId/sessions', async (request, reply) => {
    const account = accountOf(sim.world, request.params.accountId)
    const body = checked(sessionBody, request.body)
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
    const session: Session = {
      agentSessionId: body.agentSessionId ?? `sess-${randomBytes(6).toString('hex')}`,
      agent: body.agent,
      bearer: body.bearer ?? randomBytes(32).toString('hex'),
      ...(expiresAt === undefined ? {} : { expiresAt, expiresAtText: body.expiresAt ?? new Date(expiresAt).toISOString() })
    }
    change(() => sim.world.addSession(account, session))
    return reply.code(201).send(sessionView(session))
  })

  app.delete<{ Params: AccountParams & { agentSessionId: string } }>('/accounts/:accountId/sessions/:agentSessionId', async (request, reply) => {
    const { accountId, agentSessionId } = request.params
    if (!sim.world.revokeSession(accountOf(sim.world, accountId), agentSessionId)) {
      throw new AdminNotFound(`agent session '${agentSessionId}' does not exist in account ${accountId}`)
    }
    return reply.code(204).send()
  })
}
