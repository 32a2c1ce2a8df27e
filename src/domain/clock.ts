/** The simulator's notion of "now", in epoch milliseconds. A seam for the frozen and fast clocks to come. */
export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** A clock that stands still until told otherwise: for tests and repeatable scenarios. */
export class ManualClock implements Clock {
  constructor (private time: number) {}
  now (): number { return this.time }
  set (time: number): void { this.time = time }
  advance (ms: number): void { this.time += ms }
}
