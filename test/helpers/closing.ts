/** A request that arrives while the simulator is closing: what such a request is answered. */
import { once } from 'node:events'
import { connect, type AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'

/**
 * Sends a request's head but its last line, so the connection is busy and closing waits for it; starts closing;
 * then sends the rest. Returns the raw response, once the app has closed.
 */
export async function requestWhileClosing (app: FastifyInstance, head: string): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const socket = connect((app.server.address() as AddressInfo).port, '127.0.0.1')
  await once(socket, 'connect')
  socket.write(head)
  await new Promise((resolve) => setTimeout(resolve, 50))
  const closed = app.close()
  await new Promise((resolve) => setTimeout(resolve, 50))
  socket.write('\r\n')
  let response = ''
  for await (const chunk of socket) response += String(chunk)
  await closed
  return response
}
