/**
 * The Login Service: POST …/login with an agent's name and password gives a bearer (valid 8 hours on the simulator's
 * clock) and a csrf token; POST …/logout and …/refresh take the csrf token. Credentials come from the scenario
 * (agents' `password`); they are compared in constant time and never logged.
 */
import type { FastifyInstance } from 'fastify'
import { randomInt } from 'node:crypto'
import { sameSecret } from '../domain/secrets.js'
import { LOGIN_TTL_MS } from '../domain/world.js'
import type { HttpContext } from '../http/context.js'
import { apiRoute, type ApiContext } from '../http/api-route.js'
import { readQuery } from '../http/api-query.js'
import { NotAuthenticated, tooMany } from '../http/errors.js'
import { PATHS } from '../http/paths.js'
import { sendResource } from '../http/representation.js'
import { bodyReader } from '../http/request-body.js'
import { Credentials, Csrf, type LoginView } from '../http/schemas/agent-api.js'
import { AccountPath, LOGIN_VERSIONS, loginQuery, resource, unauthorized } from '../http/schemas/api-requests.js'
import { failure, noContent } from '../http/schemas/contract.js'

const credentials = bodyReader(Credentials, { xml: false, example: '{"username": "John", "password": "…"}' })
const csrfBody = bodyReader(Csrf, { xml: false, example: '{"csrf": "<the csrf of the login>"}' })

const WRONG = 'the username or password is wrong, or the account has no such agent (invalid site or agent); agents log in with ' +
  'the password the scenario gives them (README: "As your client does it")'
const CSRF_INVALID = 'CSRF token invalid! The CSRF token on request does not match the CSRF token on the session'

const BODY_ERRORS = (fields: string) => ({
  400: failure(`\`v\` wrong or a parameter repeated, or the body is not ${fields} (internalCode 20); not valid JSON (21).`),
  413: failure('The body is over 16 KiB (internalCode 21).'),
  415: failure('The body is not `application/json` (internalCode 21).')
})

export function loginRoutes (app: FastifyInstance, context: ApiContext & Pick<HttpContext, 'world' | 'clock'>): void {
  const { world, clock } = context

  apiRoute<{ accountId: string }>(app, context, {
    method: 'POST',
    path: PATHS.login,
    documented: {
      summary: 'Log in as an agent',
      description: 'With an agent\'s login name and its `password` in the scenario. The `bearer` opens agent sessions (POST …/agentSession) for ' +
        `${LOGIN_TTL_MS / 3_600_000} hours on the simulator's clock; the \`csrf\` logs out and refreshes. Order: 406 → 400 (query, body) → 401 → 429.`,
      params: AccountPath,
      querystring: loginQuery(true),
      body: Credentials,
      security: [],
      response: {
        200: resource('Logged in; JSON without a root, as the vendor\'s.', 'LoginContent', 'LoginXml'),
        ...BODY_ERRORS('`{"username", "password"}`'),
        401: unauthorized('Wrong username or password, or no such account (internalCode 10).'),
        429: failure('1,000 logins of the account are open, the most an account keeps (internalCode 43); log some out (expired ones are dropped first).')
      }
    },
    handle ({ request, reply, type }) {
      readQuery(request.query, [], { versions: LOGIN_VERSIONS, required: true })
      const { username, password } = credentials.read(request.headers['content-type'], request.body)
      const account = world.account(request.params.accountId)
      const agent = account?.agent(username)
      // Compared even when there is no such agent, so that the time does not tell which part was wrong.
      const right = sameSecret(password, agent?.password ?? '\0') && agent?.password !== undefined
      if (account === undefined || agent === undefined || !right) throw new NotAuthenticated(WRONG)
      const now = clock.now()
      const login = tooMany(() => world.login(account, agent.loginName, now, LOGIN_TTL_MS))
      const host = request.host
      const answer: LoginView = {
        csrf: login.csrf,
        wsuk: String(randomInt(1e9, 1e10)),
        config: {
          loginName: agent.loginName,
          userId: String(agent.id),
          userPrivileges: [],
          serverCurrentTime: now,
          timeDiff: 0,
          serverTimeZoneName: 'UTC',
          serverTimeGMTDiff: 0,
          isLPA: false,
          isAdmin: false,
          accountTimeZoneId: 'UTC'
        },
        csdsCollectionResponse: {
          baseURIs: ['agentVep', 'conversationVep'].map((service) => ({ account: account.id, baseURI: host, service }))
        },
        accountData: { agentGroupsData: { items: [{ id: -1, deleted: false, name: 'Main Group' }], revision: 1 } },
        sessionTTl: String(LOGIN_TTL_MS),
        bearer: login.bearer
      }
      return sendResource(reply, type, 'login', answer, 200, false)
    }
  })

  for (const [path, what] of [[PATHS.logout, 'logout'], [PATHS.refresh, 'refresh']] as const) {
    apiRoute<{ accountId: string }>(app, context, {
      method: 'POST',
      path,
      documented: {
        summary: what === 'logout' ? 'Log out' : 'Keep a login alive',
        description: what === 'logout'
          ? 'Ends the login of the csrf token, and every agent session it opened: its bearer is refused from now on (401).'
          : `The login of the csrf token is valid for another ${LOGIN_TTL_MS / 3_600_000} hours from now (simulator's clock). ` +
            'The vendor advises calling it every three to five minutes.',
        params: AccountPath,
        querystring: loginQuery(false),
        body: Csrf,
        security: [],
        response: {
          200: noContent(what === 'logout' ? 'Logged out; no body.' : 'Refreshed; no body.'),
          ...BODY_ERRORS('`{"csrf"}`'),
          401: unauthorized(`The csrf token is not one of a login of this account${what === 'refresh' ? ', or the login has expired' : ''} (internalCode 10).`)
        }
      },
      handle ({ request, reply }) {
        readQuery(request.query, [], { versions: LOGIN_VERSIONS, required: false })
        const { csrf } = csrfBody.read(request.headers['content-type'], request.body)
        const login = world.loginWithCsrf(csrf)
        if (login === undefined || login.account.id !== request.params.accountId) throw new NotAuthenticated(CSRF_INVALID)
        const now = clock.now()
        if (what === 'logout') world.logout(login)
        else if (login.expiresAt <= now) {
          throw new NotAuthenticated(`the login expired at ${new Date(login.expiresAt).toISOString()}; log in again`)
        } else login.expiresAt = now + LOGIN_TTL_MS
        return reply.code(200).send()
      }
    })
  }
}
