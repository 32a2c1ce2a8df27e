import type { InjectOptions } from 'fastify'
import t, { type Test } from 'tap'
import { buildApp } from '../../../src/app.js'
import { SimulatedClock } from '../../../src/domain/clock.js'
import { loadScenario } from '../../../src/scenarios.js'
import {
  bearer, build, DEFAULT, JSON_TYPE, jsonError, NOW, slotsUrl, TEXT_XML_TYPE, XML_TYPE, xmlError, xmlSlots, type Simulator
} from '../../helpers/app.js'

const { account, john, mary } = DEFAULT
const johnUrl = (query = 'v=1', suffix = ''): string => slotsUrl(account, john.session, query, suffix)
const asJohn = bearer(john.bearer)

/** The multi-tenant scenario: the same session name in two accounts. */
const TENANT = {
  one: { account: '50000001', session: 'sessSam', bearer: 'e4eb82abb8f0c27b7dca562d6140061846677bef26345c143f1dd2527a822a85' },
  two: { account: '50000002', session: 'sessSam', bearer: '288019cf4152def2127ea3f1c46195f6ef84809a059cf981fa774b990639fd3c' }
}

const injected = (id: string, status = 503): string => `fault ${id} injected by the simulator: ${status}`

/** Adds a fault; the answer is the fault as given, with its id and `fired: 0`. */
async function addFault (t: Test, sim: Pick<Simulator, 'request'>, spec: Record<string, unknown>, id: string): Promise<void> {
  const res = await sim.request({ method: 'POST', url: '/__admin/faults', payload: spec })
  t.equal(res.statusCode, 201, `POST /__admin/faults ${JSON.stringify(spec)}`)
  t.equal(res.headers['content-type'], JSON_TYPE)
  t.equal(res.body, JSON.stringify({ ...spec, id, fired: 0 }))
}

async function listFaults (t: Test, sim: Pick<Simulator, 'request'>): Promise<string> {
  const res = await sim.request({ url: '/__admin/faults' })
  t.equal(res.statusCode, 200, 'GET /__admin/faults')
  t.equal(res.headers['content-type'], JSON_TYPE)
  return res.body
}

/** John's whole-account answer, unfaulted. */
async function expectNormal (t: Test, sim: Pick<Simulator, 'request'>, options: InjectOptions = { url: johnUrl(), headers: asJohn }): Promise<void> {
  const res = await sim.request(options)
  t.equal(res.statusCode, 200, `${options.method ?? 'GET'} ${String(options.url)} is answered normally`)
  t.equal(res.headers['content-type'], JSON_TYPE)
  t.equal(res.body, '{"availableSlots":3}')
}

async function expectFault (t: Test, sim: Pick<Simulator, 'request'>, message: string,
  options: InjectOptions = { url: johnUrl(), headers: asJohn }): Promise<void> {
  const res = await sim.request(options)
  t.equal(res.statusCode, 503, `${String(options.url)} gets the fault`)
  t.equal(res.headers['content-type'], JSON_TYPE)
  t.equal(res.body, jsonError(60, message))
}

/** The simulator without the contract check: for answers that are broken on purpose (malformed bodies, drops). */
async function buildRaw (t: Test) {
  const app = await buildApp({ world: loadScenario('default').world, clock: SimulatedClock.frozenAt(NOW) })
  t.teardown(() => app.close())
  return app
}

