/**
 * The wait estimator: how many more chats can start now so that each meets the criterion for a maximum wait T
 * (by default: starts within T with probability at least p = 0.8). The theory, formulas and worked examples are
 * in docs/estimator.md.
 */
import cephes from 'cephes'
import type { Static } from 'typebox'
import type { EstimatorSettings as EstimatorSettingsSchema } from './scenario-schema.js'

// Cephes (netlib's, as WebAssembly) is compiled synchronously on Node; the promise only matters in browsers.
await cephes.compiled

/** The longest wait a question may ask about (`maxWaitTime`, seconds): a day, as the vendor documents it. */
export const MAX_WAIT_TIME = 86_400

/** Every finite answer is capped here, so a huge pool or a long wait gives a bounded, documented number. */
export const MAX_SLOTS = 100_000

/** "Unlimited", as the real API says it. */
export const UNLIMITED = -1

/**
 * When a waiting chat counts as served in time: it starts within T with probability at least p, or its
 * expected wait (ignoring its own patience) is at most T.
 */
export type Criterion = { criterion: 'probability', p: number } | { criterion: 'mean' }

export const DEFAULT_P = 0.8
export const DEFAULT_CRITERION: Criterion = { criterion: 'probability', p: DEFAULT_P }

/** The criterion as a scenario writes it, on its root or on a skill; a field left out comes from further up. */
export type EstimatorSettings = Static<typeof EstimatorSettingsSchema>

/** A skill's criterion: each field from the skill's settings, else the scenario's, else the default. */
export function resolveCriterion (own?: EstimatorSettings, scenario?: EstimatorSettings): Criterion {
  if (own === undefined && scenario === undefined) return DEFAULT_CRITERION
  const criterion = own?.criterion ?? scenario?.criterion ?? DEFAULT_CRITERION.criterion
  return criterion === 'mean' ? { criterion } : { criterion, p: own?.p ?? scenario?.p ?? DEFAULT_P }
}

/** What the schema cannot say: p belongs to the probability criterion. */
export function settingsProblem (settings: EstimatorSettings): string | undefined {
  return settings.criterion === 'mean' && settings.p !== undefined
    ? "p applies to the 'probability' criterion only; leave it out with 'mean'"
    : undefined
}

/**
 * A rate as an exact fraction (per second), so ⌊T·R⌋ has no floating-point error: safe integers when they
 * fit (a skill's slots over its handle time always do), BigInts when they do not (an account's sum).
 */
export type Rate = { num: number, den: number } | { num: bigint, den: bigint }

/** What a pool of Online agents (one skill's, or a whole account's) offers to a new chat. */
export interface Pool {
  /** Some Online agent in the pool takes any number of chats. */
  unlimited: boolean
  /** F: slots free now. */
  free: number
  /** S: all the slots of the pool's (limited) Online agents, busy and free. */
  slots: number
  /** Q: chats already waiting, ahead of any new one. */
  queued: number
  /**
   * R: the rate at which slots free up once every one is busy, as it is when a new chat has to wait (the free
   * ones were filled first): all S slots, each freeing at 1/h.
   */
  release: Rate
  /** Mean patience of a waiting visitor, if visitors abandon (θ = 1 / patience). */
  meanPatienceSec?: number
}

/** How the answer came about: enough to see that it is tight (docs/estimator.md, "Explanations"). */
export interface Explanation {
  availableSlots: number
  /** max(0, F − Q): chats that start at once in a free slot. */
  immediate: number
  /** The answer was cut to MAX_SLOTS. */
  capped: boolean
  /** The last chat the answer admits, and the first it does not; absent when the pool is unlimited. */
  lastAdmitted?: ChatOutlook
  next?: ChatOutlook
}

/** The prospects of the n-th new chat (n = position). */
export interface ChatOutlook {
  position: number
  /** Chats ahead of it once it waits: max(0, Q − F) + (position − immediate) − 1; undefined if it starts at once. */
  ahead?: number
  /** P(it starts within T), counting its own patience. */
  probability: number
  /** Expected wait ignoring its own patience, in seconds; Infinity when nothing frees up. */
  expectedWaitSec: number
}

/** What a waiting chat faces, in floating point: the chats ahead of the first one to wait, R and θ. */
interface Waiting {
  ahead: number
  rate: number
  theta: number
}

/**
 * A wait within one part in 10^12 of T counts as T: the sums are accurate to about 1e-14, and 1/(1/49) is
 * 49.00000000000001, which must fit T = 49. A probability within 1e-12 of p counts as p; Cephes is accurate to
 * about 1e-10 for large arguments, so where a probability is that close to p either answer is tight.
 */
