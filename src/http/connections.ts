/** What Node does not tell of a connection through a public API. */
import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/**
 * The response Node is writing on a connection, if any: `_httpMessage`, the field Node itself reads before writing an
 * error to a socket (and http-terminator, stoppable… to the same end); no public API tells it.
 */
export const answerUnderWay = (socket: Socket): ServerResponse | null | undefined =>
  (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage
