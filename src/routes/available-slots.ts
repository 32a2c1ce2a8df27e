/** GET …/agentSession/{agentSessionId}/chat/availableSlots[.json|.xml]: HTTP only; the answer comes from the model. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Clock } from '../domain/clock.js'
import type { World } from '../domain/world.js'
import { authorize } from '../plugins/auth.js'
import { MethodNotAllowed, NotAcceptable, quote, UnknownAgent, UnknownSkill } from '../plugins/errors.js'
import { contentType, MEDIA_TYPES, negotiate, slotsBody, type Suffix } from '../plugins/media.js'
import type { Query } from '../plugins/querystring.js'
import { parseSlotsQuery } from './slots-query.js'

export const SLOTS_PATH = '/api/account/:accountId/agentSession/:agentSessionId/chat/availableSlots'

interface Params {
  accountId: string
  agentSessionId: string
}

const ALLOWED = 'GET, HEAD'
const OTHER_METHODS = ['DELETE', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const

export function availableSlotsRoutes (app: FastifyInstance, world: World, clock: Clock): void {
  const answer = (suffix: Suffix | undefined) => (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const type = negotiate(request.headers.accept, suffix)
    if (type === undefined) {
      throw new NotAcceptable(`none of the media types in Accept ${quote(request.headers.accept as string)} can be served; ` +
        `this API answers in ${MEDIA_TYPES.join(', ')} (or add .json or .xml to the path)`)
    }
    const { accountId, agentSessionId } = request.params as Params
    const { account } = authorize(world, clock, request.headers.authorization, accountId, agentSessionId)
    const query = parseSlotsQuery(request.query as Query)
    let slots: number | undefined
    if ('agent' in query) {
      slots = account.agentSlots(query.agent)
      if (slots === undefined) throw new UnknownAgent(`agent ${quote(query.agent)} does not exist in account ${accountId}; login names are case-sensitive`)
    } else if (query.skill !== undefined) {
      slots = account.skillSlots(query.skill, query.maxWaitSec)
      if (slots === undefined) throw new UnknownSkill(`skill ${quote(query.skill)} does not exist in account ${accountId}; skill names are case-sensitive`)
    } else {
      slots = account.accountSlots(query.maxWaitSec)
    }
    return reply.type(contentType(type)).send(slotsBody(slots, type))
  }

  const refuse = async (request: FastifyRequest, reply: FastifyReply): Promise<never> => {
    reply.header('allow', ALLOWED)
    throw new MethodNotAllowed(`method ${request.method} is not allowed here; this resource allows ${ALLOWED}`)
  }

  for (const suffix of [undefined, 'json', 'xml'] as const) {
    const url = suffix === undefined ? SLOTS_PATH : `${SLOTS_PATH}.${suffix}`
    app.get(url, answer(suffix))
    // Refused before the body is read, so a wrong method is 405 whatever the body holds.
    app.route({ method: [...OTHER_METHODS], url, onRequest: refuse, handler: refuse })
  }
}
