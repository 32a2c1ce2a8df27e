import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { startProbability } from '../../../src/domain/estimator.js'
import { packageRoot } from '../../../src/package-root.js'
import { bearer, build, DEFAULT, JSON_TYPE, jsonError, slotsUrl, type Simulator } from '../../helpers/app.js'

async function call (sim: Simulator, method: 'GET' | 'PUT' | 'PATCH', url: string, payload?: unknown): Promise<[number, unknown]> {
  const res = await sim.request({ method, url, payload: payload as Record<string, unknown> })
  t.equal(res.headers['content-type'], JSON_TYPE)
  return [res.statusCode, JSON.parse(res.body)]
}

const slots = async (sim: Simulator, query: string): Promise<string> =>
  (await sim.request({ url: slotsUrl(DEFAULT.account, DEFAULT.john.session, query), headers: bearer(DEFAULT.john.bearer) })).body

const ESTIMATE = `/__admin/accounts/${DEFAULT.account}/estimate`

/** Asserts a refusal with exactly this error, and that the scenario did not change. */
async function refused (t: Test, sim: Simulator, method: 'PUT' | 'PATCH' | 'GET', url: string, payload: unknown, status: number, message: string): Promise<void> {
  const before = await call(sim, 'GET', '/__admin/scenario')
  const res = await sim.request({ method, url, payload: payload as Record<string, unknown> })
  t.equal(res.statusCode, status, message)
  t.equal(res.body, jsonError(status === 404 ? 33 : 22, message))
  t.strictSame(await call(sim, 'GET', '/__admin/scenario'), before, 'unchanged')
}

t.test('the scenario criterion: default, set, kept in the snapshot, reset by {}', async (t) => {
  const sim = await build(t)
  t.strictSame(await call(sim, 'GET', '/__admin/estimator'), [200, { settings: {}, criterion: { criterion: 'probability', p: 0.8 } }])
  t.equal(await slots(sim, 'v=1&skill=Sales&maxWaitTime=300'), '{"availableSlots":4}', 'the 2nd waiting chat: 0.801 ≥ 0.8')
  t.strictSame(await call(sim, 'PUT', '/__admin/estimator', { p: 0.9 }), [200, { settings: { p: 0.9 }, criterion: { criterion: 'probability', p: 0.9 } }])
  t.equal(await slots(sim, 'v=1&skill=Sales&maxWaitTime=300'), '{"availableSlots":3}', 'p = 0.9: only the 1st (0.950)')
  const [, snapshot] = await call(sim, 'GET', '/__admin/scenario')
  t.strictSame((snapshot as { estimator?: unknown }).estimator, { p: 0.9 }, 'in the snapshot')
  t.strictSame(await call(sim, 'PUT', '/__admin/estimator', { criterion: 'mean' }), [200, { settings: { criterion: 'mean' }, criterion: { criterion: 'mean' } }])
  t.equal(await slots(sim, 'v=1&skill=Sales&maxWaitTime=300'), '{"availableSlots":5}', 'mean: 2 + ⌊300·3/300⌋')
  t.strictSame(await call(sim, 'PUT', '/__admin/estimator', {}), [200, { settings: {}, criterion: { criterion: 'probability', p: 0.8 } }])
  t.equal(await slots(sim, 'v=1&skill=Sales&maxWaitTime=300'), '{"availableSlots":4}')
  t.notOk('estimator' in ((await call(sim, 'GET', '/__admin/scenario'))[1] as object), 'the default is not written into the snapshot')
})

t.test('a bad criterion is refused, naming the field, and changes nothing', async (t) => {
  const sim = await build(t)
  await call(sim, 'PUT', '/__admin/estimator', { p: 0.7 })
  await refused(t, sim, 'PUT', '/__admin/estimator', { p: 1 }, 400, 'invalid request: $.p: must be < 1')
  await refused(t, sim, 'PUT', '/__admin/estimator', { p: 0 }, 400, 'invalid request: $.p: must be > 0')
  await refused(t, sim, 'PUT', '/__admin/estimator', { p: '0.5' }, 400, 'invalid request: $.p: must be number')
  await refused(t, sim, 'PUT', '/__admin/estimator', { criterion: 'median' }, 400, 'invalid request: $.criterion: must be one of probability, mean')
  await refused(t, sim, 'PUT', '/__admin/estimator', { criterion: 'mean', p: 0.5 }, 400,
    "invalid request: $.p: p applies to the 'probability' criterion only; leave it out with 'mean'")
  await refused(t, sim, 'PUT', '/__admin/estimator', { q: 1 }, 400, 'invalid request: $.q: is not a known property')
})

