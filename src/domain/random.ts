/**
 * Seeded draws for the pool simulation. One MT19937 stream drives every draw, so a seed and a sequence of calls
 * fix a whole run, on any machine.
 */
import mt19937 from '@stdlib/random-base-mt19937'

/** The largest seed MT19937 takes; seeds are integers from 1 to this. */
export const MAX_SEED = 0xffffffff

export class Random {
  /** A double in [0, 1), with 53 random bits. */
  readonly uniform: () => number
  /** The second normal of the last Box–Muller pair, not yet used (NaN: none). */
  private spare = NaN

  constructor (readonly seed: number) {
    if (!Number.isInteger(seed) || seed < 1 || seed > MAX_SEED) throw new RangeError(`seed must be an integer from 1 to ${MAX_SEED}, not ${seed}`)
    // `normalized` is on the generator at run time; @stdlib's 0.2 typings leave it out.
    this.uniform = (mt19937.factory({ seed }) as unknown as { normalized: () => number }).normalized
  }

  /** Exponential with the given mean, by inverse transform (1 − u is in (0, 1], so the log is finite). */
  exponential (mean: number): number {
    return -mean * Math.log1p(-this.uniform())
  }

  /** Standard normal, by Box–Muller; the pair's second value is kept for the next call. */
  normal (): number {
    const spare = this.spare
    if (!Number.isNaN(spare)) {
      this.spare = NaN
      return spare
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.uniform()))
    const angle = 2 * Math.PI * this.uniform()
    this.spare = radius * Math.sin(angle)
    return radius * Math.cos(angle)
  }

  /** Lognormal exp(μ + σZ). */
  lognormal (mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal())
  }

  /** An integer in [0, n), uniformly. */
  below (n: number): number {
    return Math.floor(this.uniform() * n)
  }
}

/** μ and σ of the lognormal with this mean and coefficient of variation: σ² = ln(1 + cv²), μ = ln(mean) − σ²/2. */
export function lognormalParameters (mean: number, cv: number): { mu: number, sigma: number } {
  const variance = Math.log1p(cv * cv)
  return { mu: Math.log(mean) - variance / 2, sigma: Math.sqrt(variance) }
}
