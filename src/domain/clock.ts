/**
 * The simulator's notion of "now", in epoch milliseconds: token expiry and the `time` of error bodies follow it.
 * SimulatedClock runs with real time (at any speed) or stands still, and can be set or advanced by the admin API.
 */
export interface Clock {
  now(): number
}

/**
 * The instants the clock can show: those an RFC 3339 `date-time` can write (years 0000 to 9999). Past them
 * `Date#toISOString` writes six-digit years, and past year 275760 it throws, so the clock stops at the edges.
 */
export const EARLIEST = Date.parse('0000-01-01T00:00:00.000Z')
export const LATEST = Date.parse('9999-12-31T23:59:59.999Z')

/** The range in words, for the messages that refuse a time outside it. */
export const CLOCK_RANGE = `from ${new Date(EARLIEST).toISOString()} to ${new Date(LATEST).toISOString()}`

/** A time within [EARLIEST, LATEST]; anything else (NaN too) becomes the nearer edge. */
export const withinRange = (time: number): number => (time >= EARLIEST ? Math.min(time, LATEST) : EARLIEST)

export const CLOCK_MODES = ['realtime', 'frozen'] as const
/** The fastest a realtime clock runs: simulated seconds per real second. */
export const MAX_SPEED = 1_000_000
export type ClockMode = typeof CLOCK_MODES[number]

export interface ClockSetting {
  mode: ClockMode
  /** Simulated seconds per real second, in realtime mode. */
  speed: number
}

export class SimulatedClock implements Clock {
  /** Simulated time at the anchor, and the real time of the anchor: now = base + (real − anchor) × speed. */
  private base: number
  private anchor: number
  private setting: ClockSetting

  constructor (start?: number, setting: ClockSetting = { mode: 'realtime', speed: 1 }, private readonly real: () => number = Date.now) {
    this.anchor = real()
    this.base = start ?? this.anchor
    this.setting = { ...setting }
  }

  /** A clock that stands still at `time` until told otherwise: for tests and repeatable scenarios. */
  static frozenAt (time: number): SimulatedClock {
    return new SimulatedClock(time, { mode: 'frozen', speed: 1 })
  }

  /** Never outside [EARLIEST, LATEST]: a fast realtime clock stops at LATEST. */
  now (): number {
    if (this.setting.mode === 'frozen') return this.base
    return withinRange(Math.floor(this.base + (this.real() - this.anchor) * this.setting.speed))
  }

  get mode (): ClockMode { return this.setting.mode }
  get speed (): number { return this.setting.speed }

  /** Changes mode and speed (and the time, if given) from this instant on. */
  set (setting: Partial<ClockSetting> & { now?: number }): void {
    this.rebase(setting.now ?? this.now())
    this.setting = { mode: setting.mode ?? this.setting.mode, speed: setting.speed ?? this.setting.speed }
  }

  /** The time, mode and speed now, to go back to with `set`. */
  get state (): ClockSetting & { now: number } {
    return { now: this.now(), ...this.setting }
  }

  /** Refused (RangeError, nothing changed) past LATEST. */
  advance (ms: number): void {
    this.rebase(this.now() + ms)
  }

  private rebase (time: number): void {
    if (!(time >= EARLIEST && time <= LATEST)) {
      throw new RangeError(`the clock cannot show ${time}: it runs ${CLOCK_RANGE}`)
    }
    this.base = time
    this.anchor = this.real()
  }
}
