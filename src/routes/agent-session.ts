/**
 * The agent's side around availableSlots: start an agent session with a login's bearer (201 + Location), read it
 * with its links, end it; read and set the agent's availability (which changes the model, so every answer that
 * depends on it); the agent's info; the account's agents. PUT and DELETE may also come as POST with
 * X-HTTP-Method-Override, as the vendor's own clients send them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { CHAT_STATES, type Account, type Agent, type ChatState } from '../domain/model.js'
import { SESSION_IDLE_MS, type SessionOwner } from '../domain/world.js'
import type { HttpContext } from '../http/context.js'
import { apiRoute, type ApiCall, type ApiContext } from '../http/api-route.js'
import { readQuery } from '../http/api-query.js'
import { authorize, authorizeAccount } from '../http/auth.js'
import { BadParameter, MethodNotAllowed, quote, tooMany } from '../http/errors.js'
import { PATHS, resourceAt } from '../http/paths.js'
import { link, oneOrMany, origin, sendResource } from '../http/representation.js'
import { bodyReader } from '../http/request-body.js'
import { AvailabilityChange, CHAT_STATE_CODES, SessionRequest } from '../http/schemas/agent-api.js'
import { AccountPath, BEARER, resource, SESSION_ERRORS, SessionPath, v1Query } from '../http/schemas/api-requests.js'
import { failure, noContent } from '../http/schemas/contract.js'
import { unknownSkill } from './slots-answer.js'
import { checkSkill } from './slots-query.js'

type SessionParams = { accountId: string, agentSessionId: string }
type Context = ApiContext & Pick<HttpContext, 'world' | 'clock'>

const sessionBody = bodyReader(SessionRequest, { xml: true, example: '{"loginData": ""}' })
const availabilityBody = bodyReader(AvailabilityChange, { xml: true, example: '{"availability": {"chat": "Away"}}' })

const BODY_TYPES = ['application/json', 'application/xml', 'text/xml']
const BODY_ERRORS = {
  413: failure('The body is over 16 KiB (internalCode 21).'),
  415: failure('The body is neither `application/json`, `application/xml` nor `text/xml` (internalCode 21).')
}

/** The sub-resources of an agent session, by rel, as its links name them. */
const SESSION_LINKS: Array<[string, string]> = [
  ['self', ''],
  ['info', '/info'],
  ['availability', '/availability'],
  ['available-agents', '/availableAgents'],
  ['chat-available-slots', '/chat/availableSlots']
]

const sessionUrl = (request: FastifyRequest, accountId: string, agentSessionId: string): string =>
  `${origin(request)}/api/account/${accountId}/agentSession/${agentSessionId}`

/** A POST that stands for `method` (X-HTTP-Method-Override); without the header it is not allowed here (405). */
function overridden (request: FastifyRequest, reply: FastifyReply, method: 'PUT' | 'DELETE'): void {
  const header = request.headers['x-http-method-override']
  const allow = resourceAt(request.routeOptions.url ?? '')?.allow ?? ''
  if (header === undefined) {
    reply.header('allow', allow)
    throw new MethodNotAllowed(`method POST is allowed here only with X-HTTP-Method-Override: ${method}; this resource allows ${allow}`)
  }
  if (String(header).toUpperCase() !== method) {
    throw new BadParameter(`X-HTTP-Method-Override ${quote(String(header))} is not allowed here; use ${method}`)
  }
}

/** The most agents one availableAgents answer lists (in the account's order), so that no answer grows without bound. */
export const MAX_LISTED_AGENTS = 1000

const availabilityOf = (agent: Agent): { chat: ChatState, voice: 'Offline' } => ({ chat: agent.chatState, voice: 'Offline' })

