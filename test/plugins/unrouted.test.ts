/** What Node or Fastify would answer by themselves, answered in the product's error body instead, over a real socket. */
import { connect } from 'node:net'
import t, { type Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { bodyOf, rawConnection, requestWhileClosing, responsesOf, SLOTS } from '../helpers/closing.js'
import { SimulatedClock } from '../../src/domain/clock.js'
import { loadScenario } from '../../src/scenarios.js'
import { DEFAULT, JSON_TYPE, jsonError, NOW, XML_TYPE, xmlError } from '../helpers/app.js'

async function listening (t: Test) {
  const app = await buildApp({ world: loadScenario('default').world, clock: SimulatedClock.frozenAt(NOW) })
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  /** Sends raw bytes, returns everything the server sends back before closing. */
  return async (request: string): Promise<string> => {
    const socket = connect(port, '127.0.0.1')
    socket.write(request)
    let response = ''
    for await (const chunk of socket) response += String(chunk)
    return response
  }
}

const raw = (status: string, body: string, extra = ''): string =>
  `HTTP/1.1 ${status}\r\nContent-Type: ${JSON_TYPE}\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`

t.test('a request too broken for HTTP parsing', async (t) => {
  const send = await listening(t)
  t.equal(await send('THIS IS NOT HTTP\r\n\r\n'),
    raw('400 Bad Request', jsonError(21, 'malformed request: the HTTP request could not be parsed')))
  t.equal(await send(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`),
    raw('431 Request Header Fields Too Large', jsonError(21, 'malformed request: the request line and headers are larger than 16 KiB')))
})

t.test('an HTTP/1.1 request without Host', async (t) => {
  const send = await listening(t)
  const response = await send(`GET ${SLOTS}?v=1 HTTP/1.1\r\nAuthorization: Bearer ${DEFAULT.john.bearer}\r\nConnection: close\r\n\r\n`)
  const body = jsonError(21, 'malformed request: an HTTP/1.1 request needs a Host header')
  t.match(response, /^HTTP\/1\.1 400 Bad Request\r\n/)
  t.match(response, `content-type: ${JSON_TYPE}\r\n`)
  t.equal(bodyOf(response), body)
  const http10 = await send(`GET ${SLOTS}?v=1 HTTP/1.0\r\nAuthorization: Bearer ${DEFAULT.john.bearer}\r\n\r\n`)
  t.match(http10, /^HTTP\/1\.1 200 OK\r\n/, 'HTTP/1.0 needs no Host')
  t.equal(bodyOf(http10), '{"availableSlots":3}')
})

t.test('an Expect other than 100-continue: 417, negotiated', async (t) => {
  const send = await listening(t)
  const json = await send(`GET ${SLOTS}?v=1 HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n`)
  t.match(json, /^HTTP\/1\.1 417 Expectation Failed\r\n/)
  t.match(json, `content-type: ${JSON_TYPE}\r\n`)
  t.match(json, '\r\nvary: Accept\r\n', 'negotiated by Accept')
  t.equal(bodyOf(json), jsonError(21, "malformed request: Expect 'foo' is not supported; only 100-continue is"))
  const xml = await send(`GET ${SLOTS}.xml?v=1 HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n`)
  t.match(xml, `content-type: ${XML_TYPE}\r\n`)
  t.notMatch(xml, /\r\nvary:/i, 'chosen by the suffix')
  t.equal(bodyOf(xml), xmlError(21, 'malformed request: Expect &apos;foo&apos; is not supported; only 100-continue is'))
})

t.test('CONNECT: 405 on the endpoint, 404 elsewhere', async (t) => {
  const send = await listening(t)
  t.equal(await send(`CONNECT ${SLOTS} HTTP/1.1\r\nHost: x\r\n\r\n`),
    raw('405 Method Not Allowed', jsonError(40, 'method CONNECT is not allowed here; this resource allows GET, HEAD'), 'Allow: GET, HEAD\r\n'))
  t.equal(await send('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'),
    raw('404 Not Found', jsonError(32, "no route CONNECT 'example.com:443'; this API serves GET " +
      '/api/account/{accountId}/agentSession/{agentSessionId}/chat/availableSlots, the login, agent session and visitor routes around it, each optionally ending .json or .xml; openapi.yaml and /documentation list them')))
})

t.test('while shutting down, a request still arriving is refused with 503, and the server still closes', async (t) => {
  const app = await buildApp({ world: loadScenario('default').world, clock: SimulatedClock.frozenAt(NOW) })
  const [held, late, ...more] = await requestWhileClosing(app, `GET ${SLOTS}.xml?v=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${DEFAULT.john.bearer}\r\n\r\n`)
  t.equal(bodyOf(held ?? ''), '{"availableSlots":3}', 'the request in flight when closing started is answered')
  t.match(late, /^HTTP\/1\.1 503 Service Unavailable\r\n/)
  t.match(late, /\r\nconnection: close\r\n/i)
  t.match(late, `content-type: ${XML_TYPE}\r\n`)
  t.equal(bodyOf(late ?? ''), xmlError(51, 'the simulator is shutting down; retry against a running instance'))
  t.same(more, [])
  t.equal(app.server.listening, false)
})

t.test('pipelined requests before a broken one get their own answers, in order; then the refusal, and the connection closes', async (t) => {
  for (const [broken, status, message] of [
    ['THIS IS NOT HTTP\r\n\r\n', '400 Bad Request', 'the HTTP request could not be parsed'],
    [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`, '431 Request Header Fields Too Large', 'the request line and headers are larger than 16 KiB']
  ] as const) {
    const app = await buildApp({ world: loadScenario('default').world, clock: SimulatedClock.frozenAt(NOW) })
    t.teardown(() => app.close())
    const { socket, received, ended } = await rawConnection(app)
    socket.write(`GET ${SLOTS}?v=1&skill=Sales HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${DEFAULT.john.bearer}\r\n\r\n` +
      'GET /__admin/health HTTP/1.1\r\nHost: x\r\n\r\n' + broken)
    await ended
    const [slots, health, refusal, ...more] = responsesOf(received())
    t.match(slots, /^HTTP\/1\.1 200 OK\r\n/)
    t.equal(bodyOf(slots ?? ''), '{"availableSlots":2}')
    t.match(health, /^HTTP\/1\.1 200 OK\r\n/)
    t.equal(bodyOf(health ?? ''), '{"status":"ok","version":"0.1.0","scenario":"custom","accounts":1}')
    t.equal(refusal, raw(status, jsonError(21, `malformed request: ${message}`)))
    t.same(more, [])
  }
})
