import t from 'tap'
import { build, JSON_TYPE } from '../../helpers/app.js'

t.test('GET /__admin/health answers 200 with the scenario, without any token', async (t) => {
  const sim = await build(t, 'multi-tenant', { scenario: 'multi-tenant' })
  const res = await sim.request({ url: '/__admin/health' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], JSON_TYPE)
  t.equal(res.body, '{"status":"ok","version":"0.1.0","scenario":"multi-tenant","accounts":3}')
})
