import t from 'tap'
import fc from 'fast-check'
import { holds } from '../helpers/property.js'
import {
  availableSlots, digammaDifference, expectedWait, explain, MAX_SLOTS, RememberedAnswers, releasesWithin, resolveCriterion,
  settingsProblem, startProbability, type Criterion, type Pool
} from '../../src/domain/estimator.js'

/** A skill's pool: F free of S slots, Q queued, handle time h, so R = S/h. */
const pool = (free: number, slots: number, queued: number, handle: number, patience?: number): Pool => ({
  unlimited: false, free, slots, queued, release: { num: BigInt(slots), den: BigInt(handle) }, meanPatienceSec: patience
})
const mean: Criterion = { criterion: 'mean' }
const probability = (p: number): Criterion => ({ criterion: 'probability', p })

/** P(Poisson(λ) ≥ n) by direct summation of the terms below n: independent of the incomplete gamma function. */
function poissonTail (lambda: number, n: number): number {
  let term = Math.exp(-lambda)
  let below = 0
  for (let k = 0; k < n; k++) {
    below += term
    term *= lambda / (k + 1)
  }
  return 1 - below
}

/**
 * P(a chat with j ahead starts within T) from the Markov chain itself, by uniformization: states k = chats still
 * ahead (j … 0), a release or one of the k ahead leaving moves to k − 1, a release in state 0 starts the chat,
 * and the chat's own visitor leaves at rate θ. Independent of the closed form (incomplete beta) under test.
 */
function chainStartProbability (j: number, rate: number, theta: number, seconds: number): number {
  const uniform = rate + (j + 1) * theta
  let state = new Float64Array(j + 1)
  state[j] = 1
  let started = 0
  let weight = Math.exp(-uniform * seconds)
  let cumulative = 0
  let startedByStep = 0
  for (let n = 0; cumulative < 1 - 1e-15 && n < 100_000; n++) {
    cumulative += weight
    startedByStep += weight * started
    const next = new Float64Array(j + 1)
    for (let k = 0; k <= j; k++) {
      const mass = state[k] as number
      if (mass === 0) continue
      const down = rate + k * theta
      if (k === 0) started += mass * rate / uniform
      else next[k - 1] = (next[k - 1] as number) + mass * down / uniform
      next[k] = (next[k] as number) + mass * (1 - (down + theta) / uniform)
    }
    state = next
    weight *= uniform * seconds / (n + 1)
  }
  return startedByStep
}

t.test('the worked example of docs/estimator.md: 9 slots all busy, Q = 2, h = 300 s, T = 120 s', async (t) => {
  t.equal(availableSlots(pool(0, 9, 2, 300), 120, mean), 1, 'mean: 0 − 2 + ⌊3.6⌋ = 1')
  t.equal(availableSlots(pool(0, 9, 2, 300, 180), 120, mean), 2, 'mean, θ = 1/180: the 4th release is expected at 107 s ≤ 120')
  t.same([0, 1, 2, 3, 4].map((j) => Math.round(expectedWait(j, 0.03, 1 / 180))), [33, 61, 86, 107, 126], 'the cumulative predicted waits')
  t.equal(availableSlots(pool(0, 9, 2, 300), 120), 0, 'probability 0.8 (the default): the first new chat starts in time with 0.697')
  t.equal(availableSlots(pool(0, 9, 2, 300, 180), 120), 0, 'with θ = 1/180, counting its own patience: 0.555')
  t.equal(availableSlots(pool(0, 9, 2, 300), 120, probability(0.5)), 1, 'p = 0.5: 0.697 ≥ 0.5 > 0.485')
  t.same([0, 1, 2, 3].map((j) => Number(startProbability(j, 0.03, 0, 120).toFixed(3))), [0.973, 0.874, 0.697, 0.485])
  t.equal(Number(startProbability(2, 0.03, 1 / 180, 120).toFixed(3)), 0.555)
})

