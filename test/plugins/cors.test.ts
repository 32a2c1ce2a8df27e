import t from 'tap'
import { bearer, build, DEFAULT, JSON_TYPE, jsonError, slotsUrl } from '../helpers/app.js'

const url = slotsUrl(DEFAULT.account, DEFAULT.john.session, 'v=1&skill=Sales')
const ORIGIN = 'http://localhost:5173'
const preflight = { origin: ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' }
const methodNotAllowed = jsonError(40, 'method OPTIONS is not allowed here; this resource allows GET, HEAD')

t.test('by default any origin may call, with credentials, and preflights are answered before authentication', async (t) => {
  const sim = await build(t)
  const pre = await sim.request({ method: 'OPTIONS', url, headers: preflight })
  t.equal(pre.statusCode, 204)
  t.equal(pre.body, '')
  t.match(pre.headers, {
    'access-control-allow-origin': ORIGIN,
    'access-control-allow-credentials': 'true',
    'access-control-allow-methods': 'GET, HEAD, POST, PUT, DELETE',
    'access-control-allow-headers': 'authorization',
    'access-control-max-age': '600',
    vary: 'Origin, Access-Control-Request-Headers'
  })

  const res = await sim.request({ url, headers: { origin: ORIGIN, ...bearer(DEFAULT.john.bearer) } })
  t.equal(res.statusCode, 200)
  t.equal(res.body, '{"availableSlots":2}')
  t.equal(res.headers['access-control-allow-origin'], ORIGIN)
  t.equal(res.headers['access-control-allow-credentials'], 'true')
  t.equal(res.headers.vary, 'Origin, Accept', 'the answer depends on the Origin (CORS) and on Accept (negotiation)')

  // A browser can read the error too.
  const refused = await sim.request({ url, headers: { origin: 'https://elsewhere.example' } })
  t.equal(refused.statusCode, 401)
  t.equal(refused.headers['access-control-allow-origin'], 'https://elsewhere.example')
})

t.test('an OPTIONS that is not a preflight is refused as before: 405 on the endpoint, 404 elsewhere', async (t) => {
  const sim = await build(t)
  for (const headers of [{}, { origin: ORIGIN }, { 'access-control-request-method': 'GET' }]) {
    const res = await sim.request({ method: 'OPTIONS', url, headers })
    t.equal(res.statusCode, 405)
    t.equal(res.headers.allow, 'GET, HEAD')
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, methodNotAllowed)
  }
  const res = await sim.request({ method: 'OPTIONS', url: '/nowhere' })
  t.equal(res.statusCode, 404)
  t.equal(res.body, jsonError(32, "no route OPTIONS '/nowhere'; this API serves GET /api/account/{accountId}/agentSession/{agentSessionId}/chat/availableSlots, the login, agent session and visitor routes around it, each optionally ending .json or .xml; openapi.yaml and /documentation list them"))
})

t.test('a list of origins allows those only', async (t) => {
  const sim = await build(t, 'default', { cors: [ORIGIN, 'https://app.example.com'] })
  const allowed = await sim.request({ url, headers: { origin: 'https://app.example.com', ...bearer(DEFAULT.john.bearer) } })
  t.equal(allowed.statusCode, 200)
  t.equal(allowed.headers['access-control-allow-origin'], 'https://app.example.com')
  const other = await sim.request({ url, headers: { origin: 'https://evil.example', ...bearer(DEFAULT.john.bearer) } })
  t.equal(other.statusCode, 200)
  t.equal(other.headers['access-control-allow-origin'], undefined, 'no Allow-Origin: the browser withholds the answer')
  const pre = await sim.request({ method: 'OPTIONS', url, headers: { ...preflight, origin: 'https://evil.example' } })
  t.equal(pre.statusCode, 204)
  t.equal(pre.headers['access-control-allow-origin'], undefined)
})

t.test('off: no CORS headers, and a preflight is an OPTIONS like any other', async (t) => {
  const sim = await build(t, 'default', { cors: 'off' })
  const res = await sim.request({ url, headers: { origin: ORIGIN, ...bearer(DEFAULT.john.bearer) } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['access-control-allow-origin'], undefined)
  t.equal(res.headers['access-control-allow-credentials'], undefined)
  const pre = await sim.request({ method: 'OPTIONS', url, headers: preflight })
  t.equal(pre.statusCode, 405)
  t.equal(pre.body, methodNotAllowed)
})

t.test('a browser can run the agent\'s flow: POST is preflighted, and Location is readable', async (t) => {
  const sim = await build(t)
  const pre = await sim.request({
    method: 'OPTIONS',
    url: '/api/account/12345678/agentSession?v=1',
    headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' }
  })
  t.equal(pre.statusCode, 204)
  t.equal(pre.headers['access-control-allow-methods'], 'GET, HEAD, POST, PUT, DELETE')
  t.equal(pre.headers['access-control-allow-headers'], 'authorization, content-type')
  const started = await sim.request({
    method: 'POST', url: '/api/account/12345678/agentSession?v=1', headers: { origin: ORIGIN, ...bearer(DEFAULT.john.bearer) }, payload: { loginData: '' }
  })
  t.equal(started.statusCode, 201)
  t.equal(started.headers['access-control-allow-origin'], ORIGIN)
  t.equal(started.headers['access-control-expose-headers'], 'Location')
})