t.test('a skill criterion overrides the scenario field by field, through PUT and PATCH, and null removes it', async (t) => {
  const sim = await build(t)
  const url = `/__admin/accounts/${DEFAULT.account}/skills/Sales`
  await call(sim, 'PUT', '/__admin/estimator', { criterion: 'mean' })
  t.strictSame(await call(sim, 'PATCH', url, { estimator: { criterion: 'probability' } }),
    [200, { id: 1001, queued: 0, meanHandleTimeSec: 300, estimator: { criterion: 'probability' } }])
  t.equal(await slots(sim, 'v=1&skill=Sales&maxWaitTime=300'), '{"availableSlots":4}', 'the skill: probability, p from the default')
  t.equal(await slots(sim, 'v=1&skill=Billing&maxWaitTime=300'), '{"availableSlots":5}', 'another skill keeps the scenario\'s mean: 3 + ⌊300·4/600⌋')
  t.strictSame(await call(sim, 'PUT', url, { id: 1001, queued: 0, meanHandleTimeSec: 300, estimator: { p: 0.95 } }),
    [200, { id: 1001, queued: 0, meanHandleTimeSec: 300, estimator: { p: 0.95 } }])
  t.equal(await slots(sim, 'v=1&skill=Sales&maxWaitTime=300'), '{"availableSlots":5}', 'p alone: the criterion still comes from the scenario (mean)')
  await call(sim, 'PUT', '/__admin/estimator', {})
  t.equal(await slots(sim, 'v=1&skill=Sales&maxWaitTime=300'), '{"availableSlots":3}', 'now probability with the skill\'s 0.95: the 1st waiting chat (0.950)')
  t.strictSame(await call(sim, 'PATCH', url, { estimator: null }), [200, { id: 1001, queued: 0, meanHandleTimeSec: 300 }])
  t.equal(await slots(sim, 'v=1&skill=Sales&maxWaitTime=300'), '{"availableSlots":4}')
  await refused(t, sim, 'PATCH', url, { estimator: { criterion: 'mean', p: 0.9 } }, 400,
    "invalid request: $.estimator.p: p applies to the 'probability' criterion only; leave it out with 'mean'")
  await refused(t, sim, 'PATCH', url, { estimator: { p: 2 } }, 400, 'invalid request: $.estimator.p: must be < 1')
})

t.test('an estimate explains the answer: inputs, the last chat admitted and the first refused', async (t) => {
  const sim = await build(t)
  // Sales: John's 3 slots (1 busy) at 300 s, nobody queued: R = 0.01/s, R·300 = 3.
  t.strictSame(await call(sim, 'GET', `${ESTIMATE}?skill=Sales&maxWaitTime=300`), [200, {
    account: DEFAULT.account,
    skill: 'Sales',
    maxWaitTime: 300,
    availableSlots: 4,
    inputs: {
      unlimited: false, free: 2, slots: 3, queued: 0, meanHandleTimeSec: 300, releaseRatePerSec: 0.01,
      meanPatienceSec: null, abandonRatePerSec: 0, criterion: 'probability', p: 0.8
    },
    immediate: 2,
    capped: false,
    lastAdmitted: { position: 4, ahead: 1, probability: startProbability(1, 0.01, 0, 300), expectedWaitSec: 200 },
    next: { position: 5, ahead: 2, probability: startProbability(2, 0.01, 0, 300), expectedWaitSec: 300 }
  }])
  t.equal(await slots(sim, 'v=1&skill=Sales&maxWaitTime=300'), '{"availableSlots":4}', 'the same answer as the API')
  t.equal(Number(startProbability(1, 0.01, 0, 300).toFixed(4)), 0.8009, '1 − 4e^−3')
  // Support: patience 180 s, so even the first waiting chat starts in time with less than a/(a + 1) = 0.682.
  const [, support] = await call(sim, 'GET', `${ESTIMATE}?skill=Support&maxWaitTime=600`)
  t.match(support, {
    availableSlots: 0, immediate: 0, lastAdmitted: null, next: { position: 1, ahead: 0 },
    inputs: { free: 2, slots: 5, queued: 2, meanPatienceSec: 180, criterion: 'probability' }
  })
  t.ok((support as { next: { probability: number } }).next.probability < 0.682)
  // The whole account (no skill), immediately: its free slots less the queue, and the first that would wait.
  const [, account] = await call(sim, 'GET', ESTIMATE)
  t.match(account, { maxWaitTime: 0, availableSlots: 3, immediate: 3, lastAdmitted: { position: 3, probability: 1, expectedWaitSec: 0 }, next: { position: 4, ahead: 0, probability: 0 } })
  t.notOk('skill' in (account as object))
  t.equal(await slots(sim, 'v=1'), '{"availableSlots":3}')
})