const TOLERANCE = 1e-12

/** Available slots of a pool for a maximum wait of `maxWaitSec` (0: immediately). */
export function availableSlots (pool: Pool, maxWaitSec: number, criterion: Criterion = DEFAULT_CRITERION): number {
  if (pool.unlimited) return UNLIMITED
  return Math.min(MAX_SLOTS, uncapped(pool, maxWaitSec, criterion))
}

/** The answer before the cap: the immediate chats plus the waiting ones that meet the criterion (at most past the cap by one). */
function uncapped (pool: Pool, maxWaitSec: number, criterion: Criterion): number {
  const now = Math.max(0, pool.free - pool.queued)
  if (maxWaitSec <= 0 || Number(pool.release.num) === 0 || now >= MAX_SLOTS) return now
  if (criterion.criterion === 'mean' && pool.meanPatienceSec === undefined) {
    // Σ 1/R over j + 1 releases ≤ T ⇔ j + 1 ≤ T·R: exact in integers.
    return Math.max(0, pool.free - pool.queued + releasesWithin(maxWaitSec, pool.release))
  }
  const waiting = waitingOf(pool)
  const fits = criterion.criterion === 'mean'
    ? (x: number): boolean => expectedWait(waiting.ahead + x - 1, waiting.rate, waiting.theta) <= maxWaitSec * (1 + TOLERANCE)
    : (x: number): boolean => startProbability(waiting.ahead + x - 1, waiting.rate, waiting.theta, maxWaitSec) >= criterion.p - TOLERANCE
  return now + largestFitting(fits, MAX_SLOTS - now + 1)
}

const waitingOf = (pool: Pool): Waiting => ({
  ahead: Math.max(0, pool.queued - pool.free),
  rate: Number(pool.release.num) / Number(pool.release.den),
  theta: pool.meanPatienceSec === undefined ? 0 : 1 / pool.meanPatienceSec
})

/**
 * The largest x ≤ room for which `fits(x)` holds, where fits holds up to some x and never after (every criterion
 * gets harder with more chats ahead): galloping then bisection, O(log x) evaluations, never a loop per slot.
 */