t.test('POST /__admin/faults accepts each effect; GET lists them with the seed', async (t) => {
  const sim = await build(t)
  t.equal(await listFaults(t, sim), '{"seed":1,"faults":[]}')
  const specs: Array<Record<string, unknown>> = [
    { effect: { type: 'latency', ms: 0 } },
    { effect: { type: 'latency', uniform: { minMs: 0, maxMs: 0 } }, match: { method: 'HEAD' } },
    { effect: { type: 'latency', logNormal: { medianMs: 0, sigma: 0.5 } }, probability: 0.5 },
    { match: { path: '/nowhere/*' }, effect: { type: 'error', status: 503 } },
    { match: { account: '99', method: 'GET', path: '*.xml' }, effect: { type: 'error', status: 500, message: 'down for maintenance' }, count: 3 },
    { match: { account: '99' }, effect: { type: 'drop' }, probability: 0, count: 1 },
    { match: { account: '99' }, effect: { type: 'malformed' } }
  ]
  for (const [i, spec] of specs.entries()) await addFault(t, sim, spec, `fault-${i + 1}`)
  t.equal(await listFaults(t, sim), JSON.stringify({ seed: 1, faults: specs.map((spec, i) => ({ ...spec, id: `fault-${i + 1}`, fired: 0 })) }))

  // The latency faults match John's request and fire (the logNormal one with the seeded draw): `fired` counts.
  await expectNormal(t, sim)
  const after = JSON.parse(await listFaults(t, sim)) as { faults: Array<{ id: string, fired: number }> }
  t.same(after.faults.map(({ id, fired }) => [id, fired]), [
    ['fault-1', 1], ['fault-2', 0], ['fault-3', 1], ['fault-4', 0], ['fault-5', 0], ['fault-6', 0], ['fault-7', 0]
  ])
})

t.test('latency: the answer is delayed, and still right', async (t) => {
  const sim = await build(t)
  await addFault(t, sim, { effect: { type: 'latency', ms: 20 }, count: 1 }, 'fault-1')
  await expectNormal(t, sim)
  await addFault(t, sim, { effect: { type: 'latency', uniform: { minMs: 1, maxMs: 10 } }, count: 1 }, 'fault-2')
  await expectNormal(t, sim)
  // sigma 0: exactly the median.
  await addFault(t, sim, { effect: { type: 'latency', logNormal: { medianMs: 5, sigma: 0 } }, count: 1 }, 'fault-3')
  const xml = await sim.request({ url: johnUrl('v=1&skill=Sales', '.xml'), headers: asJohn })
  t.equal(xml.statusCode, 200)
  t.equal(xml.headers['content-type'], XML_TYPE)
  t.equal(xml.body, xmlSlots(2))
  // Latency before an error: the error still arrives.
  await addFault(t, sim, { effect: { type: 'latency', ms: 10 }, count: 1 }, 'fault-4')
  await addFault(t, sim, { effect: { type: 'error', status: 503 }, count: 1 }, 'fault-5')
  await expectFault(t, sim, injected('fault-5'))
  t.equal(await listFaults(t, sim), '{"seed":1,"faults":[]}', 'every counted fault is spent')
})

t.test('error: the status, with the default or a custom message, in the product\'s body', async (t) => {
  const sim = await build(t)
  await addFault(t, sim, { effect: { type: 'error', status: 503 } }, 'fault-1')
  await expectFault(t, sim, injected('fault-1'))
  const bySuffix = await sim.request({ url: johnUrl('v=1', '.xml'), headers: asJohn })
  t.equal(bySuffix.statusCode, 503)
  t.equal(bySuffix.headers['content-type'], XML_TYPE)
  t.equal(bySuffix.body, xmlError(60, injected('fault-1')))
  const byAccept = await sim.request({ url: johnUrl(), headers: { ...asJohn, accept: 'text/xml' } })
  t.equal(byAccept.statusCode, 503)
  t.equal(byAccept.headers['content-type'], TEXT_XML_TYPE)
  t.equal(byAccept.body, xmlError(60, injected('fault-1')))
  const jsonSuffix = await sim.request({ url: johnUrl('v=1', '.json'), headers: { ...asJohn, accept: 'application/xml' } })
  t.equal(jsonSuffix.statusCode, 503)
  t.equal(jsonSuffix.headers['content-type'], JSON_TYPE, 'the suffix wins over Accept')
  t.equal(jsonSuffix.body, jsonError(60, injected('fault-1')))

  const cleared = await sim.request({ method: 'DELETE', url: '/__admin/faults' })
  t.equal(cleared.statusCode, 204)
  await addFault(t, sim, { effect: { type: 'error', status: 503, message: 'planned maintenance <until 13:00> & more' } }, 'fault-2')
  await expectFault(t, sim, 'planned maintenance <until 13:00> & more')
  const xml = await sim.request({ url: johnUrl('v=1', '.xml'), headers: asJohn })
  t.equal(xml.statusCode, 503)
  t.equal(xml.headers['content-type'], XML_TYPE)
  t.equal(xml.body, xmlError(60, 'planned maintenance &lt;until 13:00&gt; &amp; more'))
})

