import t from 'tap'
import fc from 'fast-check'
import { holds } from '../helpers/property.js'
import { availableSlots, digammaDifference, expectedWait, MAX_SLOTS, releasesWithin, type Pool } from '../../src/domain/estimator.js'

const pool = (free: number, queued: number, active: number, handle: number, patience?: number): Pool => ({
  unlimited: false, free, queued, release: { num: BigInt(active), den: BigInt(handle) }, meanPatienceSec: patience
})

t.test('the worked example of wait-estimator.md', async (t) => {
  // 9 slots, all busy, Q = 2, h = 300 s → R = 0.03/s.
  t.equal(availableSlots(pool(0, 2, 9, 300), 120), 1, 'T = 120: 0 − 2 + ⌊3.6⌋ = 1')
  t.equal(availableSlots(pool(0, 2, 9, 300, 180), 120), 2, 'with θ = 1/180 the 4th release is expected at 107 s ≤ 120')
  const waits = [0, 1, 2, 3, 4].map((j) => Math.round(expectedWait(j, 0.03, 1 / 180)))
  t.same(waits, [33, 61, 86, 107, 126], 'the cumulative predicted waits of the example')
})

t.test('a wait that equals T exactly fits, with or without abandonment', async (t) => {
  // One busy slot at 49 s: the first release is expected at exactly 49 s, which floating point makes 49.00000000000001.
  t.equal(availableSlots(pool(0, 0, 1, 49), 49), 1)
  t.equal(availableSlots(pool(0, 0, 1, 49, 60), 49), 1)
  t.equal(availableSlots(pool(0, 0, 1, 49, 60), 48), 0)
  // A wait a few microseconds over T does not fit: the 30th release is due at 18615.0000069 s (exact fractions).
  t.equal(availableSlots(pool(0, 0, 116, 80000, 86399), 18615), 29)
})

t.test('immediate availability is the free slots no queued chat is waiting for', async (t) => {
  t.equal(availableSlots(pool(5, 2, 3, 300), 0), 3)
  t.equal(availableSlots(pool(2, 5, 3, 300), 0), 0)
  t.equal(availableSlots(pool(0, 0, 0, 300), 0), 0)
})

t.test('⌊T·R⌋ is computed in integers', async (t) => {
  t.equal(releasesWithin(86400, { num: 9n, den: 300n }), 2592, '86400 s with 9 busy slots at 300 s is exactly 2592')
  t.equal(availableSlots(pool(0, 0, 9, 300), 86400), 2592)
  t.equal(releasesWithin(7, { num: 1n, den: 7n }), 1, 'T·A/h exactly 1')
  t.equal(releasesWithin(6, { num: 1n, den: 7n }), 0)
})

t.test('rates as safe integers and as BigInts give the same ⌊T·R⌋', async (t) => {
  t.equal(releasesWithin(86400, { num: 9, den: 300 }), 2592)
  t.equal(releasesWithin(86400, { num: 2 ** 40, den: 3 }), Number((86400n * 2n ** 40n) / 3n), 'past 2^53 the BigInt path takes over')
  holds(t, 'number = BigInt', fc.property(fc.integer({ min: 0, max: 86400 }), fc.integer({ min: 0, max: 2 ** 30 }), fc.integer({ min: 1, max: 2 ** 30 }),
    (seconds, num, den) => releasesWithin(seconds, { num, den }) === releasesWithin(seconds, { num: BigInt(num), den: BigInt(den) })))
})

t.test('a maxWaitTime adds the chats that slots freeing within it will serve', async (t) => {
  t.equal(availableSlots(pool(1, 3, 6, 60), 30), 1, '1 − 3 + ⌊30·6/60⌋ = 1')
  t.equal(availableSlots(pool(1, 3, 6, 60), 0), 0)
  t.equal(availableSlots(pool(0, 0, 0, 60), 86400), 0, 'nothing busy, nothing free: nothing frees up')
  t.equal(availableSlots(pool(2, 0, 0, 60, 30), 86400), 2, 'with patience and no busy slot, only the free ones')
})

t.test('unlimited pools answer -1, whatever the wait', async (t) => {
  t.equal(availableSlots({ ...pool(0, 50, 10, 300), unlimited: true }, 0), -1)
  t.equal(availableSlots({ ...pool(0, 50, 10, 300, 60), unlimited: true }, 86400), -1)
})

t.test(`answers are capped at ${MAX_SLOTS}`, async (t) => {
  t.equal(availableSlots(pool(250_000, 0, 0, 300), 0), MAX_SLOTS)
  t.equal(availableSlots(pool(0, 0, 1_000_000, 1), 86400), MAX_SLOTS)
  t.equal(availableSlots(pool(0, 0, 1_000_000, 1, 5), 86400), MAX_SLOTS, 'with patience too')
  t.equal(availableSlots(pool(0, 200_000, 1_000, 1), 200), 0, 'a queue longer than the cap still counts in full')
  t.equal(availableSlots(pool(0, 200_000, 1_000, 1), 86400), MAX_SLOTS)
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
  free: fc.integer({ min: 0, max: 500 }),
  queued: fc.integer({ min: 0, max: 500 }),
  active: fc.integer({ min: 0, max: 500 }),
  handle: fc.integer({ min: 1, max: 3600 })
})

t.test('with patience the answer is found by search, and equals a slot-by-slot count', async (t) => {
  holds(t, 'bisection = slot-by-slot count', fc.property(arbitraryPool, fc.integer({ min: 1, max: 3600 }), fc.integer({ min: 1, max: 3600 }),
    ({ free, queued, active, handle }, patience, wait) => {
      // Reference: add slots one at a time while the next chat's expected wait fits (up to rounding),
      // and never fewer than without abandonment.
      const rate = active / handle
      const base = Math.max(0, free - queued)
      let extra = 0
      if (rate > 0) {
        const ahead = Math.max(0, queued - free)
        while (base + extra < MAX_SLOTS && expectedWait(ahead + extra, rate, 1 / patience) <= wait * (1 + 1e-12)) extra++
      }
      const withoutPatience = availableSlots(pool(free, queued, active, handle), wait)
      return availableSlots(pool(free, queued, active, handle, patience), wait) === Math.max(withoutPatience, Math.min(MAX_SLOTS, base + extra))
    }), { numRuns: 300 })
})

t.test('abandonment never lowers the answer, and the answer never falls as the wait grows', async (t) => {
  holds(t, 'monotone in patience and in the wait', fc.property(arbitraryPool, fc.integer({ min: 1, max: 86400 }), fc.integer({ min: 0, max: 86400 }), fc.integer({ min: 0, max: 86400 }),
    ({ free, queued, active, handle }, patience, a, b) => {
      const [shorter, longer] = a <= b ? [a, b] : [b, a]
      const patient = pool(free, queued, active, handle, patience)
      const plain = pool(free, queued, active, handle)
      return availableSlots(patient, longer) >= availableSlots(plain, longer) &&
        availableSlots(patient, shorter) <= availableSlots(patient, longer) &&
        availableSlots(plain, shorter) <= availableSlots(plain, longer)
    }))
})
