/**
 * Queueing theory for a steady single-skill pool, to check the simulation against (test/domain/erlang.test.ts).
 *
 * M/M/N+M (Erlang A, Palm's model): Poisson arrivals at rate λ, N servers (chat slots) each serving one chat for an
 * exponential time of rate μ, and a FIFO queue whose chats each leave after an exponential patience of rate θ if not
 * served by then (θ = 0: they never leave, M/M/N or Erlang C). The number of chats in the system is a birth–death
 * chain (birth λ; death μ·min(n, N) + θ·max(0, n − N)); its stationary distribution π gives, with PASTA (Poisson
 * arrivals see time averages):
 *   P(wait)  = Σ_{n ≥ N} π_n                   the probability that an arriving chat finds every slot busy,
 *   Lq       = Σ_{n > N} (n − N)·π_n            the time-average number queued,
 *   abandon  = θ·Lq / λ                         the fraction of arrivals that abandon (abandonment rate / arrival rate).
 */

export interface Pool {
  /** λ, chats a second. */
  arrivalsPerSec: number
  /** 1/μ. */
  handleSec: number
  /** 1/θ; absent or Infinity: chats wait for ever (Erlang C, which needs λ/μ < N). */
  patienceSec?: number
  /** N. */
  servers: number
}

export interface Steady {
  waitProbability: number
  meanQueued: number
  abandonedFraction: number
  /** π_0, π_1, … up to where the truncation stopped. */
  distribution: number[]
}

/** Past the last state kept, the chain's probability is below this (relative to the total); exact up to that. */
export const TAIL = 1e-15

/**
 * The stationary distribution of the birth–death chain by π_{n+1} = π_n·λ/death(n + 1), then normalized. Beyond N the
 * ratios λ/death(n) only fall, so once a ratio r is below 1 the tail after π_n is at most π_n·r/(1 − r): the chain
 * stops where that bound is below TAIL of the sum so far.
 */
export function steady (pool: Pool): Steady {
  const { arrivalsPerSec: lambda, servers: N } = pool
  const mu = 1 / pool.handleSec
  const theta = pool.patienceSec === undefined ? 0 : 1 / pool.patienceSec
  if (!(lambda > 0 && mu > 0 && Number.isInteger(N) && N >= 1)) throw new RangeError(`not a pool: ${JSON.stringify(pool)}`)
  if (theta === 0 && !(lambda < N * mu)) throw new RangeError(`without patience the load λ/μ = ${lambda / mu} must be below N = ${N}`)
  const death = (n: number): number => mu * Math.min(n, N) + theta * Math.max(0, n - N)
  const q = [1]
  let sum = 1
  for (let n = 0; ; n++) {
    const qn = q[n] as number
    const r = lambda / death(n + 1)
    if (n >= N && r < 1 && qn * r / (1 - r) < TAIL * sum) break
    if (q.length > 1e7) throw new RangeError('the chain does not converge')
    q.push(qn * r)
    sum += qn * r
  }
  const distribution = q.map((x) => x / sum)
  let waitProbability = 0
  let meanQueued = 0
  distribution.forEach((p, n) => {
    if (n >= N) waitProbability += p
    if (n > N) meanQueued += (n - N) * p
  })
  return { waitProbability, meanQueued, abandonedFraction: theta * meanQueued / lambda, distribution }
}

/** Erlang B (the loss probability of M/M/N/N) at load a, by the recursion B(0) = 1, B(n) = a·B(n−1) / (n + a·B(n−1)). */
export function erlangB (servers: number, load: number): number {
  let b = 1
  for (let n = 1; n <= servers; n++) b = load * b / (n + load * b)
  return b
}

/** Erlang C (the probability of waiting in M/M/N) at load a < N, from Erlang B: C = B / (1 − ρ(1 − B)), ρ = a/N. */
export function erlangC (servers: number, load: number): number {
  const b = erlangB(servers, load)
  return b / (1 - (load / servers) * (1 - b))
}

/** Mean and standard error of the mean of independent estimates (at least two). */
export function meanAndError (xs: readonly number[]): { mean: number, se: number } {
  const n = xs.length
  if (n < 2) throw new RangeError('a standard error needs two estimates or more')
  const mean = xs.reduce((s, x) => s + x, 0) / n
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)
  return { mean, se: Math.sqrt(variance / n) }
}