export function agentSessionRoutes (app: FastifyInstance, context: Context): void {
  const { world, clock } = context
  const ownerOf = ({ request }: ApiCall<SessionParams>): SessionOwner =>
    authorize(world, clock, request.headers.authorization, request.params.accountId, request.params.agentSessionId)
  // A session's agent exists: removing an agent ends its logins and sessions (World.removeAgent).
  const agentOf = ({ account, session }: SessionOwner): Agent => account.agent(session.agent) as Agent

  apiRoute<{ accountId: string }>(app, context, {
    method: 'POST',
    path: PATHS.agentSessions,
    documented: {
      summary: 'Start an agent session',
      description: `With a login's bearer. The session ends after ${SESSION_IDLE_MS / 1000} s without a call (simulator's clock), when ` +
        'it is deleted, or when its login logs out. Order: 406 → 401 → 403 → 400 (query, body) → 429.',
      params: AccountPath,
      querystring: v1Query(),
      body: SessionRequest,
      consumes: BODY_TYPES,
      security: BEARER,
      response: {
        201: resource('Started; `Location` is the session\'s URL, as the link is.', 'AgentSessionLocation', 'AgentSessionLocationXml',
          { Location: { type: 'string', description: 'The agent session\'s URL.' } }),
        ...SESSION_ERRORS,
        400: failure('A query parameter is wrong (internalCode 20), no body or a body that is not an object (20), or not valid JSON or XML (21).'),
        ...BODY_ERRORS,
        429: failure('The login has 10 agent sessions open, the most one keeps, or the simulator 50,000 (internalCode 43); sessions that timed out are dropped first.')
      }
    },
    handle ({ request, reply, type }) {
      const login = authorizeAccount(world, clock, request.headers.authorization, request.params.accountId)
      readQuery(request.query, [])
      sessionBody.read(request.headers['content-type'], request.body)
      const session = tooMany(() => world.openSession(login, clock.now(), SESSION_IDLE_MS))
      const href = sessionUrl(request, login.account.id, session.agentSessionId)
      reply.header('location', href)
      return sendResource(reply, type, 'agentSessionLocation', { link: link(href, 'location') }, 201)
    }
  })

  const sessionResource = (call: ApiCall<SessionParams>): FastifyReply => {
    readQuery(call.request.query, [])
    const { accountId, agentSessionId } = call.request.params
    const base = sessionUrl(call.request, accountId, agentSessionId)
    return sendResource(call.reply, call.type, 'agentSession', { '@id': agentSessionId, link: SESSION_LINKS.map(([rel, path]) => link(base + path, rel)) })
  }
  const endSession = (call: ApiCall<SessionParams>): FastifyReply => {
    const { account, session } = ownerOf(call)
    readQuery(call.request.query, [])
    world.revokeSession(account, session.agentSessionId)
    return call.reply.code(204).send()
  }
  const SESSION_DOC = { params: SessionPath, querystring: v1Query(), security: BEARER }
  apiRoute<SessionParams>(app, context, {
    method: 'GET',
    path: PATHS.agentSession,
    documented: {
      summary: 'An agent session, with its links',
      description: 'Links: self, info, availability, available-agents, chat-available-slots. Order: 406 → 401 → 403 → 400.',
      ...SESSION_DOC,
      response: { 200: resource('The session.', 'AgentSessionResource', 'AgentSessionResourceXml'), ...SESSION_ERRORS }
    },
    handle: (call) => { ownerOf(call); return sessionResource(call) }
  })
  apiRoute<SessionParams>(app, context, {
    method: 'DELETE',
    path: PATHS.agentSession,
    documented: {
      summary: 'End an agent session',
      description: 'Its URLs are refused from now on (403); its login stays (a login made in advance by the scenario ends with its last session). ' +
        'Order: 406 → 401 → 403 → 400.',
      ...SESSION_DOC,
      response: { 204: noContent('Ended; no body.'), ...SESSION_ERRORS }
    },
    handle: endSession
  })
  apiRoute<SessionParams>(app, context, {
    method: 'POST',
    path: PATHS.agentSession,
    documented: {
      summary: 'End an agent session (POST with X-HTTP-Method-Override: DELETE)',
      description: 'As DELETE. Without the header: 405; with another method in it: 400 (internalCode 20). Order: 406 → 405/400 → 401 → 403 → 400.',
      ...SESSION_DOC,
      response: {
        204: noContent('Ended; no body.'),
        ...SESSION_ERRORS,
        405: failure('No X-HTTP-Method-Override header (internalCode 40); `Allow` lists the methods.')
      }
    },
    handle: (call) => { overridden(call.request, call.reply, 'DELETE'); return endSession(call) }
  })

  const setAvailability = (call: ApiCall<SessionParams>): FastifyReply => {
    const owner = ownerOf(call)
    readQuery(call.request.query, [])
    const { availability } = availabilityBody.read(call.request.headers['content-type'], call.request.body)
    const agent = owner.account.putAgent({ ...agentOf(owner), chatState: availability.chat })
    return sendResource(call.reply, call.type, 'availability', availabilityOf(agent))
  }
  const AVAILABILITY_RESPONSE = resource('The agent\'s availability (now).', 'Availability', 'AvailabilityXml')
  const CHANGE_ERRORS = {
    ...SESSION_ERRORS,
    400: failure('A query parameter is wrong (internalCode 20); no body, or `chat` not one of Online, Occupied, Away, Offline (20); not valid JSON or XML (21).'),
    ...BODY_ERRORS
  }
  apiRoute<SessionParams>(app, context, {
    method: 'GET',
    path: PATHS.availability,
    documented: {
      summary: 'The agent\'s availability',
      description: 'Its chat state; `voice` is always Offline (no voice channel here). Order: 406 → 401 → 403 → 400.',
      ...SESSION_DOC,
      response: { 200: AVAILABILITY_RESPONSE, ...SESSION_ERRORS }
    },
    handle: (call) => {
      const owner = ownerOf(call)
      readQuery(call.request.query, [])
      return sendResource(call.reply, call.type, 'availability', availabilityOf(agentOf(owner)))
    }
  })
  apiRoute<SessionParams>(app, context, {
    method: 'PUT',
    path: PATHS.availability,
    documented: {
      summary: 'Set the agent\'s availability',
      description: '`{"availability": {"chat": "Away"}}`: Online, Occupied, Away or Offline. The agent changes in the model at once, and ' +
        'every availableSlots, availability and estimatedWaitTime answer with it. Order: 406 → 401 → 403 → 400 (query, body).',
      ...SESSION_DOC,
      body: AvailabilityChange,
      consumes: BODY_TYPES,
      response: { 200: AVAILABILITY_RESPONSE, ...CHANGE_ERRORS }
    },
    handle: setAvailability
  })
  apiRoute<SessionParams>(app, context, {
    method: 'POST',
    path: PATHS.availability,
    documented: {
      summary: 'Set the agent\'s availability (POST with X-HTTP-Method-Override: PUT)',
      description: 'As PUT. Without the header: 405; with another method in it: 400 (internalCode 20). Order: 406 → 405/400 → 401 → 403 → 400 (query, body).',
      ...SESSION_DOC,
      body: AvailabilityChange,
      consumes: BODY_TYPES,
      response: { 200: AVAILABILITY_RESPONSE, ...CHANGE_ERRORS, 405: failure('No X-HTTP-Method-Override header (internalCode 40).') }
    },
    handle: (call) => { overridden(call.request, call.reply, 'PUT'); return setAvailability(call) }
  })

  apiRoute<SessionParams>(app, context, {
    method: 'GET',
    path: PATHS.info,
    documented: {
      summary: 'The agent\'s information',
      description: 'Its names, id, maxChats (`-1` unlimited; numbers are strings, as the vendor writes them), availability and skills.',
      ...SESSION_DOC,
      response: { 200: resource('The agent.', 'AgentInfo', 'AgentInfoXml'), ...SESSION_ERRORS }
    },
    handle: (call) => {
      const owner = ownerOf(call)
      readQuery(call.request.query, [])
      const agent = agentOf(owner)
      const { accountId, agentSessionId } = call.request.params
      const skills = agent.skills.map((name) => ({ id: String(owner.account.skill(name)?.id), name }))
      return sendResource(call.reply, call.type, 'info', {
        link: link(`${sessionUrl(call.request, accountId, agentSessionId)}/info`, 'self'),
        agentName: agent.nickname,
        displayName: agent.nickname,
        loginName: agent.loginName,
        id: String(agent.id),
        maxChats: String(agent.maxChats),
        availability: availabilityOf(agent),
        skillsInfo: { skillInfo: oneOrMany(skills) }
      })
    }
  })

  apiRoute<SessionParams>(app, context, {
    method: 'GET',
    path: PATHS.availableAgents,
    documented: {
      summary: 'The account\'s agents',
      description: 'Every agent (Online or not), or those with `skill` and/or in `chatState`; at most the first 1,000, in the account\'s order. Chat states are numbers, as the vendor ' +
        'writes them: 1 Offline, 2 Online, 3 Occupied, 4 Away. Order: 406 → 401 → 403 → 400 → 404.',
      ...SESSION_DOC,
      querystring: v1Query({
        skill: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]+$', description: 'Only agents with this skill (case-sensitive; unknown: 404).' })),
        chatState: Type.Optional(Type.Enum(CHAT_STATES, { description: 'Only agents in this chat state.' }))
      }),
      response: {
        200: resource('The agents.', 'AvailableAgents', 'AvailableAgentsXml'),
        ...SESSION_ERRORS,
        400: failure('A query parameter is missing, repeated or malformed, `chatState` not one of Online, Occupied, Away, Offline (internalCode 20).'),
        404: failure('Unknown skill (internalCode 30).')
      }
    },
    handle: (call) => {
      const { account } = ownerOf(call)
      const { skill, chatState } = readQuery(call.request.query, ['skill', 'chatState'])
      checkSkill(skill)
      if (chatState !== undefined && !(CHAT_STATES as readonly string[]).includes(chatState)) {
        throw new BadParameter(`chatState=${quote(chatState)} is not a chat state; use ${CHAT_STATES.join(', ')}`)
      }
      if (skill !== undefined && account.skill(skill) === undefined) throw unknownSkill(account, skill)
      const { accountId, agentSessionId } = call.request.params
      const agents = account.agentList()
        .filter((agent) => (skill === undefined || agent.skills.includes(skill)) && (chatState === undefined || agent.chatState === chatState))
        .slice(0, MAX_LISTED_AGENTS)
        .map((agent) => agentEntry(account, agent))
      const agentsElement = oneOrMany(agents)
      return sendResource(call.reply, call.type, 'availableAgents', {
        ...(agentsElement === undefined ? {} : { agents: { agent: agentsElement } }),
        link: link(`${sessionUrl(call.request, accountId, agentSessionId)}/availableAgents`, 'self')
      })
    }
  })
}

function agentEntry (account: Account, agent: Agent): Record<string, unknown> {
  return {
    '@id': String(agent.id),
    '@chatState': CHAT_STATE_CODES[agent.chatState],
    '@maxChats': String(agent.maxChats),
    '@voiceState': '1',
    chats: String(agent.activeChats),
    nickname: agent.nickname,
    skills: { skill: oneOrMany(agent.skills.map((name) => String(account.skill(name)?.id))) },
    userName: agent.loginName
  }
}