function largestFitting (fits: (x: number) => boolean, room: number): number {
  if (room < 1 || !fits(1)) return 0
  // Invariant: lo fits; hi does not fit, or is past the room.
  let lo = 1
  let hi = 2
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

/** The answer with the numbers behind it: the last chat it admits and the first it does not. */
export function explain (pool: Pool, maxWaitSec: number, criterion: Criterion = DEFAULT_CRITERION): Explanation {
  const now = Math.max(0, pool.free - pool.queued)
  const immediate = Math.min(MAX_SLOTS, now)
  if (pool.unlimited) return { availableSlots: UNLIMITED, immediate, capped: false }
  const answer = uncapped(pool, maxWaitSec, criterion)
  const admitted = Math.min(MAX_SLOTS, answer)
  const waiting = waitingOf(pool)
  const outlook = (position: number): ChatOutlook => {
    if (position <= now) return { position, probability: 1, expectedWaitSec: 0 }
    const ahead = waiting.ahead + position - now - 1
    return {
      position,
      ahead,
      probability: startProbability(ahead, waiting.rate, waiting.theta, maxWaitSec),
      expectedWaitSec: waiting.rate === 0 ? Infinity : expectedWait(ahead, waiting.rate, waiting.theta)
    }
  }
  return {
    availableSlots: admitted,
    immediate,
    capped: answer > MAX_SLOTS,
    ...(admitted > 0 ? { lastAdmitted: outlook(admitted) } : {}),
    next: outlook(admitted + 1)
  }
}

/**
 * P(a chat with j chats ahead starts within T), counting that it may give up first. Releases come at rate R
 * while it waits and each of the i visitors still ahead leaves at rate θ, so its wait V (ignoring its own
 * patience) is a sum of exponentials with rates R, R + θ, …, R + jθ.
 * - θ = 0: P(V ≤ T) = P(Poisson(R·T) ≥ j + 1) = P(j + 1, R·T), the regularized lower incomplete gamma.
 *   (Cephes' igam, not @stdlib's gammainc: past x = 1000 the latter's asymptotic series starts one term off and is
 *   wrong by up to 0.02, e.g. P(1673, 1707.4) = 0.7980 for 0.8007; test/domain/estimator.test.ts keeps a case.)
 * - θ > 0: e^{−θV} ~ Beta(a, j + 1) with a = R/θ, and P(starts within T) = E[1{V ≤ T}·e^{−θV}]
 *   = a/(a + j + 1) · I_{1−e^{−θT}}(j + 1, a + 1), with I the regularized incomplete beta.
 */
export function startProbability (j: number, rate: number, theta: number, seconds: number): number {
  if (rate <= 0 || seconds <= 0) return 0
  if (theta === 0) return regularizedLowerGamma(j + 1, rate * seconds)
  const a = rate / theta
  return (a / (a + j + 1)) * cephes.incbet(j + 1, a + 1, -Math.expm1(-theta * seconds))
}

/**
 * P(a, x) from Cephes. Cephes reports a tail that underflows (below about 1e-308) through mtherr, which the
 * package throws where the C code would return 0 for that tail: 0 for igam itself, and 1 when it was igamc, whose
 * complement igam returns.
 */
function regularizedLowerGamma (a: number, x: number): number {
  try {
    return cephes.igam(a, x)
  } catch (err) {
    const message = err instanceof Error ? err.message : ''
    if (message === 'cephes reports "underflow range error" in igamc') return 1
    if (message === 'cephes reports "underflow range error" in igam') return 0
    throw err
  }
}

/** ⌊T·R⌋ in exact integer arithmetic (86400 s with 9 slots at 300 s is 2592, not 2591). */
export function releasesWithin (seconds: number, rate: Rate): number {
  if (typeof rate.num === 'number') {
    const releases = seconds * rate.num
    // For integers p < 2^53 and q ≥ 1, p / q rounds to the nearest double but never across an integer.
    if (releases <= Number.MAX_SAFE_INTEGER) return Math.floor(releases / (rate.den as number))
  }
  return Number((BigInt(seconds) * BigInt(rate.num)) / BigInt(rate.den))
}

/** Below this many terms the sum is added up directly; above, the digamma closed form is exact enough and O(1). */
const DIRECT_SUM_TERMS = 8

/**
 * Expected wait of a chat with j chats ahead of it, ignoring its own patience: Σ_{i=0..j} 1/(R + i·θ)
 * = (ψ(R/θ + j + 1) − ψ(R/θ)) / θ.
 */
export function expectedWait (j: number, rate: number, theta: number): number {
  if (theta === 0) return (j + 1) / rate
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

/** What estimatedWaitTime answers when nobody eligible is Online, and when the wait cannot be estimated. */
export const NOBODY_ONLINE = -1
export const NO_ESTIMATE = -2

/**
 * The expected wait of one new chat, in whole seconds (rounded): 0 when it starts at once (a slot free beyond the queue,
 * or an unlimited agent); else E[V] = Σ_{i=0..j} 1/(R + i·θ) with the j = Q − F chats ahead of it (ignoring its own
 * patience, as the mean criterion does); NO_ESTIMATE when no slot ever frees up (every Online agent takes 0 chats).
 * docs/estimator.md has a worked example.
 */
export function estimatedWait (pool: Pool): number {
  if (pool.unlimited || pool.free > pool.queued) return 0
  const waiting = waitingOf(pool)
  if (waiting.rate === 0) return NO_ESTIMATE
  return Math.round(expectedWait(waiting.ahead, waiting.rate, waiting.theta))
}

/** The most answers remembered per pool; past it they are forgotten at once (a bounded map, not a growing one). */
const REMEMBERED = 256

/**
 * Answers of one pool, remembered until it changes: an answer depends only on the pool's totals, the criterion
 * and T, and the probability search costs tens of special-function evaluations. The owner calls `forget()`
 * whenever the pool changes; a different criterion is noticed here.
 */
export class RememberedAnswers {
  private readonly answers = new Map<number, number>()
  private kind: Criterion['criterion'] | undefined
  private p = 0

  /** `pool` gives the pool as it is now; it is asked only when an answer is not remembered. */
  constructor (private readonly pool: () => Pool) {}

  forget (): void {
    // Map#clear allocates a new table even when empty; the live model forgets after every event.
    if (this.answers.size > 0) this.answers.clear()
  }

  get (maxWaitSec: number, criterion: Criterion): number {
    const p = criterion.criterion === 'probability' ? criterion.p : 0
    if (criterion.criterion !== this.kind || p !== this.p) {
      this.answers.clear()
      this.kind = criterion.criterion
      this.p = p
    }
    let answer = this.answers.get(maxWaitSec)
    if (answer === undefined) {
      answer = availableSlots(this.pool(), maxWaitSec, criterion)
      if (this.answers.size >= REMEMBERED) this.answers.clear()
      this.answers.set(maxWaitSec, answer)
    }
    return answer
  }
}