t.test('an error fault answers before authentication', async (t) => {
  const sim = await build(t)
  await addFault(t, sim, { effect: { type: 'error', status: 503 } }, 'fault-1')
  await expectFault(t, sim, injected('fault-1'), { url: johnUrl() })
  await expectFault(t, sim, injected('fault-1'), { url: slotsUrl(account, mary.session), headers: asJohn })
})

t.test('malformed: status 200 with a body cut short, in the negotiated type', async (t) => {
  const app = await buildRaw(t)
  const added = await app.inject({ method: 'POST', url: '/__admin/faults', payload: { effect: { type: 'malformed' } } })
  t.equal(added.statusCode, 201)
  const cases: Array<[InjectOptions, string, string]> = [
    [{ url: johnUrl(), headers: asJohn }, JSON_TYPE, '{"availableSlots":'],
    [{ url: johnUrl('v=1', '.json'), headers: asJohn }, JSON_TYPE, '{"availableSlots":'],
    [{ url: johnUrl('v=1', '.xml'), headers: asJohn }, XML_TYPE, '<?xml version="1.0" encoding="UTF-8"?><availableSlots>'],
    [{ url: johnUrl(), headers: { ...asJohn, accept: 'application/xml' } }, XML_TYPE, '<?xml version="1.0" encoding="UTF-8"?><availableSlots>'],
    [{ url: johnUrl(), headers: { ...asJohn, accept: 'text/xml' } }, TEXT_XML_TYPE, '<?xml version="1.0" encoding="UTF-8"?><availableSlots>']
  ]
  for (const [options, type, body] of cases) {
    const res = await app.inject(options)
    t.equal(res.statusCode, 200, `${String(options.url)} ${JSON.stringify(options.headers)}`)
    t.equal(res.headers['content-type'], type)
    t.equal(res.body, body)
    const suffixed = String(options.url).includes('availableSlots.')
    t.equal(res.headers.vary, suffixed ? 'Origin' : 'Origin, Accept', 'negotiated by Accept unless the path has a suffix')
  }
  const list = await app.inject({ url: '/__admin/faults' })
  t.equal(list.body, '{"seed":1,"faults":[{"effect":{"type":"malformed"},"id":"fault-1","fired":5}]}')
})

t.test('drop: the connection closes without an answer, and the journal says so', async (t) => {
  const app = await buildRaw(t)
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const added = await app.inject({ method: 'POST', url: '/__admin/faults', payload: { effect: { type: 'drop' }, count: 1 } })
  t.equal(added.statusCode, 201)
  t.equal(added.body, '{"effect":{"type":"drop"},"count":1,"id":"fault-1","fired":0}')
  await t.rejects(fetch(address + johnUrl(), { headers: asJohn }), { name: 'TypeError', cause: { code: 'UND_ERR_SOCKET' } })
  // The fault was counted: the next request is answered.
  const next = await fetch(address + johnUrl(), { headers: asJohn })
  t.equal(next.status, 200)
  t.equal(next.headers.get('content-type'), JSON_TYPE)
  t.equal(await next.text(), '{"availableSlots":3}')
  const journal = await app.inject({ url: '/__admin/requests' })
  const { requests } = JSON.parse(journal.body) as { requests: Array<{ status: number | null }> }
  t.same(requests.map((r) => r.status), [null, 200], 'the dropped request is recorded once, with status null')
})

