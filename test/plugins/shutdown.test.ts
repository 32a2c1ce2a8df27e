/** Closing: connections without an answer under way close at once; requests already received get their answers. */
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { SimulatedClock } from '../../src/domain/clock.js'
import { loadScenario } from '../../src/scenarios.js'
import { bodyOf, held, HELD, holdSlots, rawConnection, responsesOf, until } from '../helpers/closing.js'
import { NOW } from '../helpers/app.js'

t.test('idle and half-sent connections close at once; the request in flight is answered, then the app closes', async (t) => {
  const app = await buildApp({ world: loadScenario('default').world, clock: SimulatedClock.frozenAt(NOW) })
  holdSlots(app, 400)
  const idle = await rawConnection(app)
  idle.socket.write('GET /__admin/health HTTP/1.1\r\nHost: x\r\n\r\n')
  await until(() => idle.received().endsWith('}'))
  const halfSent = await rawConnection(app)
  halfSent.socket.write('GET /__admin/health HTTP/1.1\r\nHost: x\r\n')
  const inFlight = await rawConnection(app)
  inFlight.socket.write(HELD)
  await held(app)
  const order: string[] = []
  for (const [name, connection] of Object.entries({ idle, halfSent, inFlight })) void connection.ended.then(() => order.push(name))
  await app.close()
  await Promise.all([idle.ended, halfSent.ended, inFlight.ended])
  t.same([...order.slice(0, 2).sort(), order[2]], ['halfSent', 'idle', 'inFlight'], 'the quiet connections closed before the answer in flight was sent')
  t.same(responsesOf(idle.received()).map((response) => response.split('\r\n')[0]), ['HTTP/1.1 200 OK'])
  t.equal(halfSent.received(), '', 'half a request gets no answer')
  const [answer, ...more] = responsesOf(inFlight.received())
  t.match(answer, /^HTTP\/1\.1 200 OK\r\n/)
  t.equal(bodyOf(answer ?? ''), '{"availableSlots":3}')
  t.same(more, [])
})
