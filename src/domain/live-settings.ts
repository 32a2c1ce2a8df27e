/**
 * What a scenario says about a live account: per skill, how chats arrive and how long they last; per agent, a daily
 * shift plan. Times of day are "HH:MM" (or "HH:MM:SS") on the simulated clock, in UTC; plans repeat every day.
 */
import type { ChatState } from './model.js'

/**
 * The handle time's distribution. Its mean is `meanSec`, by default the skill's meanHandleTimeSec (which is only where
 * the estimator starts: it learns the mean from the chats that end).
 */
export type HandleTimeShape = ({ distribution: 'exponential' } | { distribution: 'lognormal', cv: number }) & { meanSec?: number }

/** From this time of day on (until the next step's), chats arrive at `perHour` (Poisson). */
export interface RateStep { from: string, perHour: number }

/** At this time of day the agent goes to `chatState`. */
export interface ShiftStep { at: string, chatState: ChatState }

export interface SkillLive {
  /** Poisson arrivals at this rate all day. Not with dailyArrivals. */
  arrivalsPerHour?: number
  /** Arrival rates by time of day, piecewise constant; the last step's rate runs on past midnight to the first step's time. */
  dailyArrivals?: RateStep[]
  /** Absent: exponential. */
  handleTime?: HandleTimeShape
}

export interface AgentLive {
  shifts?: ShiftStep[]
}

export const DAY_SEC = 86400
/** The most steps a daily plan has (a step every half hour). */
export const MAX_STEPS = 48
/** The fastest arrivals of a skill: a thousand a minute. */
export const MAX_ARRIVALS_PER_HOUR = 60_000
/** "HH:MM" or "HH:MM:SS", 00:00 to 23:59:59; checked by the schema's pattern, which is linear. */
export const TIME_OF_DAY_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$'

/** Seconds since midnight of a time of day the schema has checked. */
export function secondOfDay (time: string): number {
  return Number(time.slice(0, 2)) * 3600 + Number(time.slice(3, 5)) * 60 + (time.length > 5 ? Number(time.slice(6, 8)) : 0)
}

/** A daily plan as (second of day, value) in order, or where it is out of order. */
export function planProblem (times: readonly string[]): { index: number, message: string } | undefined {
  for (let i = 1; i < times.length; i++) {
    if (secondOfDay(times[i] as string) <= secondOfDay(times[i - 1] as string)) {
      return { index: i, message: `${times[i] as string} is not later than ${times[i - 1] as string}; give the times of day in increasing order` }
    }
  }
  return undefined
}

/** Why a skill's live settings cannot be used, with the field, or undefined. */
export function skillLiveProblem (skill: SkillLive): { field: Array<string | number>, message: string } | undefined {
  if (skill.arrivalsPerHour !== undefined && skill.dailyArrivals !== undefined) {
    return { field: ['dailyArrivals'], message: 'give arrivalsPerHour or dailyArrivals, not both' }
  }
  const order = skill.dailyArrivals === undefined ? undefined : planProblem(skill.dailyArrivals.map((step) => step.from))
  return order === undefined ? undefined : { field: ['dailyArrivals', order.index, 'from'], message: order.message }
}

export function shiftProblem (agent: AgentLive): { field: Array<string | number>, message: string } | undefined {
  const order = agent.shifts === undefined ? undefined : planProblem(agent.shifts.map((step) => step.at))
  return order === undefined ? undefined : { field: ['shifts', order.index, 'at'], message: order.message }
}

/** Whether a skill or agent asks for the live model. */
export const skillIsLive = (skill: SkillLive): boolean =>
  skill.arrivalsPerHour !== undefined || skill.dailyArrivals !== undefined || skill.handleTime !== undefined
export const agentIsLive = (agent: AgentLive): boolean => agent.shifts !== undefined

/** A daily plan's steps as the seconds of the day they start at, and their values. */
export class DailyPlan<T> {
  private readonly starts: number[]
  private readonly values: T[]

  constructor (steps: ReadonlyArray<{ time: string, value: T }>) {
    this.starts = steps.map((step) => secondOfDay(step.time))
    this.values = steps.map((step) => step.value)
  }

  /** The value in force at this second of the day: the last step's before the first's time. */
  valueAt (second: number): T {
    let i = this.starts.length - 1
    while (i > 0 && (this.starts[i] as number) > second) i--
    if ((this.starts[i] as number) > second) i = this.starts.length - 1
    return this.values[i] as T
  }

  /** The value of the step that starts at exactly this second of the day, if one does. */
  stepAt (second: number): T | undefined {
    const i = this.starts.indexOf(second)
    return i < 0 ? undefined : this.values[i]
  }

  /** The second of the day (past DAY_SEC: of the next day) when the first step after `second` starts. */
  nextAfter (second: number): number {
    for (const start of this.starts) if (start > second) return start
    return (this.starts[0] as number) + DAY_SEC
  }
}