t.test('match: only requests of the account, method and path pattern', async (t) => {
  const sim = await build(t, 'multi-tenant')
  const one = { url: slotsUrl(TENANT.one.account, TENANT.one.session), headers: bearer(TENANT.one.bearer) }
  const two = { url: slotsUrl(TENANT.two.account, TENANT.two.session), headers: bearer(TENANT.two.bearer) }
  const oneXml = { url: slotsUrl(TENANT.one.account, TENANT.one.session, 'v=1', '.xml'), headers: bearer(TENANT.one.bearer) }
  const normal = async (options: InjectOptions, body: string, type = JSON_TYPE): Promise<void> => {
    const res = await sim.request(options)
    t.equal(res.statusCode, 200, `${options.method ?? 'GET'} ${String(options.url)} untouched`)
    t.equal(res.headers['content-type'], type)
    t.equal(res.body, body)
  }
  const faulted = async (options: InjectOptions, id: string): Promise<void> => {
    const res = await sim.request(options)
    t.equal(res.statusCode, 503, `${options.method ?? 'GET'} ${String(options.url)} faulted by ${id}`)
    t.equal(res.headers['content-type'], options === oneXml ? XML_TYPE : JSON_TYPE)
    if (options.method !== 'HEAD') t.equal(res.body, options === oneXml ? xmlError(60, injected(id)) : jsonError(60, injected(id)))
  }
  const clear = async (): Promise<void> => { await sim.request({ method: 'DELETE', url: '/__admin/faults' }) }

  await addFault(t, sim, { match: { account: TENANT.two.account }, effect: { type: 'error', status: 503 } }, 'fault-1')
  await normal(one, '{"availableSlots":3}')
  await normal(oneXml, xmlSlots(3), XML_TYPE)
  await faulted(two, 'fault-1')
  await clear()

  await addFault(t, sim, { match: { method: 'HEAD' }, effect: { type: 'error', status: 503 } }, 'fault-2')
  await normal(one, '{"availableSlots":3}')
  await faulted({ ...one, method: 'HEAD' }, 'fault-2')
  await clear()

  await addFault(t, sim, { match: { path: '*.xml' }, effect: { type: 'error', status: 503 } }, 'fault-3')
  await normal(one, '{"availableSlots":3}')
  await normal(two, '{"availableSlots":0}')
  await faulted(oneXml, 'fault-3')
  await clear()

  // The pattern is matched against the whole path, without the query; `*` spans slashes.
  await addFault(t, sim, { match: { path: '/api/account/50000002/*/availableSlots' }, effect: { type: 'error', status: 503 } }, 'fault-4')
  await normal(one, '{"availableSlots":3}')
  await normal(oneXml, xmlSlots(3), XML_TYPE)
  await faulted(two, 'fault-4')
  await faulted({ ...two, url: slotsUrl(TENANT.two.account, TENANT.two.session, 'v=1&skill=Support') }, 'fault-4')
  await clear()

  await addFault(t, sim, { match: { path: '/api/account/*', account: TENANT.one.account, method: 'GET' }, effect: { type: 'error', status: 503 } }, 'fault-5')
  await normal(two, '{"availableSlots":0}')
  await normal({ ...one, method: 'HEAD' }, '')
  await faulted(one, 'fault-5')
  t.equal(await listFaults(t, sim),
    '{"seed":1,"faults":[{"match":{"path":"/api/account/*","account":"50000001","method":"GET"},"effect":{"type":"error","status":503},"id":"fault-5","fired":1}]}')
})

t.test('count: exactly the next N matching requests, then the fault is gone', async (t) => {
  const sim = await build(t)
  await addFault(t, sim, { match: { path: '*.xml' }, effect: { type: 'error', status: 503 }, count: 2 }, 'fault-1')
  await expectNormal(t, sim) // not matching: does not count
  const xml = { url: johnUrl('v=1', '.xml'), headers: asJohn }
  for (let i = 0; i < 2; i++) {
    const res = await sim.request(xml)
    t.equal(res.statusCode, 503, `matching request ${i + 1}`)
    t.equal(res.headers['content-type'], XML_TYPE)
    t.equal(res.body, xmlError(60, injected('fault-1')))
    if (i === 0) t.equal(await listFaults(t, sim), '{"seed":1,"faults":[{"match":{"path":"*.xml"},"effect":{"type":"error","status":503},"count":2,"id":"fault-1","fired":1}]}')
  }
  const third = await sim.request(xml)
  t.equal(third.statusCode, 200, 'the third is answered')
  t.equal(third.headers['content-type'], XML_TYPE)
  t.equal(third.body, xmlSlots(3))
  t.equal(await listFaults(t, sim), '{"seed":1,"faults":[]}')
  const gone = await sim.request({ method: 'DELETE', url: '/__admin/faults/fault-1' })
  t.equal(gone.statusCode, 404)
  t.equal(gone.headers['content-type'], JSON_TYPE)
  t.equal(gone.body, jsonError(33, "fault 'fault-1' does not exist (or is spent)"))
})

