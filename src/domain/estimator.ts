/**
 * The wait estimator: how many more chats can start now so that each waits at most T seconds.
 * The theory, formulas and worked example are in docs/estimator.md.
 */

/** Every finite answer is capped here, so a huge pool or a long wait gives a bounded, documented number. */
export const MAX_SLOTS = 100_000

/** "Unlimited", as the real API says it. */
export const UNLIMITED = -1

/**
 * A rate as an exact fraction (per second), so ⌊T·R⌋ has no floating-point error: safe integers when they
 * fit (a skill's busy slots over its handle time always do), BigInts when they do not (an account's sum).
 */
export type Rate = { num: number, den: number } | { num: bigint, den: bigint }

/** What a pool of Online agents (one skill's, or a whole account's) offers to a new chat. */
export interface Pool {
  /** Some Online agent in the pool takes any number of chats. */
  unlimited: boolean
  /** F: slots free now. */
  free: number
  /** Q: chats already waiting, ahead of any new one. */
  queued: number
  /** R: the rate at which the pool's busy slots free up. */
  release: Rate
  /** Mean patience of a waiting visitor, if visitors abandon (θ = 1 / patience). */
  meanPatienceSec?: number
}

const cap = (n: number): number => Math.min(n, MAX_SLOTS)

/** Available slots of a pool for a maximum wait of `maxWaitSec` (0: immediately). */
export function availableSlots (pool: Pool, maxWaitSec: number): number {
  if (pool.unlimited) return UNLIMITED
  const now = Math.max(0, pool.free - pool.queued)
  if (maxWaitSec <= 0 || Number(pool.release.num) === 0) return cap(now)
  const withoutPatience = Math.max(0, pool.free - pool.queued + releasesWithin(maxWaitSec, pool.release))
  if (pool.meanPatienceSec === undefined) return cap(withoutPatience)
  return cap(now + chatsServedWithPatience(pool, maxWaitSec, MAX_SLOTS - now, withoutPatience - now))
}

/** ⌊T·R⌋ in exact integer arithmetic (86400 s with 9 busy slots at 300 s is 2592, not 2591). */
export function releasesWithin (seconds: number, rate: Rate): number {
  if (typeof rate.num === 'number') {
    const releases = seconds * rate.num
    // For integers p < 2^53 and q ≥ 1, p / q rounds to the nearest double but never across an integer.
    if (releases <= Number.MAX_SAFE_INTEGER) return Math.floor(releases / (rate.den as number))
  }
  return Number((BigInt(seconds) * BigInt(rate.num)) / BigInt(rate.den))
}

/**
 * The largest x ≤ room such that the x-th chat after the free slots are used up is expected to start
 * within T, when visitors ahead of it abandon at rate θ each. Abandonment only shortens waits, so the exact
 * count without it (`atLeast`) always fits; from there, galloping then bisection: O(log x) waits, no loop per slot.
 */
function chatsServedWithPatience (pool: Pool, maxWaitSec: number, room: number, atLeast: number): number {
  if (room <= 0) return 0
  const rate = Number(pool.release.num) / Number(pool.release.den)
  const theta = 1 / (pool.meanPatienceSec as number)
  const ahead = Math.max(0, pool.queued - pool.free)
  // The x-th chat fits when expectedWait(ahead + x − 1) ≤ T; a wait within rounding error of T counts as T.
  const limit = maxWaitSec * (1 + WAIT_TOLERANCE)
  const fits = (x: number): boolean => expectedWait(ahead + x - 1, rate, theta) <= limit
  let lo = Math.min(Math.max(0, atLeast), room)
  if (lo === 0) {
    if (!fits(1)) return 0
    lo = 1
  }
  // Invariant: lo fits; hi does not fit, or is past the room.
  let hi = lo * 2
  while (hi <= room && fits(hi)) {
    lo = hi
    hi *= 2
  }
  hi = Math.min(hi, room + 1)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (fits(mid)) lo = mid
    else hi = mid
  }
  return lo
}

/**
 * Relative slack for floating-point rounding: 1/(1/49) is 49.00000000000001, and must still fit in T = 49.
 * The waits are computed to about 1e-14; a true wait more than 1e-12 of T beyond T never fits.
 */
const WAIT_TOLERANCE = 1e-12

/** Below this many terms the sum is added up directly; above, the digamma closed form is exact enough and O(1). */
const DIRECT_SUM_TERMS = 8

/**
 * Expected wait of a chat with j chats ahead of it: Σ_{i=0..j} 1/(R + i·θ)
 * = (ψ(R/θ + j + 1) − ψ(R/θ)) / θ.
 */
export function expectedWait (j: number, rate: number, theta: number): number {
  if (j < DIRECT_SUM_TERMS) {
    let sum = 0
    for (let i = 0; i <= j; i++) sum += 1 / (rate + i * theta)
    return sum
  }
  return digammaDifference(rate / theta, j + 1) / theta
}

/**
 * ψ(a + n) − ψ(a) for a > 0, n ≥ 0, computed as a difference throughout (log1p and differences of the
 * asymptotic series), so that it keeps its relative accuracy even when a is much larger than n.
 */
export function digammaDifference (a: number, n: number): number {
  let sum = 0
  // ψ(x + 1) = ψ(x) + 1/x: shift both arguments up until the asymptotic series is accurate.
  while (a < 10) {
    sum += 1 / a - 1 / (a + n)
    a += 1
  }
  const b = a + n
  return sum + Math.log1p(n / a) - 0.5 * (1 / b - 1 / a) - (series(b) - series(a))
}

/** The asymptotic series of ψ(x) − ln x + 1/(2x), for x ≥ 10 (error below 1e-14). */
function series (x: number): number {
  const f = 1 / (x * x)
  return f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))))
}
