/** GET /api/account/{accountId}: the account's base resource, where a client discovers the API's other resources. */
import type { FastifyInstance } from 'fastify'
import type { HttpContext } from '../http/context.js'
import { apiRoute, type ApiContext } from '../http/api-route.js'
import { readQuery } from '../http/api-query.js'
import { UnknownAccount } from '../http/errors.js'
import { PATHS } from '../http/paths.js'
import { link, origin, sendResource } from '../http/representation.js'
import { failure } from '../http/schemas/contract.js'
import { AccountPath, resource, v1Query } from '../http/schemas/api-requests.js'

/** The rel names of the account's links, and where each points below the account. */
const LINKS: Array<[string, string]> = [
  ['self', ''],
  ['login', '/login'],
  ['agentSession', '/agentSession'],
  ['chat-availability', '/chat/availability'],
  ['chat-available-slots', '/chat/availableSlots'],
  ['chat-estimatedWaitTime', '/chat/estimatedWaitTime']
]

export function accountResourceRoutes (app: FastifyInstance, context: ApiContext & Pick<HttpContext, 'world'>): void {
  apiRoute<{ accountId: string }>(app, context, {
    method: 'GET',
    path: PATHS.account,
    documented: {
      summary: 'The account\'s base resource',
      description: 'Links to the account\'s resources: `login` and `agentSession` for an agent\'s client, `chat-availability`, ' +
        '`chat-available-slots` and `chat-estimatedWaitTime` for a website\'s. No credential needed. Order: 406 → 400 → 404.',
      params: AccountPath,
      querystring: v1Query(),
      security: [],
      response: {
        200: resource('The account\'s links.', 'AccountResource', 'AccountResourceXml'),
        400: failure('`v` missing or not 1, a parameter repeated (internalCode 20); bad percent-encoding (21).'),
        404: failure('No such account (internalCode 34).')
      }
    },
    handle ({ request, reply, type }) {
      readQuery(request.query, [])
      const { accountId } = request.params
      if (context.world.account(accountId) === undefined) {
        throw new UnknownAccount(`account ${accountId} does not exist; the accounts are the scenario's (GET /__admin/scenario lists them)`)
      }
      const base = `${origin(request)}/api/account/${accountId}`
      return sendResource(reply, type, 'account', { '@id': accountId, link: LINKS.map(([rel, path]) => link(base + path, rel)) })
    }
  })
}