t.test('probability: a seed gives the same pattern every time', async (t) => {
  const sim = await build(t)
  await addFault(t, sim, { effect: { type: 'error', status: 503 }, probability: 0.5 }, 'fault-1')
  let failed = 0
  const seeded = async (seed: number): Promise<number[]> => {
    const reseeded = await sim.request({ method: 'PUT', url: '/__admin/seed', payload: { seed } })
    t.equal(reseeded.body, `{"seed":${seed}}`)
    const statuses: number[] = []
    for (let i = 0; i < 12; i++) {
      const res = await sim.request({ url: johnUrl(), headers: asJohn })
      t.equal(res.headers['content-type'], JSON_TYPE)
      t.equal(res.body, res.statusCode === 200 ? '{"availableSlots":3}' : jsonError(60, injected('fault-1')))
      if (res.statusCode === 503) failed++
      statuses.push(res.statusCode)
    }
    return statuses
  }
  const first = await seeded(42)
  // mulberry32(42)'s first twelve draws, below 0.5 or not.
  t.same(first, [200, 503, 200, 200, 503, 200, 503, 200, 200, 503, 503, 200])
  t.same(await seeded(42), first, 'the same seed again: the same sequence')
  t.notSame(await seeded(7), first, 'another seed: another sequence')
  t.same(await seeded(42), first, 'and back')
  t.equal(await listFaults(t, sim), JSON.stringify({
    seed: 42, faults: [{ effect: { type: 'error', status: 503 }, probability: 0.5, id: 'fault-1', fired: failed }]
  }), 'fired counts the requests it failed')
})

t.test('probability 0 never fires; 1 always does', async (t) => {
  const sim = await build(t)
  await addFault(t, sim, { effect: { type: 'error', status: 503 }, probability: 0 }, 'fault-1')
  for (let i = 0; i < 5; i++) await expectNormal(t, sim)
  await addFault(t, sim, { effect: { type: 'error', status: 503 }, probability: 1 }, 'fault-2')
  for (let i = 0; i < 5; i++) await expectFault(t, sim, injected('fault-2'))
  t.equal(await listFaults(t, sim), '{"seed":1,"faults":[{"effect":{"type":"error","status":503},"probability":0,"id":"fault-1","fired":0},' +
    '{"effect":{"type":"error","status":503},"probability":1,"id":"fault-2","fired":5}]}')
})

t.test('the first error that fires is the answer', async (t) => {
  const sim = await build(t)
  await addFault(t, sim, { effect: { type: 'error', status: 503, message: 'first' } }, 'fault-1')
  await addFault(t, sim, { effect: { type: 'error', status: 503, message: 'second' } }, 'fault-2')
  await expectFault(t, sim, 'first')
  t.equal(await listFaults(t, sim), '{"seed":1,"faults":[{"effect":{"type":"error","status":503,"message":"first"},"id":"fault-1","fired":1},' +
    '{"effect":{"type":"error","status":503,"message":"second"},"id":"fault-2","fired":0}]}')
})

