import type { InjectOptions } from 'fastify'
import t, { type Test } from 'tap'
import { buildApp } from '../../../src/app.js'
import { SimulatedClock } from '../../../src/domain/clock.js'
import { loadScenario } from '../../../src/scenarios.js'
import { assertContract } from '../../helpers/contract.js'
import { bearer, build, DEFAULT, JSON_TYPE, jsonError, NOW, NOW_ISO, slotsUrl, type Simulator } from '../../helpers/app.js'

const { account, john } = DEFAULT
const johnUrl = slotsUrl(account, john.session)

/** The product's error body at a time other than NOW. */
const errorAt = (time: string, internalCode: number, message: string): string =>
  JSON.stringify({ error: { time, message, internalCode } })

const clockBody = (now: string, mode = 'frozen', speed = 1): string => JSON.stringify({ now, mode, speed, liveAccounts: 0, behindSec: 0 })

async function getClock (t: Test, sim: Pick<Simulator, 'request'>): Promise<string> {
  const res = await sim.request({ url: '/__admin/clock' })
  t.equal(res.statusCode, 200, 'GET /__admin/clock')
  t.equal(res.headers['content-type'], JSON_TYPE)
  return res.body
}

/** A simulator whose clock reads a real time the test moves by hand: realtime mode, without sleeping. */
async function buildWithHandClock (t: Test): Promise<Pick<Simulator, 'request'> & { tick: (ms: number) => void }> {
  let real = 1_000_000
  const clock = new SimulatedClock(NOW, { mode: 'frozen', speed: 1 }, () => real)
  const app = await buildApp({ world: loadScenario('default').world, clock })
  t.teardown(() => app.close())
  return {
    tick: (ms) => { real += ms },
    async request (options: InjectOptions) {
      const res = await app.inject(options)
      assertContract(options, res)
      return res
    }
  }
}

t.test('GET /__admin/clock: frozen at NOW in the tests', async (t) => {
  const sim = await build(t)
  t.equal(await getClock(t, sim), clockBody(NOW_ISO))
  sim.clock.advance(1500)
  t.equal(await getClock(t, sim), clockBody('2026-06-01T12:00:01.500Z'), 'it reads the simulator\'s clock')
})

t.test('PUT /__admin/clock sets the time, the mode and the speed', async (t) => {
  const sim = await build(t)
  const put = async (payload: object, expected: string): Promise<void> => {
    const res = await sim.request({ method: 'PUT', url: '/__admin/clock', payload })
    t.equal(res.statusCode, 200, JSON.stringify(payload))
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, expected, JSON.stringify(payload))
    t.equal(await getClock(t, sim), expected, 'GET agrees')
  }
  await put({ mode: 'frozen', now: '2030-01-01T00:00:00Z' }, clockBody('2030-01-01T00:00:00.000Z'))
  await put({ mode: 'frozen', now: '2026-06-01T14:00:00.125+02:00' }, clockBody('2026-06-01T12:00:00.125Z'))
  await put({ mode: 'frozen', speed: 3 }, clockBody('2026-06-01T12:00:00.125Z', 'frozen', 3))
  await put({ mode: 'frozen' }, clockBody('2026-06-01T12:00:00.125Z', 'frozen', 3))
  await put({ mode: 'frozen', speed: 1, now: '2026-06-01T12:00:00Z' }, clockBody(NOW_ISO))
})

t.test('the time of error bodies follows the clock', async (t) => {
  const sim = await build(t)
  await sim.request({ method: 'PUT', url: '/__admin/clock', payload: { mode: 'frozen', now: '2030-01-01T00:00:00Z' } })
  const res = await sim.request({ url: johnUrl })
  t.equal(res.statusCode, 401)
  t.equal(res.headers['content-type'], JSON_TYPE)
  t.equal(res.body, errorAt('2030-01-01T00:00:00.000Z', 10,
    "missing Authorization header; send 'Authorization: Bearer <token>' with the bearer of a login (POST /api/account/{accountId}/login)"))
})

