import t from 'tap'
import { buildApp } from '../../../src/app.js'
import { SimulatedClock } from '../../../src/domain/clock.js'
import { loadScenario } from '../../../src/scenarios.js'
import { build, JSON_TYPE, jsonError, NOW } from '../../helpers/app.js'
import { bodyOf, requestWhileClosing } from '../../helpers/closing.js'

t.test('GET /__admin/health answers 200 with the scenario, without any token', async (t) => {
  const sim = await build(t, 'multi-tenant', { scenario: 'multi-tenant' })
  const res = await sim.request({ url: '/__admin/health' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], JSON_TYPE)
  t.equal(res.body, '{"status":"ok","version":"0.1.0","scenario":"multi-tenant","accounts":3}')
})

t.test('while the simulator shuts down, the health check answers 503', async (t) => {
  const app = await buildApp({ world: loadScenario('default').world, clock: SimulatedClock.frozenAt(NOW) })
  const [held, health] = await requestWhileClosing(app, 'GET /__admin/health HTTP/1.1\r\nHost: x\r\n\r\n')
  t.match(held, /^HTTP\/1\.1 200 OK\r\n/)
  t.match(health, /^HTTP\/1\.1 503 Service Unavailable\r\n/)
  t.equal(bodyOf(health ?? ''), jsonError(51, 'the simulator is shutting down; retry against a running instance'))
})