t.test('DELETE /__admin/faults/{id} removes one; DELETE /__admin/faults removes all', async (t) => {
  const sim = await build(t)
  await addFault(t, sim, { effect: { type: 'error', status: 503, message: 'one' } }, 'fault-1')
  await addFault(t, sim, { match: { path: '*.xml' }, effect: { type: 'error', status: 503, message: 'two' } }, 'fault-2')
  await addFault(t, sim, { effect: { type: 'latency', ms: 0 } }, 'fault-3')

  const removed = await sim.request({ method: 'DELETE', url: '/__admin/faults/fault-1' })
  t.equal(removed.statusCode, 204)
  t.equal(removed.body, '')
  t.equal(await listFaults(t, sim), '{"seed":1,"faults":[{"match":{"path":"*.xml"},"effect":{"type":"error","status":503,"message":"two"},"id":"fault-2","fired":0},' +
    '{"effect":{"type":"latency","ms":0},"id":"fault-3","fired":0}]}')
  await expectNormal(t, sim)
  const stillFaulted = await sim.request({ url: johnUrl('v=1', '.xml'), headers: asJohn })
  t.equal(stillFaulted.statusCode, 503, 'the other faults stay')
  t.equal(stillFaulted.body, xmlError(60, 'two'))

  const again = await sim.request({ method: 'DELETE', url: '/__admin/faults/fault-1' })
  t.equal(again.statusCode, 404, 'a removed fault is gone')
  t.equal(again.headers['content-type'], JSON_TYPE)
  t.equal(again.body, jsonError(33, "fault 'fault-1' does not exist (or is spent)"))

  const all = await sim.request({ method: 'DELETE', url: '/__admin/faults' })
  t.equal(all.statusCode, 204)
  t.equal(all.body, '')
  t.equal(await listFaults(t, sim), '{"seed":1,"faults":[]}')
  const xml = await sim.request({ url: johnUrl('v=1', '.xml'), headers: asJohn })
  t.equal(xml.statusCode, 200)
  t.equal(xml.body, xmlSlots(3))
  const empty = await sim.request({ method: 'DELETE', url: '/__admin/faults' })
  t.equal(empty.statusCode, 204, 'clearing no faults is fine')
  await addFault(t, sim, { effect: { type: 'latency', ms: 0 } }, 'fault-4') // ids are never reused
})

t.test('DELETE /__admin/faults/{id}: an unknown id is 404 and changes nothing', async (t) => {
  const sim = await build(t)
  await addFault(t, sim, { effect: { type: 'latency', ms: 0 } }, 'fault-1')
  const before = await listFaults(t, sim)
  for (const id of ['fault-2', 'nope', 'FAULT-1']) {
    const res = await sim.request({ method: 'DELETE', url: `/__admin/faults/${id}` })
    t.equal(res.statusCode, 404, id)
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, jsonError(33, `fault '${id}' does not exist (or is spent)`))
  }
  t.equal(await listFaults(t, sim), before)
})

t.test('POST /__admin/faults: bad bodies are refused and change nothing', async (t) => {
  const sim = await build(t)
  await sim.request({ method: 'PUT', url: '/__admin/seed', payload: { seed: 9 } })
  await addFault(t, sim, { effect: { type: 'error', status: 503 }, match: { path: '/nowhere' } }, 'fault-1')
  const before = await listFaults(t, sim)
  const error = { type: 'error', status: 503 }
  const cases: Array<[unknown, string]> = [
    [{ effect: error, probability: 2 }, '$.probability: must be <= 1'],
    [{ effect: error, probability: -0.1 }, '$.probability: must be >= 0'],
    [{ effect: error, probability: '0.5' }, '$.probability: must be number'],
    [{ effect: { type: 'latency', uniform: { minMs: 5, maxMs: 1 } } }, '$.effect.uniform: minMs (5) must not exceed maxMs (1)'],
    [{ effect: { type: 'latency', ms: 60001 } }, '$.effect.ms: must be <= 60000'],
    [{ effect: error, count: 0 }, '$.count: must be >= 1'],
    [{ effect: error, count: 1.5 }, '$.count: must be integer'],
    [{ effect: error, count: '2' }, '$.count: must be integer'],
    [{ effect: error, match: { method: 'get' } }, '$.match.method: must be one of GET, HEAD'],
    [{ effect: error, match: { account: 'a-b' } }, '$.match.account: must match pattern "^[A-Za-z0-9]{1,64}$"'],
    [{ effect: error, match: { path: '' } }, '$.match.path: must NOT have fewer than 1 characters'],
    [{ effect: error, match: { host: 'x' } }, '$.match.host: is not a known property'],
    [{ effect: error, extra: 1 }, '$.extra: is not a known property'],
    [{ effect: 'error' }, '$.effect: must be object'],
    [{}, '$.effect: is required'],
    [[error], '$: must be object'],
    [undefined, 'a JSON body is required (Content-Type: application/json)']
  ]
  for (const [payload, message] of cases) {
    const res = await sim.request({ method: 'POST', url: '/__admin/faults', ...(payload === undefined ? {} : { payload: payload as object }) })
    t.equal(res.statusCode, 400, message)
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, jsonError(22, `invalid request: ${message}`))
  }
  t.equal(await listFaults(t, sim), before, 'the faults and the seed are as they were')
})