t.test('realtime mode runs at its speed from the time set', async (t) => {
  const sim = await buildWithHandClock(t)
  const res = await sim.request({ method: 'PUT', url: '/__admin/clock', payload: { mode: 'realtime', speed: 60, now: '2030-01-01T00:00:00Z' } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], JSON_TYPE)
  t.equal(res.body, clockBody('2030-01-01T00:00:00.000Z', 'realtime', 60))
  sim.tick(1000)
  t.equal(await getClock(t, sim), clockBody('2030-01-01T00:01:00.000Z', 'realtime', 60), 'a real second is a simulated minute')
  const frozen = await sim.request({ method: 'PUT', url: '/__admin/clock', payload: { mode: 'frozen' } })
  t.equal(frozen.body, clockBody('2030-01-01T00:01:00.000Z', 'frozen', 60), 'freezing keeps the time reached')
  sim.tick(5000)
  t.equal(await getClock(t, sim), clockBody('2030-01-01T00:01:00.000Z', 'frozen', 60), 'frozen: real time passes, the clock does not')
  const resumed = await sim.request({ method: 'PUT', url: '/__admin/clock', payload: { mode: 'realtime', speed: 0.5 } })
  t.equal(resumed.body, clockBody('2030-01-01T00:01:00.000Z', 'realtime', 0.5))
  sim.tick(4000)
  t.equal(await getClock(t, sim), clockBody('2030-01-01T00:01:02.000Z', 'realtime', 0.5))
  const advanced = await sim.request({ method: 'POST', url: '/__admin/clock/advance', payload: { seconds: 10 } })
  t.equal(advanced.body, clockBody('2030-01-01T00:01:12.000Z', 'realtime', 0.5), 'advance in realtime mode')
  sim.tick(2000)
  t.equal(await getClock(t, sim), clockBody('2030-01-01T00:01:13.000Z', 'realtime', 0.5), 'and it runs on from there')
})

t.test('PUT /__admin/clock: bad bodies are refused and change nothing', async (t) => {
  const sim = await build(t)
  await sim.request({ method: 'PUT', url: '/__admin/clock', payload: { mode: 'frozen', speed: 2, now: '2026-06-01T12:00:00Z' } })
  const before = await getClock(t, sim)
  t.equal(before, clockBody(NOW_ISO, 'frozen', 2))
  const cases: Array<[InjectOptions, string]> = [
    [{ payload: { mode: 'fast' } }, '$.mode: must be one of realtime, frozen'],
    [{ payload: { mode: 'realtime', speed: '5' } }, '$.speed: must be number'],
    [{ payload: { mode: 'realtime', speed: 0 } }, '$.speed: must be > 0'],
    [{ payload: { mode: 'realtime', speed: -1 } }, '$.speed: must be > 0'],
    [{ payload: { mode: 'realtime', speed: 1000001 } }, '$.speed: must be <= 1000000'],
    [{ payload: { speed: 2 } }, '$.mode: is required'],
    [{ payload: { mode: 'frozen', now: 'yesterday' } }, '$.now: must match format "date-time"'],
    [{ payload: { mode: 'frozen', now: '2026-06-01' } }, '$.now: must match format "date-time"'],
    [{ payload: { mode: 'frozen', now: 1780315200000 } }, '$.now: must be string'],
    // A leap second passes the format, but no Date can hold it.
    [{ payload: { mode: 'frozen', now: '2026-06-30T23:59:60Z' } }, '$.now: must be an ISO-8601 date-time such as 2030-01-01T00:00:00Z'],
    [{ payload: { mode: 'frozen', tz: 'UTC' } }, '$.tz: is not a known property'],
    [{ payload: ['frozen'] }, '$: must be object'],
    [{}, 'a JSON body is required (Content-Type: application/json)']
  ]
  for (const [options, message] of cases) {
    const res = await sim.request({ method: 'PUT', url: '/__admin/clock', ...options })
    t.equal(res.statusCode, 400, message)
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, jsonError(22, `invalid request: ${message}`))
  }
  t.equal(await getClock(t, sim), before, 'the clock is as it was')
})

