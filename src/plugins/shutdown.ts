/**
 * Closing without losing answers. Node's own close waits for every connection: an idle keep-alive one, or one that has
 * sent half a request, would hold the process until it is killed. Here a connection with no answer under way is
 * closed as soon as closing starts, and again whenever one becomes so; requests already received finish.
 */
import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'

/** How often, while closing, connections are looked at again (an answer just finished leaves its connection idle). */
const SWEEP_MS = 20

/**
 * The response Node is writing on a connection, if any: `_httpMessage`, the field Node itself reads before writing an
 * error to a socket (and http-terminator, stoppable… to the same end); no public API tells it.
 */
export const answerUnderWay = (socket: Socket): ServerResponse | null | undefined =>
  (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage

export function closeQuietConnections (app: FastifyInstance): void {
  const sockets = new Set<Socket>()
  app.server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  app.addHook('preClose', (done) => {
    const sweep = (): void => {
      for (const socket of sockets) if (answerUnderWay(socket) == null) socket.destroy()
    }
    sweep()
    if (sockets.size > 0) {
      const timer = setInterval(sweep, SWEEP_MS).unref()
      app.server.once('close', () => clearInterval(timer))
    }
    done()
  })
}
