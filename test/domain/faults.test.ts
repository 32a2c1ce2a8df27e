import t from 'tap'
import { DEFAULT_SEED, Faults, type Decision, type FaultSpec } from '../../src/domain/faults.js'

const SLOTS = '/api/account/111/agentSession/s1/availableSlots'

/** Whether each of `n` requests drew a fault: '1' fired, '0' did not. */
function firings (faults: Faults, n: number, method = 'GET', path = SLOTS, account: string | undefined = '111'): string {
  let out = ''
  for (let i = 0; i < n; i++) out += faults.decide(method, path, account) === undefined ? '0' : '1'
  return out
}

/** A decision without the fault copy (its id and fired count are checked apart). */
const shape = (decision: Decision | undefined): unknown => decision === undefined
  ? undefined
  : { delayMs: decision.delayMs, terminal: decision.terminal === undefined ? undefined : { id: decision.terminal.fault.id, effect: decision.terminal.effect } }

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[(values.length - 1) / 2] as number

t.test('with no fault nothing is decided', async (t) => {
  const faults = new Faults()
  t.equal(faults.empty, true)
  t.equal(faults.decide('GET', SLOTS, '111'), undefined)
  t.strictSame(faults.list(), [])
  t.equal(faults.seed, DEFAULT_SEED)
  t.equal(DEFAULT_SEED, 1)
})

t.test('add gives each fault an id and a fired count of 0, and keeps a copy of the spec', async (t) => {
  const faults = new Faults()
  const spec: FaultSpec = { match: { path: '/api/*', account: '111', method: 'GET' }, effect: { type: 'error', status: 503, message: 'down' }, probability: 0.25, count: 3 }
  const added = faults.add(spec)
  t.strictSame(added, { ...spec, id: 'fault-1', fired: 0 })
  t.strictSame(faults.add({ effect: { type: 'drop' } }), { effect: { type: 'drop' }, id: 'fault-2', fired: 0 })
  t.equal(faults.empty, false)
  spec.effect = { type: 'malformed' }
  ;(spec.match as { method?: string }).method = 'POST'
  spec.count = 99
  t.strictSame(faults.list(), [
    { match: { path: '/api/*', account: '111', method: 'GET' }, effect: { type: 'error', status: 503, message: 'down' }, probability: 0.25, count: 3, id: 'fault-1', fired: 0 },
    { effect: { type: 'drop' }, id: 'fault-2', fired: 0 }
  ], 'changing the spec after adding it changes nothing')
})

t.test('a fault matches by method, path pattern and account; each left out matches any', async (t) => {
  const faults = new Faults()
  faults.add({ match: { method: 'GET', path: '/api/account/*/agentSession/*/availableSlots*', account: '111' }, effect: { type: 'error', status: 503 } })
  t.equal(faults.decide('POST', SLOTS, '111'), undefined, 'another method')
  t.equal(faults.decide('get', SLOTS, '111'), undefined, 'the method exactly')
  t.equal(faults.decide('GET', '/api/account/111/other', '111'), undefined, 'another path')
  t.equal(faults.decide('GET', `x${SLOTS}`, '111'), undefined, 'the whole path must match')
  t.equal(faults.decide('GET', SLOTS, '222'), undefined, 'another account')
  t.equal(faults.decide('GET', SLOTS, undefined), undefined, 'no account')
  t.strictSame(faults.list().map((fault) => fault.fired), [0], 'none of those fired it')
  t.strictSame(shape(faults.decide('GET', SLOTS, '111')), { delayMs: 0, terminal: { id: 'fault-1', effect: { type: 'error', status: 503 } } })
  t.strictSame(shape(faults.decide('GET', `${SLOTS}.json`, '111')), { delayMs: 0, terminal: { id: 'fault-1', effect: { type: 'error', status: 503 } } })
  t.strictSame(faults.list().map((fault) => fault.fired), [2])

  const any = new Faults()
  any.add({ effect: { type: 'drop' } })
  t.equal(firings(any, 3, 'DELETE', '/whatever', undefined), '111', 'no match: every request')
  const byAccount = new Faults()
  byAccount.add({ match: { account: '222' }, effect: { type: 'malformed' } })
  t.equal(firings(byAccount, 2, 'GET', '/x', '222') + firings(byAccount, 2, 'POST', '/y', '111'), '1100')
  const byMethod = new Faults()
  byMethod.add({ match: { method: 'HEAD' }, effect: { type: 'malformed' } })
  t.equal(firings(byMethod, 2, 'HEAD', '/x', undefined) + firings(byMethod, 2, 'GET', '/x', undefined), '1100')
})