t.test('POST /__admin/faults: a bad effect is named in the 400', async (t) => {
  const sim = await build(t)
  const before = await listFaults(t, sim)
  // The effect's type is checked first, then the effect as that type wants it.
  const cases: Array<[unknown, string]> = [
    [{ type: 'explode' }, '$.effect.type: must be one of latency, error, drop, malformed'],
    [{ type: 5 }, '$.effect.type: must be one of latency, error, drop, malformed'],
    [{ status: 503 }, '$.effect.type: is required'],
    [{ type: 'error', status: 200 }, '$.effect.status: must be >= 400'],
    [{ type: 'error', status: 600 }, '$.effect.status: must be <= 599'],
    [{ type: 'error', status: '503' }, '$.effect.status: must be integer'],
    [{ type: 'error' }, '$.effect.status: is required'],
    [{ type: 'drop', status: 503 }, '$.effect.status: is not a known property']
  ]
  for (const [effect, message] of cases) {
    const res = await sim.request({ method: 'POST', url: '/__admin/faults', payload: { effect } })
    t.equal(res.statusCode, 400, JSON.stringify(effect))
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, jsonError(22, `invalid request: ${message}`))
  }
  t.equal(await listFaults(t, sim), before, 'no fault was added')
})

t.test('faults never apply to /__admin, /metrics or requests no route takes', async (t) => {
  const sim = await build(t)
  await addFault(t, sim, { effect: { type: 'error', status: 503 } }, 'fault-1')
  await addFault(t, sim, { match: { path: '*' }, effect: { type: 'drop' } }, 'fault-2')
  await addFault(t, sim, { match: { path: '/__admin/*' }, effect: { type: 'malformed' } }, 'fault-3')
  const health = await sim.request({ url: '/__admin/health' })
  t.equal(health.statusCode, 200)
  t.equal(health.headers['content-type'], JSON_TYPE)
  t.equal(health.body, '{"status":"ok","version":"0.1.0","scenario":"custom","accounts":1}')
  const clock = await sim.request({ url: '/__admin/clock' })
  t.equal(clock.statusCode, 200)
  t.equal(clock.body, '{"now":"2026-06-01T12:00:00.000Z","mode":"frozen","speed":1,"liveAccounts":0,"behindSec":0}')
  const metrics = await sim.request({ url: '/metrics' })
  t.equal(metrics.statusCode, 200)
  t.equal(metrics.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8')
  t.match(metrics.body, /^# HELP /)
  const unrouted = await sim.request({ url: '/api/nothing' })
  t.equal(unrouted.statusCode, 404)
  t.equal(unrouted.headers['content-type'], JSON_TYPE)
  t.equal(unrouted.body, jsonError(32, "no route GET '/api/nothing'; this API serves GET " +
    '/api/account/{accountId}/agentSession/{agentSessionId}/chat/availableSlots, the login, agent session and visitor routes around it, each optionally ending .json or .xml; openapi.yaml and /documentation list them'))
  const list = JSON.parse(await listFaults(t, sim)) as { faults: Array<{ fired: number }> }
  t.same(list.faults.map((fault) => fault.fired), [0, 0, 0], 'none of them fired')
})

t.test('at most 1,000 faults are kept; the next is refused and changes nothing', async (t) => {
  const sim = await build(t)
  for (let i = 0; i < 1000; i++) {
    const res = await sim.request({ method: 'POST', url: '/__admin/faults', payload: { match: { account: `9${i}` }, effect: { type: 'error', status: 503 } } })
    if (res.statusCode !== 201) t.fail(`fault ${i + 1}: ${res.statusCode}`)
  }
  const refused = await sim.request({ method: 'POST', url: '/__admin/faults', payload: { effect: { type: 'error', status: 503 } } })
  t.equal(refused.statusCode, 409)
  t.equal(refused.body, jsonError(42, '1000 faults are set, the most the simulator keeps; remove some first (DELETE /__admin/faults removes all)'))
  t.equal(JSON.parse((await sim.request({ url: '/__admin/faults' })).body).faults.length, 1000)
})