t.test('the release rate counts every slot of the pool, busy and free (R = S/h)', async (t) => {
  // One Online agent, maxChats 2, nothing active, Q = 0, h = 60 s, T = 615 s: R = 2/60, R·T = 20.5.
  t.equal(availableSlots(pool(2, 2, 0, 60), 615, mean), 22, 'mean: 2 + ⌊20.5⌋')
  t.equal(availableSlots(pool(2, 2, 0, 60), 615), 19, 'probability 0.8: the 17th waiting chat starts in time with 0.810, the 18th with 0.739')
  t.same(explain(pool(2, 2, 0, 60), 615), {
    availableSlots: 19,
    immediate: 2,
    capped: false,
    lastAdmitted: { position: 19, ahead: 16, probability: startProbability(16, 2 / 60, 0, 615), expectedWaitSec: 17 * 30 },
    next: { position: 20, ahead: 17, probability: startProbability(17, 2 / 60, 0, 615), expectedWaitSec: 18 * 30 }
  })
  t.ok(startProbability(16, 2 / 60, 0, 615) >= 0.8 && startProbability(17, 2 / 60, 0, 615) < 0.8, 'tight at p')
})

t.test('with short patience the probability criterion admits no chat that mostly never starts', async (t) => {
  // Ten agents with one slot each, all busy, h = 300 s, patience 30 s, Q = 20, T = 600 s: a = R/θ = 1, so even
  // a chat that is never overtaken starts with probability at most 1/(1 + 21).
  t.equal(availableSlots(pool(0, 10, 20, 300, 30), 600, mean), MAX_SLOTS, 'the mean criterion over-promises')
  t.equal(availableSlots(pool(0, 10, 20, 300, 30), 600), 0)
  t.ok(startProbability(20, 1 / 30, 1 / 30, 600) < 1 / 22)
})

t.test('the start probability is P(Poisson(R·T) ≥ j + 1) without patience', async (t) => {
  holds(t, 'incomplete gamma = Poisson tail', fc.property(fc.integer({ min: 0, max: 60 }), fc.double({ min: 1e-3, max: 40, noNaN: true }),
    (j, lambda) => Math.abs(startProbability(j, lambda / 100, 0, 100) - poissonTail(lambda, j + 1)) <= 1e-12))
})

t.test('large Poisson tails are accurate (values from mpmath at 30 digits)', async (t) => {
  // λ = 86400·(6/720 + 2/420 + 4/600), the default scenario's whole account over a day; @stdlib's gammainc gave 0.79799.
  const lambda = 86400 * (6 / 720 + 2 / 420 + 4 / 600)
  t.ok(Math.abs(startProbability(1672, lambda / 86400, 0, 86400) - 0.800709070302903) <= 1e-9, 'P(1673, 1707.43)')
  t.ok(Math.abs(startProbability(99_999, 1, 0, 100_265.63132345414) - 0.7996330501902471) <= 1e-9, 'P(1e5, 1e5 + 0.84·√1e5)')
  t.equal(startProbability(0, 1, 0, 1e6), 1, 'a tail that underflows is 0 and its complement 1')
  t.equal(startProbability(1e6, 1, 0, 10), 0)
})

t.test('with patience the closed form agrees with the Markov chain it describes', async (t) => {
  t.ok(Math.abs(chainStartProbability(2, 0.03, 1 / 180, 120) - startProbability(2, 0.03, 1 / 180, 120)) <= 1e-10, 'the worked example')
  holds(t, 'closed form = uniformized chain', fc.property(
    fc.integer({ min: 0, max: 30 }), fc.double({ min: 1e-3, max: 0.5, noNaN: true }), fc.double({ min: 1e-4, max: 0.1, noNaN: true }),
    fc.integer({ min: 1, max: 120 }),
    (j, rate, theta, seconds) => Math.abs(chainStartProbability(j, rate, theta, seconds) - startProbability(j, rate, theta, seconds)) <= 1e-10),
  { numRuns: 200 })
})

