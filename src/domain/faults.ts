/**
 * Injected faults: each matches requests to the public API (by path pattern, account, method) and, with a
 * probability and for a number of requests, delays them or answers them wrongly. Draws come from a seeded
 * generator, so a run with the same seed and the same requests fails the same way.
 */
import type { Static } from 'typebox'
import type * as schema from './fault-schema.js'
import type { LatencyForm } from './fault-schema.js'
import { globPattern, type Glob } from './journal.js'

// The types of faults, derived from their schemas.
export type Latency = LatencyForm
export type Effect = Static<typeof schema.FaultEffect>
export type TerminalEffect = Exclude<Effect, { type: 'latency' }>
export type FaultMatch = Static<typeof schema.FaultMatch>
export type FaultSpec = Static<typeof schema.FaultSpec>
export type Fault = Static<typeof schema.Fault>

/** What to do with one request: wait, then (maybe) answer with a terminal effect instead of the real answer. */
export interface Decision {
  delayMs: number
  terminal?: { fault: Fault, effect: TerminalEffect }
}

export const DEFAULT_SEED = 1

/** Faults kept at once: each public request is checked against every one of them. */
export const MAX_FAULTS = 1000

export class Faults {
  private faults: Array<Fault & { pattern?: Glob }> = []
  private nextId = 1
  private random: () => number
  seed: number

  constructor (seed = DEFAULT_SEED) {
    this.seed = seed
    this.random = mulberry32(seed)
  }

  get empty (): boolean {
    return this.faults.length === 0
  }

  /** Whether another fault can be added: at most MAX_FAULTS at once, each checked on every public request. */
  get full (): boolean {
    return this.faults.length >= MAX_FAULTS
  }

  /** Keeps its own copy of the spec: changing what it returns changes nothing. */
  add (spec: FaultSpec): Fault {
    const fault = { ...structuredClone(spec), id: `fault-${this.nextId++}`, fired: 0 }
    this.faults.push({ ...structuredClone(fault), pattern: spec.match?.path === undefined ? undefined : globPattern(spec.match.path) })
    return fault
  }

  list (): Fault[] {
    return this.faults.map(({ pattern: _pattern, ...fault }) => structuredClone(fault))
  }

  remove (id: string): boolean {
    const before = this.faults.length
    this.faults = this.faults.filter((fault) => fault.id !== id)
    return this.faults.length < before
  }

  clear (): void {
    this.faults = []
  }

  /** No faults, ids from fault-1 again, and the generator restarted: as a new Faults with this seed. */
  reset (seed: number): void {
    this.clear()
    this.nextId = 1
    this.reseed(seed)
  }

  /** Restarts the generator: the same seed gives the same draws from here on. */
  reseed (seed: number): void {
    this.seed = seed
    this.random = mulberry32(seed)
  }

  /**
   * In the order the faults were added, each that matches draws its probability; the delays of those that fire
   * add up, and the first terminal effect that fires is the answer. A fault with a count is gone once spent.
   */
  decide (method: string, path: string, account: string | undefined): Decision | undefined {
    let delayMs = 0
    let terminal: Decision['terminal']
    let fired = false
    for (const fault of this.faults) {
      const { match = {} } = fault
      if (match.method !== undefined && match.method !== method) continue
      if (match.account !== undefined && match.account !== account) continue
      if (fault.pattern !== undefined && !fault.pattern.test(path)) continue
      if (fault.effect.type !== 'latency' && terminal !== undefined) continue
      if (this.random() >= (fault.probability ?? 1)) continue
      fault.fired++
      fired = true
      if (fault.effect.type === 'latency') delayMs += this.latency(fault.effect)
      else {
        const { pattern: _pattern, ...own } = fault
        const copy = structuredClone(own)
        terminal = { fault: copy, effect: copy.effect as TerminalEffect }
      }
    }
    if (!fired) return undefined
    this.faults = this.faults.filter((fault) => fault.count === undefined || fault.fired < fault.count)
    return { delayMs, terminal }
  }

  private latency (latency: Latency): number {
    if ('ms' in latency) return latency.ms
    if ('uniform' in latency) return latency.uniform.minMs + this.random() * (latency.uniform.maxMs - latency.uniform.minMs)
    // Box–Muller: a standard normal from two uniform draws.
    const z = Math.sqrt(-2 * Math.log(1 - this.random())) * Math.cos(2 * Math.PI * this.random())
    return latency.logNormal.medianMs * Math.exp(latency.logNormal.sigma * z)
  }
}

/** A small, fast, seedable generator of uniform draws in [0, 1). */
function mulberry32 (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
