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
export const DAY_MS = DAY_SEC * 1000

/** Milliseconds since midnight (UTC) of a clock time. */
export const msOfDay = (ms: number): number => ((ms % DAY_MS) + DAY_MS) % DAY_MS
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

/** Where a plan's times of day are out of order (each must be later than the one before), or undefined. */
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

/** The arrival rate of a daily plan at any second of the day: the step in force (the last one's before the first one's time). */
export function rateAt (steps: readonly RateStep[], second: number): number {
  let perHour = (steps[steps.length - 1] as RateStep).perHour
  for (const step of steps) if (secondOfDay(step.from) <= second) perHour = step.perHour
  return perHour
}

/** A change a plan makes at its time of day. */
export type PlanChange = { skill: string, perHour: number } | { agent: string, chatState: ChatState }

/**
 * Every plan step of an account in one daily timetable: the seconds of the day at which something changes, in order,
 * and the changes due then. A step is found by binary search, so stepping through a day costs O(steps · log steps).
 */
export class DailySchedule {
  private readonly seconds: number[] = []
  private readonly changes: PlanChange[][] = []

  constructor (skills: ReadonlyArray<{ name: string } & SkillLive>, agents: ReadonlyArray<{ loginName: string } & AgentLive>) {
    const due = new Map<number, PlanChange[]>()
    const add = (time: string, change: PlanChange): void => {
      const second = secondOfDay(time)
      const list = due.get(second)
      if (list === undefined) due.set(second, [change])
      else list.push(change)
    }
    for (const skill of skills) for (const step of skill.dailyArrivals ?? []) add(step.from, { skill: skill.name, perHour: step.perHour })
    for (const agent of agents) for (const step of agent.shifts ?? []) add(step.at, { agent: agent.loginName, chatState: step.chatState })
    for (const second of [...due.keys()].sort((a, b) => a - b)) {
      this.seconds.push(second)
      this.changes.push(due.get(second) as PlanChange[])
    }
  }

  get empty (): boolean { return this.seconds.length === 0 }

  /** The changes due at exactly this second of the day. */
  at (second: number): readonly PlanChange[] {
    const i = this.firstAfter(second - 1)
    return this.seconds[i] === second ? this.changes[i] as PlanChange[] : []
  }

  /** The second of the day (past DAY_SEC: of the next day) at which the first step after `second` is due. */
  nextAfter (second: number): number {
    const i = this.firstAfter(second)
    return i < this.seconds.length ? this.seconds[i] as number : (this.seconds[0] as number) + DAY_SEC
  }

  /** The index of the first step later than `second`. */
  private firstAfter (second: number): number {
    let low = 0
    let high = this.seconds.length
    while (low < high) {
      const mid = (low + high) >> 1
      if ((this.seconds[mid] as number) > second) high = mid
      else low = mid + 1
    }
    return low
  }
}