t.test('POST /__admin/clock/advance moves the clock forward', async (t) => {
  const sim = await build(t)
  const advance = async (seconds: number, now: string): Promise<void> => {
    const res = await sim.request({ method: 'POST', url: '/__admin/clock/advance', payload: { seconds } })
    t.equal(res.statusCode, 200, `${seconds} s`)
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, clockBody(now), `${seconds} s`)
  }
  await advance(90, '2026-06-01T12:01:30.000Z')
  await advance(0.25, '2026-06-01T12:01:30.250Z')
  await advance(0, '2026-06-01T12:01:30.250Z')
  await advance(86400, '2026-06-02T12:01:30.250Z')
  t.equal(await getClock(t, sim), clockBody('2026-06-02T12:01:30.250Z'))
  t.equal(sim.clock.now(), Date.parse('2026-06-02T12:01:30.250Z'), 'the simulator\'s clock itself moved')
})

t.test('POST /__admin/clock/advance: bad bodies are refused and change nothing', async (t) => {
  const sim = await build(t)
  const cases: Array<[InjectOptions, string]> = [
    [{ payload: { seconds: '5' } }, '$.seconds: must be number'],
    [{ payload: { seconds: null } }, '$.seconds: must be number'],
    [{ payload: { seconds: -1 } }, '$.seconds: must be >= 0'],
    [{ payload: { seconds: 315360001 } }, '$.seconds: must be <= 315360000'],
    [{ payload: {} }, '$.seconds: is required'],
    [{ payload: { seconds: 1, minutes: 1 } }, '$.minutes: is not a known property'],
    [{}, 'a JSON body is required (Content-Type: application/json)']
  ]
  for (const [options, message] of cases) {
    const res = await sim.request({ method: 'POST', url: '/__admin/clock/advance', ...options })
    t.equal(res.statusCode, 400, message)
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, jsonError(22, `invalid request: ${message}`))
  }
  t.equal(await getClock(t, sim), clockBody(NOW_ISO), 'the clock has not moved')
})

t.test('token expiry follows the clock', async (t) => {
  const sim = await build(t)
  const created = await sim.request({ method: 'POST', url: `/__admin/accounts/${account}/sessions`, payload: { agent: 'John', expiresInSec: 60 } })
  t.equal(created.statusCode, 201)
  t.equal(created.headers['content-type'], JSON_TYPE)
  const session = JSON.parse(created.body) as { agentSessionId: string, agent: string, bearer: string, expiresAt: string }
  t.match(session.agentSessionId, /^sess-[0-9a-f]{12}$/)
  t.match(session.bearer, /^[0-9a-f]{64}$/)
  t.equal(created.body, JSON.stringify({ agentSessionId: session.agentSessionId, agent: 'John', bearer: session.bearer, expiresAt: '2026-06-01T12:01:00.000Z' }))

  const ask = async () => await sim.request({ url: slotsUrl(account, session.agentSessionId), headers: bearer(session.bearer) })
  const fresh = await ask()
  t.equal(fresh.statusCode, 200)
  t.equal(fresh.headers['content-type'], JSON_TYPE)
  t.equal(fresh.body, '{"availableSlots":3}')

  await sim.request({ method: 'POST', url: '/__admin/clock/advance', payload: { seconds: 59.999 } })
  const lastMoment = await ask()
  t.equal(lastMoment.statusCode, 200, 'a millisecond before it expires')
  t.equal(lastMoment.body, '{"availableSlots":3}')

  await sim.request({ method: 'PUT', url: '/__admin/clock', payload: { mode: 'frozen', now: '2026-06-01T12:00:00Z' } })
  const advanced = await sim.request({ method: 'POST', url: '/__admin/clock/advance', payload: { seconds: 60 } })
  t.equal(advanced.body, clockBody('2026-06-01T12:01:00.000Z'))
  const expired = await ask()
  t.equal(expired.statusCode, 401)
  t.equal(expired.headers['content-type'], JSON_TYPE)
  t.equal(expired.body, errorAt('2026-06-01T12:01:00.000Z', 10,
    'the bearer token expired at 2026-06-01T12:01:00.000Z; start a new agent session'))

  const johnAnswer = await sim.request({ url: johnUrl, headers: bearer(john.bearer) })
  t.equal(johnAnswer.statusCode, 200, 'a session without expiry is unaffected')
  t.equal(johnAnswer.body, '{"availableSlots":3}')

  await sim.request({ method: 'PUT', url: '/__admin/clock', payload: { mode: 'frozen', now: '2026-06-01T12:00:30Z' } })
  const back = await ask()
  t.equal(back.statusCode, 200, 'setting the clock back revives the token')
  t.equal(back.body, '{"availableSlots":3}')
})