t.test('probability 0 never fires, 1 always does', async (t) => {
  const never = new Faults()
  never.add({ effect: { type: 'drop' }, probability: 0 })
  t.equal(firings(never, 1000), '0'.repeat(1000))
  t.strictSame(never.list().map((fault) => fault.fired), [0])
  const always = new Faults()
  always.add({ effect: { type: 'drop' }, probability: 1 })
  t.equal(firings(always, 1000), '1'.repeat(1000))
  t.strictSame(always.list().map((fault) => fault.fired), [1000])
  const byDefault = new Faults()
  byDefault.add({ effect: { type: 'drop' } })
  t.equal(firings(byDefault, 1000), '1'.repeat(1000), 'the default probability is 1')
})

t.test('probability 0.5 fires about half the time, the same way for the same seed', async (t) => {
  const faults = new Faults(42)
  faults.add({ effect: { type: 'error', status: 503 }, probability: 0.5 })
  const run = firings(faults, 1000)
  const fired = run.split('').filter((c) => c === '1').length
  t.ok(fired >= 400 && fired <= 600, `${fired} of 1000 fired`)
  t.equal(fired, 480, 'seed 42: exactly 480')
  t.equal(run.slice(0, 32), '01001010011001100011010111100110', 'seed 42: the first 32 draws')
  t.strictSame(faults.list().map((fault) => fault.fired), [480])

  const again = new Faults(42)
  again.add({ effect: { type: 'error', status: 503 }, probability: 0.5 })
  t.equal(firings(again, 1000), run, 'a new generator with the same seed decides the same')
  again.reseed(42)
  t.equal(firings(again, 1000), run, 'reseeding restarts the same sequence')
  t.equal(again.seed, 42)

  const other = new Faults(43)
  other.add({ effect: { type: 'error', status: 503 }, probability: 0.5 })
  t.not(firings(other, 1000), run, 'another seed decides otherwise')
})

t.test('reseed changes the seed and restarts the generator from there', async (t) => {
  const faults = new Faults()
  faults.add({ effect: { type: 'latency', uniform: { minMs: 0, maxMs: 1000 } }, probability: 0.7 })
  faults.add({ effect: { type: 'error', status: 500 }, probability: 0.2 })
  faults.add({ effect: { type: 'latency', logNormal: { medianMs: 50, sigma: 1 } }, probability: 0.4 })
  const decisions = (): unknown[] => Array.from({ length: 200 }, () => shape(faults.decide('GET', SLOTS, '111')))
  faults.reseed(9)
  const first = decisions()
  t.equal(faults.seed, 9)
  faults.reseed(9)
  t.strictSame(decisions(), first, 'the same 200 decisions, delays and terminals alike')
  faults.reseed(10)
  t.equal(faults.seed, 10)
  t.notSame(decisions(), first)
  t.equal(first.filter((d) => d === undefined).length > 0 && first.some((d) => d !== undefined), true, 'some fire, some do not')
})

t.test('a fault with a count is gone once it has fired that many times', async (t) => {
  const faults = new Faults()
  faults.add({ effect: { type: 'error', status: 500 }, count: 2 })
  faults.add({ effect: { type: 'latency', ms: 10 } })
  t.strictSame(shape(faults.decide('GET', SLOTS, '111')), { delayMs: 10, terminal: { id: 'fault-1', effect: { type: 'error', status: 500 } } })
  t.strictSame(faults.list().map((fault) => [fault.id, fault.fired]), [['fault-1', 1], ['fault-2', 1]])
  const second = faults.decide('GET', SLOTS, '111')
  t.equal(second?.terminal?.fault.fired, 2, 'the decision tells how often the fault has fired, this time included')
  t.strictSame(faults.list().map((fault) => [fault.id, fault.fired]), [['fault-2', 2]], 'spent, and removed')
  t.strictSame(shape(faults.decide('GET', SLOTS, '111')), { delayMs: 10, terminal: undefined })
  t.equal(faults.empty, false)

  const once = new Faults()
  once.add({ effect: { type: 'drop' }, count: 1 })
  t.equal(firings(once, 3), '100')
  t.strictSame(once.list(), [])
  t.equal(once.empty, true)
})

