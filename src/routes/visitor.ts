/**
 * The visitor's side: what a chat button on a website asks, with the account's app key, from the same model and
 * estimator as the agent-side availableSlots: chat/availability, chat/availableSlots, chat/estimatedWaitTime.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Account } from '../domain/model.js'
import type { Query } from '../http/querystring.js'
import { Type } from 'typebox'
import type { HttpContext } from '../http/context.js'
import { apiRoute, type ApiContext } from '../http/api-route.js'
import { readQuery } from '../http/api-query.js'
import { BadParameter } from '../http/errors.js'
import { PATHS } from '../http/paths.js'
import { sendResource, slotsBody } from '../http/representation.js'
import { checkAppKey } from '../http/visitor-auth.js'
import { APP_KEY, AccountPath, resource, v1Query, VISITOR_ERRORS } from '../http/schemas/api-requests.js'
import { contentType } from '../http/media.js'
import { checkSkill, parseSlotsQuery } from './slots-query.js'
import { slotsFor, unknownAgent, unknownSkill } from './slots-answer.js'

const SLOTS_PARAMETERS = {
  skill: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]+$', description: 'A skill name (case-sensitive; unknown: 404).' })),
  maxWaitTime: Type.Optional(Type.String({ pattern: '^[0-9]+$', description: 'Seconds, 0 to 86400.' })),
  agent: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]+$', description: 'An agent\'s login name; alone, without skill or maxWaitTime.' }))
}
const ORDER = 'Order: 406 → 401 → 400 → 404.'

export function visitorRoutes (app: FastifyInstance, context: ApiContext & Pick<HttpContext, 'world'>): void {
  const { world } = context
  const visitorAccount = (request: FastifyRequest<{ Params: { accountId: string }, Querystring: Query }>): Account =>
    checkAppKey(world, request.headers.authorization, request.query, request.params.accountId)

  apiRoute<{ accountId: string }>(app, context, {
    method: 'GET',
    path: PATHS.chatAvailability,
    documented: {
      summary: 'Can a visitor chat now?',
      description: 'Without `maxWaitTime`: true while any eligible agent (with the skill; the agent named) is Online, whatever the queue. ' +
        `With \`maxWaitTime\`: true when availableSlots for the same question is not 0. ${ORDER}`,
      params: AccountPath,
      querystring: v1Query(SLOTS_PARAMETERS),
      security: APP_KEY,
      response: { 200: resource('Whether a chat can start.', 'VisitorAvailability', 'VisitorAvailabilityXml'), ...VISITOR_ERRORS }
    },
    handle ({ request, reply, type }) {
      const account = visitorAccount(request)
      const query = parseSlotsQuery(request.query)
      let available: boolean
      if ('agent' in query) {
        const agent = account.agent(query.agent)
        if (agent === undefined) throw unknownAgent(account, query.agent)
        available = agent.chatState === 'Online'
      } else if (query.maxWaitSec === undefined) {
        const online = account.onlineAgents(query.skill)
        // Undefined only for a skill the account lacks, so one was named.
        if (online === undefined) throw unknownSkill(account, query.skill as string)
        available = online > 0
      } else {
        available = slotsFor(world, account, query) !== 0
      }
      return sendResource(reply, type, 'availability', available)
    }
  })

  apiRoute<{ accountId: string }>(app, context, {
    method: 'GET',
    path: PATHS.chatSlots,
    documented: {
      summary: 'Retrieve Available Slots, as a website asks',
      description: `The same answer as the agent-side availableSlots for the same state and query. ${ORDER}`,
      params: AccountPath,
      querystring: v1Query(SLOTS_PARAMETERS),
      security: APP_KEY,
      response: { 200: resource('The available slots; -1 when unlimited.', 'AvailableSlots', 'AvailableSlotsXml'), ...VISITOR_ERRORS }
    },
    handle ({ request, reply, type }) {
      const account = visitorAccount(request)
      return reply.type(contentType(type)).send(slotsBody(slotsFor(world, account, parseSlotsQuery(request.query)), type))
    }
  })

  apiRoute<{ accountId: string }>(app, context, {
    method: 'GET',
    path: PATHS.estimatedWaitTime,
    documented: {
      summary: 'How long a new chat would wait',
      description: 'Seconds: 0 when a slot is free now (beyond the chats queued), -1 when no eligible agent is Online, -2 when it cannot be ' +
        'estimated (no Online agent takes any chat); else the expected wait of a new chat behind the queue, rounded (docs/estimator.md, ' +
        `"estimatedWaitTime"). Not for one agent: \`agent\` is refused. ${ORDER}`,
      params: AccountPath,
      querystring: v1Query({ skill: SLOTS_PARAMETERS.skill }),
      security: APP_KEY,
      response: { 200: resource('The expected wait.', 'EstimatedWaitTime', 'EstimatedWaitTimeXml'), ...VISITOR_ERRORS }
    },
    handle ({ request, reply, type }) {
      const account = visitorAccount(request)
      const { skill, agent } = readQuery(request.query, ['skill', 'agent'])
      if (agent !== undefined) throw new BadParameter("estimatedWaitTime cannot be asked for one agent; leave out 'agent' (ask chat/availability?agent= instead)")
      checkSkill(skill)
      const seconds = account.waitEstimate(skill)
      // Undefined only for a skill the account lacks, so one was named.
      if (seconds === undefined) throw unknownSkill(account, skill as string)
      return sendResource(reply, type, 'estimatedWaitTime', seconds)
    }
  })
}