t.test('PUT /__admin/seed sets the seed of the faults\' draws', async (t) => {
  const sim = await build(t)
  const seedOf = async (): Promise<string> => (await sim.request({ url: '/__admin/faults' })).body
  t.equal(await seedOf(), '{"seed":1,"faults":[]}', 'the default seed is 1')
  for (const seed of [7, 0, 4294967295]) {
    const res = await sim.request({ method: 'PUT', url: '/__admin/seed', payload: { seed } })
    t.equal(res.statusCode, 200, String(seed))
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, `{"seed":${seed}}`)
    t.equal(await seedOf(), `{"seed":${seed},"faults":[]}`)
  }
})

t.test('PUT /__admin/seed: bad bodies are refused and change nothing', async (t) => {
  const sim = await build(t)
  await sim.request({ method: 'PUT', url: '/__admin/seed', payload: { seed: 42 } })
  const cases: Array<[InjectOptions, string]> = [
    [{ payload: { seed: '7' } }, '$.seed: must be integer'],
    [{ payload: { seed: 1.5 } }, '$.seed: must be integer'],
    [{ payload: { seed: -1 } }, '$.seed: must be >= 0'],
    [{ payload: { seed: 4294967296 } }, '$.seed: must be <= 4294967295'],
    [{ payload: {} }, '$.seed: is required'],
    [{ payload: { seed: 1, salt: 2 } }, '$.salt: is not a known property'],
    [{}, 'a JSON body is required (Content-Type: application/json)']
  ]
  for (const [options, message] of cases) {
    const res = await sim.request({ method: 'PUT', url: '/__admin/seed', ...options })
    t.equal(res.statusCode, 400, message)
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, jsonError(22, `invalid request: ${message}`))
  }
  const faults = await sim.request({ url: '/__admin/faults' })
  t.equal(faults.body, '{"seed":42,"faults":[]}', 'the seed is as it was')
})

t.test('the clock stops at 9999-12-31T23:59:59.999Z: advancing or setting it past is refused, and errors still have a time', async (t) => {
  const sim = await build(t)
  const put = await sim.request({ method: 'PUT', url: '/__admin/clock', payload: { mode: 'frozen', now: '9999-12-31T23:00:00Z' } })
  t.equal(put.body, clockBody('9999-12-31T23:00:00.000Z'))
  const before = await getClock(t, sim)
  const refused = async (options: InjectOptions, message: string): Promise<void> => {
    const res = await sim.request({ method: 'POST', url: '/__admin/clock/advance', ...options })
    t.equal(res.statusCode, 400, message)
    t.equal(res.body, errorAt('9999-12-31T23:00:00.000Z', 22, `invalid request: ${message}`))
    t.equal(await getClock(t, sim), before, 'the clock is as it was')
  }
  await refused({ payload: { seconds: 3600 } },
    '$.seconds: the clock would pass 9999-12-31T23:59:59.999Z, the last instant it shows; advance it by at most 3599.999 seconds')
  await refused({ method: 'PUT', url: '/__admin/clock', payload: { mode: 'frozen', now: '9999-12-31T23:59:59-01:00' } },
    '$.now: must be from 0000-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z')
  await refused({ method: 'PUT', url: '/__admin/clock', payload: { mode: 'frozen', now: '0000-01-01T00:00:00+01:00' } },
    '$.now: must be from 0000-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z')
  const last = await sim.request({ method: 'POST', url: '/__admin/clock/advance', payload: { seconds: 3599.999 } })
  t.equal(last.body, clockBody('9999-12-31T23:59:59.999Z'), 'up to the last instant')
  const unauthenticated = await sim.request({ url: johnUrl })
  t.equal(unauthenticated.statusCode, 401)
  t.equal(unauthenticated.body, errorAt('9999-12-31T23:59:59.999Z', 10,
    "missing Authorization header; send 'Authorization: Bearer <token>' with the bearer of a login (POST /api/account/{accountId}/login)"))
  const realtime = await sim.request({ method: 'PUT', url: '/__admin/clock', payload: { mode: 'realtime', speed: 1000000 } })
  t.equal(realtime.body, clockBody('9999-12-31T23:59:59.999Z', 'realtime', 1000000), 'a fast clock at the end stays there')
})