t.test('only firings count toward a count: a draw that misses does not', async (t) => {
  const faults = new Faults(3)
  faults.add({ effect: { type: 'drop' }, probability: 0.3, count: 4 })
  t.equal(firings(faults, 20), '01010001100000000000', 'seed 3: four firings spread over nine requests, then none')
  t.strictSame(faults.list(), [])
})

t.test('the delays of all latency faults that fire add up', async (t) => {
  const faults = new Faults()
  faults.add({ effect: { type: 'latency', ms: 100 } })
  faults.add({ effect: { type: 'latency', ms: 250 } })
  faults.add({ match: { account: '222' }, effect: { type: 'latency', ms: 5000 } })
  faults.add({ effect: { type: 'latency', ms: 1000 }, probability: 0 })
  t.strictSame(shape(faults.decide('GET', SLOTS, '111')), { delayMs: 350, terminal: undefined })
  t.strictSame(shape(faults.decide('GET', SLOTS, '222')), { delayMs: 5350, terminal: undefined })
  t.strictSame(faults.list().map((fault) => fault.fired), [2, 2, 1, 0])
})

t.test('the first terminal effect that fires is the answer; latency faults after it still add', async (t) => {
  const faults = new Faults()
  faults.add({ effect: { type: 'latency', ms: 50 } })
  faults.add({ effect: { type: 'malformed' } })
  faults.add({ effect: { type: 'error', status: 500 } })
  faults.add({ effect: { type: 'latency', ms: 70 } })
  faults.add({ effect: { type: 'drop' } })
  const decision = faults.decide('GET', SLOTS, '111')
  t.strictSame(shape(decision), { delayMs: 120, terminal: { id: 'fault-2', effect: { type: 'malformed' } } })
  t.equal(decision?.terminal?.fault.fired, 1)
  t.strictSame(faults.list().map((fault) => fault.fired), [1, 1, 0, 1, 0], 'terminals after the first that fired do not fire')

  const firstMisses = new Faults()
  firstMisses.add({ effect: { type: 'error', status: 500 }, probability: 0 })
  firstMisses.add({ effect: { type: 'drop' } })
  firstMisses.add({ effect: { type: 'error', status: 502 } })
  t.strictSame(shape(firstMisses.decide('GET', SLOTS, '111')), { delayMs: 0, terminal: { id: 'fault-2', effect: { type: 'drop' } } },
    'the first that fires, not the first that matches')

  const errorFirst = new Faults()
  errorFirst.add({ effect: { type: 'error', status: 429, message: 'slow down' } })
  errorFirst.add({ effect: { type: 'latency', ms: 30 } })
  t.strictSame(shape(errorFirst.decide('GET', SLOTS, '111')), { delayMs: 30, terminal: { id: 'fault-1', effect: { type: 'error', status: 429, message: 'slow down' } } })
})

t.test('a terminal fault passed over because another already answered draws nothing', async (t) => {
  // The same seed, with and without a terminal fault that can never be reached: the delays must be the same.
  const withSkipped = new Faults(5)
  withSkipped.add({ effect: { type: 'error', status: 500 } })
  withSkipped.add({ effect: { type: 'drop' }, probability: 0.5 })
  withSkipped.add({ effect: { type: 'latency', uniform: { minMs: 0, maxMs: 1000 } } })
  const without = new Faults(5)
  without.add({ effect: { type: 'error', status: 500 } })
  without.add({ effect: { type: 'latency', uniform: { minMs: 0, maxMs: 1000 } } })
  const delays = (faults: Faults): number[] => Array.from({ length: 50 }, () => faults.decide('GET', SLOTS, '111')?.delayMs as number)
  const a = delays(withSkipped)
  t.strictSame(a, delays(without))
  t.equal(new Set(a).size, 50, 'and they do vary')
  t.strictSame(withSkipped.list().map((fault) => fault.fired), [50, 0, 50])
})