t.test('immediate availability is the free slots no queued chat is waiting for', async (t) => {
  for (const criterion of [mean, probability(0.8)]) {
    t.equal(availableSlots(pool(5, 8, 2, 300), 0, criterion), 3)
    t.equal(availableSlots(pool(2, 8, 5, 300), 0, criterion), 0)
    t.equal(availableSlots(pool(0, 0, 0, 300), 0, criterion), 0)
    t.equal(availableSlots(pool(0, 0, 0, 60), 86400, criterion), 0, 'no slot at all: nothing frees up')
  }
})

t.test('⌊T·R⌋ is computed in integers', async (t) => {
  t.equal(releasesWithin(86400, { num: 9n, den: 300n }), 2592, '86400 s with 9 slots at 300 s is exactly 2592')
  t.equal(availableSlots(pool(0, 9, 0, 300), 86400, mean), 2592)
  t.equal(releasesWithin(7, { num: 1n, den: 7n }), 1, 'T·S/h exactly 1')
  t.equal(releasesWithin(6, { num: 1n, den: 7n }), 0)
  t.equal(releasesWithin(86400, { num: 9, den: 300 }), 2592, 'as safe integers too')
  t.equal(releasesWithin(86400, { num: 2 ** 40, den: 3 }), Number((86400n * 2n ** 40n) / 3n), 'past 2^53 the BigInt path takes over')
  holds(t, 'number = BigInt', fc.property(fc.integer({ min: 0, max: 86400 }), fc.integer({ min: 0, max: 2 ** 30 }), fc.integer({ min: 1, max: 2 ** 30 }),
    (seconds, num, den) => releasesWithin(seconds, { num, den }) === releasesWithin(seconds, { num: BigInt(num), den: BigInt(den) })))
})

t.test('a wait or a probability within rounding of the limit fits', async (t) => {
  // One slot at 49 s: the first release is expected at exactly 49 s, which floating point makes 49.00000000000001.
  t.equal(availableSlots(pool(0, 1, 0, 49), 49, mean), 1)
  t.equal(availableSlots(pool(0, 1, 0, 49, 60), 49, mean), 1)
  t.equal(availableSlots(pool(0, 1, 0, 49, 60), 48, mean), 0)
  // A wait a few microseconds over T does not fit: the 30th release is due at 18615.0000069 s (exact fractions).
  t.equal(availableSlots(pool(0, 116, 0, 80000, 86399), 18615, mean), 29)
})

t.test('unlimited pools answer -1, whatever the wait and criterion', async (t) => {
  for (const criterion of [mean, probability(0.8)]) {
    t.equal(availableSlots({ ...pool(0, 10, 50, 300), unlimited: true }, 0, criterion), -1)
    t.equal(availableSlots({ ...pool(0, 10, 50, 300, 60), unlimited: true }, 86400, criterion), -1)
  }
  t.same(explain({ ...pool(0, 10, 50, 300), unlimited: true }, 60), { availableSlots: -1, immediate: 0, capped: false })
})

t.test(`answers are capped at ${MAX_SLOTS}`, async (t) => {
  for (const criterion of [mean, probability(0.8)]) {
    t.equal(availableSlots(pool(250_000, 250_000, 0, 300), 0, criterion), MAX_SLOTS)
    t.equal(availableSlots(pool(0, 1_000_000, 0, 1), 86400, criterion), MAX_SLOTS)
    t.equal(availableSlots(pool(0, 1_000_000, 0, 1, 5), 86400, criterion), MAX_SLOTS, 'with patience too')
    t.equal(availableSlots(pool(0, 1_000, 200_000, 1), 150, criterion), 0, 'a queue longer than the cap still counts in full')
    t.equal(availableSlots(pool(0, 1_000, 1_000_000_000, 1), 86400, criterion), 0, 'a billion queued')
  }
  const capped = explain(pool(0, 1_000_000, 0, 1), 86400)
  t.same([capped.availableSlots, capped.capped, capped.lastAdmitted?.position, capped.next?.position], [MAX_SLOTS, true, MAX_SLOTS, MAX_SLOTS + 1])
})

