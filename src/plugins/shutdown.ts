/**
 * Closing without losing answers. Node's own close waits for every connection: an idle keep-alive one, or one that has
 * sent half a request, would hold the process until it is killed. Here a connection with no answer under way is
 * closed as soon as closing starts, and again whenever one becomes so; requests already received finish.
 */
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { answerUnderWay } from '../http/connections.js'

/** How often, while closing, connections are looked at again (an answer just finished leaves its connection idle). */
const SWEEP_MS = 20

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
