/** The one endpoint's path, in the router's syntax and as a pattern for paths no route matched. */
export const SLOTS_PATH = '/api/account/:accountId/agentSession/:agentSessionId/chat/availableSlots'
export const SUFFIXES = ['json', 'xml'] as const
export const ALLOWED_METHODS = 'GET, HEAD'

/** SLOTS_PATH with or without a suffix; a parameter is anything but '/'. */
export const ENDPOINT = new RegExp(`^${SLOTS_PATH.replace(/:[A-Za-z]+/g, '[^/]+')}(\\.(${SUFFIXES.join('|')}))?$`)

/** Where the control API lives. */
export const ADMIN_PREFIX = '/__admin'