t.test('uniform latency stays within its bounds and spreads over them', async (t) => {
  const faults = new Faults(42)
  faults.add({ effect: { type: 'latency', uniform: { minMs: 100, maxMs: 200 } } })
  const first = Array.from({ length: 5 }, () => faults.decide('GET', SLOTS, '111')?.delayMs)
  t.strictSame(first, [144.82905589975417, 166.97340414393693, 152.65925421845168, 162.4744653934613, 147.2317055100575], 'seed 42')
  const delays = Array.from({ length: 2000 }, () => faults.decide('GET', SLOTS, '111')?.delayMs as number)
  t.equal(delays.every((d) => d >= 100 && d < 200), true)
  t.ok(Math.min(...delays) < 105, `min ${Math.min(...delays)}`)
  t.ok(Math.max(...delays) > 195, `max ${Math.max(...delays)}`)
  const mean = delays.reduce((sum, d) => sum + d, 0) / delays.length
  t.ok(Math.abs(mean - 150) < 5, `mean ${mean}`)

  const point = new Faults()
  point.add({ effect: { type: 'latency', uniform: { minMs: 40, maxMs: 40 } } })
  t.equal(point.decide('GET', SLOTS, '111')?.delayMs, 40, 'min = max: exactly that')
})

t.test('logNormal latency has its median at medianMs', async (t) => {
  const faults = new Faults(7)
  faults.add({ effect: { type: 'latency', logNormal: { medianMs: 100, sigma: 0.5 } } })
  const delays = Array.from({ length: 2001 }, () => faults.decide('GET', SLOTS, '111')?.delayMs as number)
  t.strictSame(delays.slice(0, 3).map((d) => Math.round(d * 1e6) / 1e6), [119.357332, 60.460304, 70.48512], 'seed 7')
  const m = median(delays)
  t.ok(m >= 90 && m <= 110, `median ${m} within ±10% of 100`)
  t.equal(Math.round(m * 1e6) / 1e6, 99.251578, 'seed 7')
  t.equal(delays.every((d) => d > 0), true, 'never negative or zero')
  t.ok(Math.max(...delays) > 200 && Math.min(...delays) < 50, 'spread both ways')

  const other = new Faults(11)
  other.add({ effect: { type: 'latency', logNormal: { medianMs: 2000, sigma: 1.5 } } })
  const m2 = median(Array.from({ length: 2001 }, () => other.decide('GET', SLOTS, '111')?.delayMs as number))
  t.ok(m2 >= 1800 && m2 <= 2200, `median ${m2} within ±10% of 2000, for a wide sigma too`)

  const exact = new Faults()
  exact.add({ effect: { type: 'latency', logNormal: { medianMs: 250, sigma: 0 } } })
  t.strictSame(Array.from({ length: 5 }, () => exact.decide('GET', SLOTS, '111')?.delayMs), [250, 250, 250, 250, 250], 'sigma 0: always the median')
})

t.test('remove and clear', async (t) => {
  const faults = new Faults()
  faults.add({ effect: { type: 'drop' } })
  faults.add({ effect: { type: 'latency', ms: 5 } })
  t.equal(faults.remove('fault-1'), true)
  t.equal(faults.remove('fault-1'), false, 'already gone')
  t.equal(faults.remove('fault-9'), false, 'never was')
  t.strictSame(faults.list().map((fault) => fault.id), ['fault-2'])
  t.strictSame(shape(faults.decide('GET', SLOTS, '111')), { delayMs: 5, terminal: undefined })
  faults.clear()
  t.equal(faults.empty, true)
  t.strictSame(faults.list(), [])
  t.equal(faults.decide('GET', SLOTS, '111'), undefined)
  t.equal(faults.add({ effect: { type: 'drop' } }).id, 'fault-3', 'ids are never given twice')
})

t.test('list gives copies: changing them changes no fault', async (t) => {
  const faults = new Faults()
  faults.add({ match: { method: 'GET' }, effect: { type: 'latency', ms: 10 }, count: 5 })
  const listed = faults.list()
  const copy = listed[0] as { match: { method?: string }, effect: { ms: number }, fired: number, count?: number, probability?: number, id: string }
  copy.match.method = 'POST'
  copy.effect.ms = 9999
  copy.fired = 4
  copy.count = 1
  copy.probability = 0
  copy.id = 'fault-x'
  listed.pop()
  t.strictSame(faults.list(), [{ match: { method: 'GET' }, effect: { type: 'latency', ms: 10 }, count: 5, id: 'fault-1', fired: 0 }])
  t.strictSame(shape(faults.decide('GET', SLOTS, '111')), { delayMs: 10, terminal: undefined })
  t.strictSame(faults.list().map((fault) => fault.fired), [1])
  t.not(faults.list()[0], faults.list()[0], 'a new copy each time')
})