t.test('an explanation shows the last chat admitted and the first refused', async (t) => {
  const immediateOnly = explain(pool(3, 6, 1, 300), 0)
  t.same(immediateOnly, {
    availableSlots: 2,
    immediate: 2,
    capped: false,
    lastAdmitted: { position: 2, probability: 1, expectedWaitSec: 0 },
    next: { position: 3, ahead: 0, probability: 0, expectedWaitSec: 50 }
  }, 'T = 0: the free slots, and the first chat that would wait')
  const nothing = explain(pool(0, 0, 4, 300), 600)
  t.same(nothing, { availableSlots: 0, immediate: 0, capped: false, next: { position: 1, ahead: 4, probability: 0, expectedWaitSec: Infinity } })
  const patient = explain(pool(0, 9, 2, 300, 180), 120, probability(0.5))
  t.same(patient, {
    availableSlots: 1,
    immediate: 0,
    capped: false,
    lastAdmitted: { position: 1, ahead: 2, probability: startProbability(2, 0.03, 1 / 180, 120), expectedWaitSec: expectedWait(2, 0.03, 1 / 180) },
    next: { position: 2, ahead: 3, probability: startProbability(3, 0.03, 1 / 180, 120), expectedWaitSec: expectedWait(3, 0.03, 1 / 180) }
  })
})

t.test('criteria resolve field by field: the skill, then the scenario, then the default', async (t) => {
  t.same(resolveCriterion(), { criterion: 'probability', p: 0.8 })
  t.same(resolveCriterion(undefined, { p: 0.9 }), { criterion: 'probability', p: 0.9 })
  t.same(resolveCriterion({ p: 0.95 }, { p: 0.9 }), { criterion: 'probability', p: 0.95 })
  t.same(resolveCriterion({ criterion: 'mean' }, { p: 0.9 }), { criterion: 'mean' })
  t.same(resolveCriterion({ p: 0.7 }, { criterion: 'mean' }), { criterion: 'mean' }, 'the scenario says mean; the skill only sets p')
  t.same(resolveCriterion({ criterion: 'probability' }, { criterion: 'mean' }), { criterion: 'probability', p: 0.8 })
  t.equal(settingsProblem({ criterion: 'mean', p: 0.9 }), "p applies to the 'probability' criterion only; leave it out with 'mean'")
  t.equal(settingsProblem({ p: 0.9 }), undefined)
})

t.test('remembered answers are those the estimator gives, and change with the criterion', async (t) => {
  let asked = 0
  const answers = new RememberedAnswers(() => { asked++; return pool(0, 9, 2, 300) })
  t.equal(answers.get(120, probability(0.5)), 1)
  t.equal(answers.get(120, probability(0.5)), 1)
  t.equal(asked, 1, 'the second answer is remembered')
  t.equal(answers.get(120, probability(0.8)), 0, 'another p')
  t.equal(answers.get(120, mean), 1, 'another criterion')
  t.equal(asked, 3)
  answers.forget()
  t.equal(answers.get(120, mean), 1)
  t.equal(asked, 4, 'forgotten when the pool changes')
  for (let wait = 0; wait < 1000; wait++) answers.get(wait, mean)
  t.equal(answers.get(999, mean), availableSlots(pool(0, 9, 2, 300), 999, mean), 'past its bound it forgets and goes on answering')
})

t.test('the digamma difference matches harmonic numbers and its recurrence', async (t) => {
  // ψ(1 + n) − ψ(1) = H_n.
  let harmonic = 0
  for (let n = 1; n <= 1000; n++) {
    harmonic += 1 / n
    if ([1, 2, 10, 100, 1000].includes(n)) t.ok(Math.abs(digammaDifference(1, n) - harmonic) <= 1e-13 * harmonic, `H_${n}`)
  }
  holds(t, 'ψ(a + n + 1) − ψ(a) = ψ(a + n) − ψ(a) + 1/(a + n)', fc.property(
    fc.double({ min: 1e-3, max: 1e7, noNaN: true }), fc.integer({ min: 0, max: 100_000 }),
    (a, n) => Math.abs(digammaDifference(a, n + 1) - digammaDifference(a, n) - 1 / (a + n)) <= 1e-12 * digammaDifference(a, n + 1)))
})