t.test('an estimate for an unlimited pool or one with no slot', async (t) => {
  const sim = await build(t, 'multi-tenant')
  const [, unlimited] = await call(sim, 'GET', '/__admin/accounts/50000003/estimate?skill=Returns&maxWaitTime=60')
  t.match(unlimited, { availableSlots: -1, lastAdmitted: null, next: null, inputs: { unlimited: true } })
  const [, none] = await call(sim, 'GET', '/__admin/accounts/50000003/estimate?skill=Support&maxWaitTime=60')
  t.match(none, { availableSlots: 0, inputs: { slots: 0, meanHandleTimeSec: null, releaseRatePerSec: 0 }, next: { position: 1, probability: 0, expectedWaitSec: null } })
})

t.test('a bad estimate query is refused with what is allowed', async (t) => {
  const sim = await build(t)
  await refused(t, sim, 'GET', `${ESTIMATE}?maxWaitTime=86401`, undefined, 400, 'invalid request: maxWaitTime must be a whole number of seconds from 0 to 86400')
  await refused(t, sim, 'GET', `${ESTIMATE}?maxWaitTime=-1`, undefined, 400, 'invalid request: maxWaitTime must be a whole number of seconds from 0 to 86400')
  await refused(t, sim, 'GET', `${ESTIMATE}?skill=a-b`, undefined, 400, 'invalid request: skill must be a skill name: 1 to 100 letters and digits')
  await refused(t, sim, 'GET', `${ESTIMATE}?skill=Sales&skill=Billing`, undefined, 400, "invalid request: parameter 'skill' given 2 times; give it once")
  await refused(t, sim, 'GET', `${ESTIMATE}?agent=John`, undefined, 400, "invalid request: unknown parameter 'agent'; use skill and maxWaitTime")
  await refused(t, sim, 'GET', `${ESTIMATE}?skill=%ZZ`, undefined, 400, 'invalid request: the query is not valid percent-encoding (skill=%ZZ)')
  await refused(t, sim, 'GET', `${ESTIMATE}?skill=Marketing`, undefined, 404, `skill 'Marketing' does not exist in account ${DEFAULT.account}`)
  await refused(t, sim, 'GET', '/__admin/accounts/999/estimate', undefined, 404, 'account 999 does not exist; PUT /__admin/accounts/999 creates it')
  // The account is looked up first: a missing one is 404 whatever the query.
  await refused(t, sim, 'GET', '/__admin/accounts/999/estimate?maxWaitTime=-1&x=1', undefined, 404, 'account 999 does not exist; PUT /__admin/accounts/999 creates it')
})

t.test('a scenario file with a criterion loads it; a bad one is refused with its path', async (t) => {
  const doc = {
    description: 'criteria',
    estimator: { p: 0.5 },
    accounts: {
      1: {
        skills: { S: { id: 1, queued: 2, meanHandleTimeSec: 300, estimator: { criterion: 'mean' } }, T: { id: 2, queued: 2, meanHandleTimeSec: 300 } },
        agents: { A: { id: 1, nickname: 'A', chatState: 'Online', maxChats: 9, activeChats: 9, skills: ['S', 'T'] } },
        sessions: { s: { agent: 'A', bearer: 'ab'.repeat(32) } }
      }
    }
  }
  const sim = await build(t, doc as never)
  const ask = async (query: string): Promise<string> => (await sim.request({ url: slotsUrl('1', 's', query), headers: bearer('ab'.repeat(32)) })).body
  t.equal(await ask('v=1&skill=S&maxWaitTime=120'), '{"availableSlots":1}', 'mean: 0 − 2 + ⌊3.6⌋')
  t.equal(await ask('v=1&skill=T&maxWaitTime=120'), '{"availableSlots":1}', 'the scenario\'s p = 0.5: 0.697 ≥ 0.5 > 0.485')
  t.strictSame((await call(sim, 'GET', '/__admin/scenario'))[1], doc, 'the snapshot gives back what was loaded')
  const bad = { ...doc, estimator: { criterion: 'mean', p: 0.5 } }
  await refused(t, sim, 'PUT', '/__admin/scenario', bad, 400, "invalid request: $.estimator.p: p applies to the 'probability' criterion only; leave it out with 'mean'")
  const badSkill = structuredClone(doc) as any
  badSkill.accounts[1].skills.S.estimator = { criterion: 'mean', p: 0.5 }
  await refused(t, sim, 'PUT', '/__admin/scenario', badSkill, 400,
    "invalid request: $.accounts['1'].skills.S.estimator.p: p applies to the 'probability' criterion only; leave it out with 'mean'")
})

t.test('the explanation shown in docs/estimator.md is what the route answers', async (t) => {
  const doc = readFileSync(join(packageRoot, 'docs', 'estimator.md'), 'utf8')
  const shown = /`GET (\/__admin\/accounts\/12345678\S+)` answers:\n\n```json\n([^`]+)```/.exec(doc)
  t.ok(shown, 'docs/estimator.md shows a request and its answer')
  const sim = await build(t)
  t.strictSame(await call(sim, 'GET', (shown as RegExpExecArray)[1] as string), [200, JSON.parse((shown as RegExpExecArray)[2] as string)])
})
