/** Raw connections to a listening app, and what they get while the app closes. */
import { once } from 'node:events'
import { connect, type AddressInfo, type Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { DEFAULT } from './app.js'

export const SLOTS = `/api/account/${DEFAULT.account}/agentSession/${DEFAULT.john.session}/chat/availableSlots`
/** A request the fault set by `holdSlots` holds; then {"availableSlots":3}. */
export const HELD = `GET ${SLOTS}?v=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${DEFAULT.john.bearer}\r\n\r\n`

export const pause = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

/** Waits until the condition holds (however loaded the machine, rather than for a guessed time). */
export async function until (condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await pause(5)
}

/** Until the held availableSlots requests have reached the server (the latency fault has fired for each). */
export const held = async (app: FastifyInstance, requests = 1): Promise<void> => {
  await until(() => app.simulation.faults.list()[0]?.fired === requests)
}

/** Until closing has started: the server no longer listens once the preClose hooks have run. */
export const closing = async (app: FastifyInstance): Promise<void> => { await until(() => !app.server.listening) }

/** Listens on loopback and opens a raw connection to the app; everything it receives is collected. */
export async function rawConnection (app: FastifyInstance): Promise<RawConnection> {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' })
  return await connectRaw((app.server.address() as AddressInfo).port, '127.0.0.1')
}

export interface RawConnection { socket: Socket, received: () => string, ended: Promise<void> }

/** A raw connection to a port (a simulator in another process too); everything it receives is collected. */
export async function connectRaw (port: number, host: string): Promise<RawConnection> {
  const socket = connect(port, host)
  await once(socket, 'connect')
  let received = ''
  socket.setEncoding('utf8').on('data', (chunk: string) => { received += chunk })
  socket.on('error', () => {})
  const ended = once(socket, 'close').then(() => {})
  return { socket, received: () => received, ended }
}

/** The body of a response that is not chunked. */
export const bodyOf = (response: string): string => response.slice(response.indexOf('\r\n\r\n') + 4)

/** Holds every availableSlots request for `ms` (a latency fault), so that it is in flight when closing starts. */
export function holdSlots (app: FastifyInstance, ms: number): void {
  app.simulation.faults.add({ effect: { type: 'latency', ms } })
}

/** Splits what a connection received into its responses (each with a Content-Length). */
export function responsesOf (received: string): string[] {
  const responses: string[] = []
  let rest = received
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n')
    if (end < 0) return [...responses, rest]
    const length = Number(/\r\ncontent-length: (\d+)\r\n/i.exec(rest.slice(0, end + 2))?.[1] ?? 0)
    responses.push(rest.slice(0, end + 4 + length))
    rest = rest.slice(end + 4 + length)
  }
  return responses
}

/**
 * A request that arrives while the app is closing: sent on a connection whose availableSlots request is held in
 * flight (so the connection stays open), after closing has started. Returns both responses, once the app has closed.
 */
export async function requestWhileClosing (app: FastifyInstance, request: string): Promise<string[]> {
  holdSlots(app, 1000)
  const { socket, received, ended } = await rawConnection(app)
  socket.write(HELD)
  await held(app)
  const closed = app.close()
  await closing(app)
  socket.write(request)
  await ended
  await closed
  return responsesOf(received())
}