t.test('the closed form of the expected wait agrees with the direct sum', async (t) => {
  holds(t, 'closed form = direct sum', fc.property(
    fc.integer({ min: 8, max: 3000 }), fc.double({ min: 1e-4, max: 500, noNaN: true }), fc.double({ min: 1e-6, max: 1, noNaN: true }),
    (j, rate, theta) => {
      let direct = 0
      for (let i = 0; i <= j; i++) direct += 1 / (rate + i * theta)
      return Math.abs(expectedWait(j, rate, theta) - direct) <= 1e-12 * direct
    }))
})

const arbitraryPool = fc.record({
  slots: fc.integer({ min: 0, max: 400 }),
  busy: fc.double({ min: 0, max: 1, noNaN: true }),
  queued: fc.integer({ min: 0, max: 300 }),
  handle: fc.integer({ min: 1, max: 3600 }),
  patience: fc.option(fc.integer({ min: 1, max: 3600 }), { nil: undefined })
}).map(({ slots, busy, queued, handle, patience }) => pool(slots - Math.round(busy * slots), slots, queued, handle, patience))
const arbitraryCriterion = fc.oneof(fc.constant(mean), fc.double({ min: 0.01, max: 0.99, noNaN: true }).map(probability))

t.test('the search finds what a slot-by-slot count finds', async (t) => {
  holds(t, 'bisection = slot-by-slot count', fc.property(arbitraryPool, fc.integer({ min: 1, max: 3600 }), arbitraryCriterion, (p, wait, criterion) => {
    const now = Math.max(0, p.free - p.queued)
    const rate = Number(p.release.num) / Number(p.release.den)
    const theta = p.meanPatienceSec === undefined ? 0 : 1 / p.meanPatienceSec
    const ahead = Math.max(0, p.queued - p.free)
    const fits = (j: number): boolean => criterion.criterion === 'mean'
      ? expectedWait(j, rate, theta) <= wait * (1 + 1e-12)
      : startProbability(j, rate, theta, wait) >= criterion.p - 1e-12
    let extra = 0
    if (rate > 0) while (now + extra < MAX_SLOTS && fits(ahead + extra)) extra++
    return availableSlots(p, wait, criterion) === Math.min(MAX_SLOTS, now + extra)
  }), { numRuns: 300 })
})

t.test('the answer never falls as the wait grows, never rises with p, and is bounded', async (t) => {
  holds(t, 'monotone in T and p', fc.property(arbitraryPool, fc.integer({ min: 0, max: 86400 }), fc.integer({ min: 0, max: 86400 }),
    fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.double({ min: 0.01, max: 0.99, noNaN: true }),
    (p, a, b, p1, p2) => {
      const [shorter, longer] = a <= b ? [a, b] : [b, a]
      const [lower, higher] = p1 <= p2 ? [p1, p2] : [p2, p1]
      const answers = [
        availableSlots(p, shorter, probability(higher)), availableSlots(p, longer, probability(higher)),
        availableSlots(p, shorter, probability(lower)), availableSlots(p, longer, probability(lower))
      ]
      const [sh, lh, sl, ll] = answers as [number, number, number, number]
      return sh <= lh && sl <= ll && sh <= sl && lh <= ll &&
        availableSlots(p, shorter, mean) <= availableSlots(p, longer, mean) &&
        answers.every((n) => n >= 0 && n <= MAX_SLOTS)
    }))
  holds(t, 'T = 0 gives max(0, F − Q)', fc.property(arbitraryPool, arbitraryCriterion,
    (p, criterion) => availableSlots(p, 0, criterion) === Math.min(MAX_SLOTS, Math.max(0, p.free - p.queued))))
  holds(t, '-1 exactly when the pool is unlimited', fc.property(arbitraryPool, fc.boolean(), fc.integer({ min: 0, max: 86400 }), arbitraryCriterion,
    (p, unlimited, wait, criterion) => (availableSlots({ ...p, unlimited }, wait, criterion) === -1) === unlimited))
})
