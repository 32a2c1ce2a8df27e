/**
 * The simulated API's resources: their paths in the router's syntax, the methods each allows (for 405 and Allow),
 * and how a request to each is authenticated. Routes take their paths from here.
 */
export const SUFFIXES = ['json', 'xml'] as const

const ACCOUNT = '/api/account/:accountId'
const SESSION = `${ACCOUNT}/agentSession/:agentSessionId`

export const PATHS = {
  account: ACCOUNT,
  login: `${ACCOUNT}/login`,
  logout: `${ACCOUNT}/logout`,
  refresh: `${ACCOUNT}/refresh`,
  agentSessions: `${ACCOUNT}/agentSession`,
  agentSession: SESSION,
  availability: `${SESSION}/availability`,
  info: `${SESSION}/info`,
  availableAgents: `${SESSION}/availableAgents`,
  slots: `${SESSION}/chat/availableSlots`,
  chatAvailability: `${ACCOUNT}/chat/availability`,
  chatSlots: `${ACCOUNT}/chat/availableSlots`,
  estimatedWaitTime: `${ACCOUNT}/chat/estimatedWaitTime`
} as const

/** The one endpoint the simulator started with (the benchmark and older tests name it so). */
export const SLOTS_PATH = PATHS.slots

/** How a resource's requests prove who sends them: an agent's bearer, a website's app key, or nothing. */
export type Credential = 'bearer' | 'appKey' | 'none'

interface Resource {
  path: string
  /** As the Allow header lists them (HEAD comes with GET). */
  allow: string
  credential: Credential
}

const resource = (path: string, methods: string[], credential: Credential): Resource =>
  ({ path, allow: methods.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])).join(', '), credential })

export const RESOURCES: readonly Resource[] = [
  resource(PATHS.account, ['GET'], 'none'),
  resource(PATHS.login, ['POST'], 'none'),
  resource(PATHS.logout, ['POST'], 'none'),
  resource(PATHS.refresh, ['POST'], 'none'),
  resource(PATHS.agentSessions, ['POST'], 'bearer'),
  resource(PATHS.agentSession, ['GET', 'POST', 'DELETE'], 'bearer'),
  resource(PATHS.availability, ['GET', 'POST', 'PUT'], 'bearer'),
  resource(PATHS.info, ['GET'], 'bearer'),
  resource(PATHS.availableAgents, ['GET'], 'bearer'),
  resource(PATHS.slots, ['GET'], 'bearer'),
  resource(PATHS.chatAvailability, ['GET'], 'appKey'),
  resource(PATHS.chatSlots, ['GET'], 'appKey'),
  resource(PATHS.estimatedWaitTime, ['GET'], 'appKey')
]

/** Each resource's path as a pattern for paths no route matched: a parameter is anything but '/', a suffix optional. */
const PATTERNS = RESOURCES.map((r) => ({
  resource: r,
  pattern: new RegExp(`^${r.path.replace(/:[A-Za-z]+/g, '[^/]+')}(\\.(${SUFFIXES.join('|')}))?$`)
}))

/** The resource a decoded path names, if it is one of the API's. */
export function resourceAt (path: string): Resource | undefined {
  return PATTERNS.find((p) => p.pattern.test(path))?.resource
}

/** Where the control API lives. */
export const ADMIN_PREFIX = '/__admin'
