/**
 * The live model: in a live account (docs/live.md) chats arrive, wait, start and end on the simulated clock, run by a
 * seeded PoolSimulation whose every change is mirrored into the Account's running totals, so that answers stay O(1)
 * in the number of agents. Events are applied lazily: up to the clock's now before anything reads the model
 * (`catchUp`), and by a timer while the clock runs; each time at most a budget of events, so that no request waits
 * behind a long backlog (the rest follows in the next slices, and `behindSec` says how far the model lags).
 */
import { LATEST, type SimulatedClock } from './clock.js'
import { DAY_MS, DailySchedule, msOfDay, rateAt } from './live-settings.js'
import { MAX_ACTIVE_CHATS, type Account, type AccountObserver, type Agent } from './model.js'
import { UNLIMITED } from './estimator.js'
import { PoolSimulation, Random, type PoolListener } from './simulation.js'
import type { World } from './world.js'

/** The weight of each ended chat in a skill's learned handle time (exponentially weighted moving average). */
export const HANDLE_TIME_ALPHA = 0.05
/** The most chats a live skill keeps queued; an arrival past it leaves at once (counted as abandoned). */
export const MAX_LIVE_QUEUED = 10_000
/** The most events (and plan steps) one catch-up applies before a request is answered (10–20 ms; docs/benchmarks.md). */
export const CATCH_UP_EVENTS = 20_000
/**
 * The longest stretch of simulated time replayed after a jump of the clock: past it, the simulation goes on from the
 * model as it is at one day before the clock's time (as after a change from outside), and replays that day, in which
 * every plan step comes once.
 */
export const MAX_REPLAY_MS = DAY_MS
/** The most events `POST /__admin/clock/advance` applies before it answers; the rest follow in slices. */
export const ADVANCE_EVENTS = 10_000_000
/** The timer's shortest and longest wait while the clock runs, in real milliseconds. */
const MIN_TICK_MS = 10
const MAX_TICK_MS = 60_000

/** Since the account became live, per skill. */
export interface LiveCounters {
  arrived: number
  started: number
  ended: number
  abandoned: number
  /** Seconds that the started chats waited, in all. */
  waitedSec: number
}

/** One live account: its simulation, and how the simulation's times map onto the clock's. */
class LiveAccount implements AccountObserver {
  private sim: PoolSimulation | undefined
  /** The clock's time at the simulation's second 0. */
  private originMs = 0
  /** Changed from outside: the simulation starts again from the model (carrying over its chats) before it runs on. */
  private dirty = true
  /** Agents whose chat state alone changed from outside. */
  private readonly changedStates = new Set<string>()
  /** Simulation chat id → the id of the admin API's chat it is. */
  private adminIds = new Map<number, string>()
  readonly counters = new Map<string, LiveCounters>()
  /** Per skill, the learned handle time and the meanHandleTimeSec it started from. */
  private readonly learned = new Map<string, { from: number, value: number }>()
  private schedule = new DailySchedule([], [])
  private nextControlMs = Infinity
  /** Events applied since the account became live. */
  events = 0

  constructor (readonly account: Account, private readonly random: Random, private readonly onChange: () => void) {}

  chatStateChanged (agent: Agent): void {
    this.changedStates.add(agent.loginName)
    this.onChange()
  }

  changed (): void {
    this.dirty = true
    this.onChange()
  }

  /** The clock's time the simulation has reached. */
  get reachedMs (): number {
    return this.sim === undefined ? -Infinity : this.originMs + this.sim.now * 1000
  }

  /** When the next event or plan step is due on the clock (Infinity: never). */
  get nextDueMs (): number {
    return Math.min(this.nextControlMs, this.sim === undefined ? Infinity : this.originMs + this.sim.nextEventAt * 1000)
  }

  /** Applies what changed from outside at `atMs` (a new simulation if needed), then events up to `targetMs`, at most `budget`. */
  runTo (atMs: number, targetMs: number, budget: number): number {
    if (this.dirty || this.sim === undefined || atMs < this.reachedMs) this.build(atMs)
    else this.applyStates()
    if (targetMs - this.reachedMs > MAX_REPLAY_MS) this.build(targetMs - MAX_REPLAY_MS)
    const sim = this.sim as PoolSimulation
    let done = 0
    while (done < budget) {
      const stepMs = Math.min(targetMs, this.nextControlMs)
      let n = 0
      const limit = budget - done
      const stopped = sim.run((stepMs - this.originMs) / 1000, () => ++n >= limit)
      done += n
      if (stopped) break
      if (stepMs === this.nextControlMs) {
        this.applyPlans(stepMs)
        done++
      }
      if (stepMs >= targetMs) break
    }
    this.events += done
    return done
  }

  private applyStates (): void {
    const sim = this.sim as PoolSimulation
    for (const name of this.changedStates) {
      const agent = this.account.agent(name)
      if (agent !== undefined) sim.setOnline(name, agent.chatState === 'Online')
    }
    this.changedStates.clear()
  }

  /** The plan steps due at `atMs`: new arrival rates, agents to their shift's chat state. */
  private applyPlans (atMs: number): void {
    const sim = this.sim as PoolSimulation
    for (const change of this.schedule.at(msOfDay(atMs) / 1000)) {
      if ('skill' in change) {
        sim.setArrivalRate(change.skill, change.perHour / 3600)
        continue
      }
      const agent = this.account.agent(change.agent)
      if (agent === undefined || agent.chatState === change.chatState) continue
      this.account.liveChatState(change.agent, change.chatState)
      sim.setOnline(change.agent, change.chatState === 'Online')
    }
    this.planNext(atMs)
  }

  private planNext (afterMs: number): void {
    this.nextControlMs = this.schedule.empty ? Infinity : afterMs - msOfDay(afterMs) + this.schedule.nextAfter(msOfDay(afterMs) / 1000) * 1000
  }

  /**
   * A new simulation of the model as it is at `nowMs`, carrying over the chats of the previous one: admin API chats
   * keep their ids, and queued chats their order and arrival times. Remaining handle times and patience are drawn
   * afresh (exact for exponential ones, which forget how long they have run).
   */
  private build (nowMs: number): void {
    const { account } = this
    const old = this.sim
    const oldOrigin = this.originMs
    const oldAdmin = this.adminIds
    const oldQueued = old?.queuedChatList() ?? []
    const oldActive = old?.activeChatList() ?? []
    const arrivedMs = (sec: number): number => Math.min(nowMs, oldOrigin + sec * 1000)
    const adminArrived = new Map<string, number>()
    for (const chat of [...oldQueued, ...oldActive]) {
      const id = oldAdmin.get(chat.id)
      if (id !== undefined) adminArrived.set(id, arrivedMs(chat.arrivedAt))
    }
    this.adminIds = new Map()
    this.originMs = nowMs
    this.dirty = false
    this.changedStates.clear()

    const skills = account.skillList()
    const agents = account.agentList()
    const second = msOfDay(nowMs) / 1000
    this.schedule = new DailySchedule(skills, agents)
    for (const skill of skills) {
      if (!this.counters.has(skill.name)) this.counters.set(skill.name, { arrived: 0, started: 0, ended: 0, abandoned: 0, waitedSec: 0 })
      // Learning goes on from the model's figure (a new live model, after a reseed, too), unless meanHandleTimeSec changed.
      const learned = this.learned.get(skill.name)
      if (learned?.from !== skill.meanHandleTimeSec) this.learned.set(skill.name, { from: skill.meanHandleTimeSec, value: account.handleTimeOf(skill.name) as number })
    }

    const sim = new PoolSimulation({
      seed: this.random,
      skills: skills.map((skill) => ({
        name: skill.name,
        handleTime: skill.handleTime?.distribution === 'lognormal'
          ? { distribution: 'lognormal', meanSec: skill.handleTime.meanSec ?? skill.meanHandleTimeSec, cv: skill.handleTime.cv }
          : { distribution: 'exponential', meanSec: skill.handleTime?.meanSec ?? skill.meanHandleTimeSec },
        ...(skill.meanPatienceSec === undefined ? {} : { meanPatienceSec: skill.meanPatienceSec }),
        arrivalsPerSec: (skill.dailyArrivals === undefined ? skill.arrivalsPerHour ?? 0 : rateAt(skill.dailyArrivals, second)) / 3600,
        maxQueued: MAX_LIVE_QUEUED
      })),
      // An unlimited agent holds at most MAX_ACTIVE_CHATS, as in the model (which refuses more, and snapshots must load).
      agents: agents.map((agent) => ({
        name: agent.loginName, maxChats: agent.maxChats === UNLIMITED ? MAX_ACTIVE_CHATS : agent.maxChats, skills: agent.skills, online: agent.chatState === 'Online'
      }))
    })

    // Active chats: the admin API's first, then the previous simulation's, then new ones over the agent's skills.
    const adminChats = [...account.chats.values()]
    const oldByAgent = groupBy(oldActive.filter((chat) => !oldAdmin.has(chat.id)), (chat) => chat.agent)
    const adminByAgent = groupBy(adminChats.filter((chat) => chat.agent !== undefined), (chat) => chat.agent as string)
    for (const agent of agents) {
      let n = agent.activeChats
      for (const chat of adminByAgent.get(agent.loginName) ?? []) {
        this.adminIds.set(sim.startChatOn(agent.loginName, chat.skill), chat.id)
        n--
      }
      for (const chat of oldByAgent.get(agent.loginName) ?? []) {
        if (n <= 0) break
        if (!agent.skills.includes(chat.skill)) continue
        sim.startChatOn(agent.loginName, chat.skill)
        n--
      }
      for (let i = 0; n > 0; i++, n--) sim.startChatOn(agent.loginName, agent.skills[i % agent.skills.length] as string)
    }

    // Queued chats, in the order they arrived: the admin API's, then the previous simulation's, then new ones.
    const queue: Array<{ skill: string, atMs: number, adminId?: string }> = []
    const oldBySkill = groupBy(oldQueued.filter((chat) => !oldAdmin.has(chat.id)), (chat) => chat.skill)
    const adminBySkill = groupBy(adminChats.filter((chat) => chat.agent === undefined), (chat) => chat.skill)
    for (const skill of skills) {
      let n = Math.min(skill.queued, MAX_LIVE_QUEUED)
      for (const chat of adminBySkill.get(skill.name) ?? []) {
        queue.push({ skill: skill.name, atMs: adminArrived.get(chat.id) ?? nowMs, adminId: chat.id })
        n--
      }
      for (const chat of oldBySkill.get(skill.name) ?? []) {
        if (n <= 0) break
        queue.push({ skill: skill.name, atMs: arrivedMs(chat.arrivedAt) })
        n--
      }
      for (; n > 0; n--) queue.push({ skill: skill.name, atMs: nowMs })
    }
    queue.sort((a, b) => a.atMs - b.atMs)
    for (const { skill, atMs, adminId } of queue) {
      const id = sim.enqueue(skill, { arrivedAt: (atMs - nowMs) / 1000 })
      if (adminId !== undefined) this.adminIds.set(id, adminId)
    }

    // The model as the simulation has it: a queued chat may have found a free slot; a long queue was cut.
    for (const agent of agents) {
      const by = sim.agent(agent.loginName).activeChats - agent.activeChats
      if (by !== 0) account.liveActive(agent.loginName, by)
    }
    for (const skill of skills) {
      const by = sim.counters(skill.name).queued - skill.queued
      if (by !== 0) account.liveQueued(skill.name, by)
    }
    for (const [id, adminId] of this.adminIds) {
      const chat = sim.chat(id)
      if (chat === undefined) {
        // Past the queue's limit: it left at once.
        this.adminIds.delete(id)
        account.liveForget(adminId)
      } else if (chat.state === 'active' && account.chats.get(adminId)?.agent === undefined) account.liveRoute(adminId, chat.agent)
    }
    sim.listener = this.listener()
    this.sim = sim
    this.planNext(nowMs)
  }

  /** Mirrors each change of the simulation into the model, and counts it. */
  private listener (): PoolListener {
    const { account, counters } = this
    const forget = (id: number): void => {
      const adminId = this.adminIds.get(id)
      if (adminId === undefined) return
      this.adminIds.delete(id)
      account.liveForget(adminId)
    }
    return {
      arrived: (_id, skill, _at, queued) => {
        (counters.get(skill) as LiveCounters).arrived++
        if (queued) account.liveQueued(skill, 1)
      },
      started: (id, skill, agent, at, arrivedAt, queued) => {
        const counts = counters.get(skill) as LiveCounters
        counts.started++
        counts.waitedSec += at - arrivedAt
        if (queued) account.liveQueued(skill, -1)
        account.liveActive(agent, 1)
        if (queued && this.adminIds.size > 0) {
          const adminId = this.adminIds.get(id)
          if (adminId !== undefined) account.liveRoute(adminId, agent)
        }
      },
      ended: (id, skill, agent, at, startedAt) => {
        (counters.get(skill) as LiveCounters).ended++
        account.liveActive(agent, -1)
        this.learn(skill, at - startedAt)
        if (this.adminIds.size > 0) forget(id)
      },
      abandoned: (id, skill) => {
        (counters.get(skill) as LiveCounters).abandoned++
        account.liveQueued(skill, -1)
        if (this.adminIds.size > 0) forget(id)
      }
    }
  }

  private learn (skill: string, handleSec: number): void {
    const learned = this.learned.get(skill) as { value: number }
    learned.value += HANDLE_TIME_ALPHA * (handleSec - learned.value)
    this.account.liveHandleTime(skill, Math.min(86400, Math.max(1, Math.round(learned.value))))
  }
}

function groupBy<T> (items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const group = groups.get(k)
    if (group === undefined) groups.set(k, [item])
    else group.push(item)
  }
  return groups
}

/** A seed for each account, from the simulator's seed and the account id, so that accounts draw apart. */
function accountSeed (seed: number, accountId: string): number {
  let hash = 0x811c9dc5 ^ seed
  for (let i = 0; i < accountId.length; i++) hash = Math.imul(hash ^ accountId.charCodeAt(i), 0x01000193)
  return (hash >>> 0) || 1
}

export interface LiveView {
  /** The live accounts' counters per skill, with what the model holds now and the learned handle time. */
  accounts: Record<string, { events: number, skills: Record<string, LiveCounters & { queued: number, handleTimeSec: number }> }>
  /** How far the live model lags behind the clock (0 when it has caught up). */
  behindSec: number
}

export class LiveModel {
  private readonly live = new Map<string, LiveAccount>()
  /** The live accounts in the order catch-ups take them: it turns, so that a lagging account cannot starve the others. */
  private order: LiveAccount[] = []
  private turn = 0
  /** The world's revision last looked at, its accounts as they were then, and accounts to look at again. */
  private revision = -1
  private seen = new Map<string, Account>()
  private readonly recheck = new Set<Account>()
  /** Something changed that the next catch-up applies even if the clock has not moved. */
  private changed = false
  private appliedMs = -Infinity
  /** The clock's time the last catch-up ran to. */
  private targetMs = -Infinity
  private behind = false
  private timer: ReturnType<typeof setTimeout> | undefined
  private timerAt = Infinity
  private running = false

  constructor (private readonly world: World, private readonly clock: SimulatedClock, private seed: number) {}

  /** Cheap: whether `catchUp` has anything to do now. */
  get due (): boolean {
    return this.changed || this.world.revision !== this.revision || (this.live.size > 0 && this.clock.now() !== this.appliedMs)
  }

  /** A catch-up if one has anything to do: what runs before a handler reads the model. */
  catchUpIfDue (): void {
    if (this.due) this.catchUp()
  }

  /** Live accounts now. */
  get accounts (): number { return this.live.size }

  /**
   * Applies every change from outside, then events up to the clock's now, at most `budget` events in all; returns how
   * many. Past the budget the model lags, and slices on a timer catch up.
   */
  catchUp (budget = CATCH_UP_EVENTS): number {
    if (this.world.revision !== this.revision) this.sync()
    for (const account of this.recheck) this.follow(account)
    this.recheck.clear()
    this.changed = false
    const now = this.clock.now()
    this.targetMs = now
    let done = 0
    let reached = now
    const order = this.order
    this.turn = order.length === 0 ? 0 : (this.turn + 1) % order.length
    for (let k = 0; k < order.length; k++) {
      const live = order[(this.turn + k) % order.length] as LiveAccount
      // Changes from outside are applied where the simulation is (just before the change, unless it lags).
      done += live.runTo(Math.min(live.reachedMs === -Infinity ? now : live.reachedMs, now), now, budget - done)
      reached = Math.min(reached, live.reachedMs)
    }
    this.appliedMs = now
    this.behind = reached < now
    if (this.behind) this.appliedMs = -Infinity
    this.schedule()
    return done
  }

  /** How far the model lagged behind the clock at the last catch-up, in seconds (0: it had caught up). */
  get behindSec (): number {
    if (this.live.size === 0) return 0
    let reached = this.targetMs
    for (const live of this.live.values()) reached = Math.min(reached, live.reachedMs)
    return Math.max(0, (this.targetMs - reached) / 1000)
  }

  /** Draws from another seed: every live account starts again from the model as it is. */
  reseed (seed: number): void {
    this.seed = seed
    this.live.clear()
    this.order = []
    this.seen.clear()
    this.revision = -1
    this.changed = true
  }

  /** The timer runs from now on (while the clock runs, or the model lags). */
  start (): void {
    this.running = true
    this.schedule()
  }

  stop (): void {
    this.running = false
    clearTimeout(this.timer)
    this.timer = undefined
    this.timerAt = Infinity
  }

  /**
   * The control API set or advanced the clock: the live accounts run to its new time before the answer (at most
   * ADVANCE_EVENTS; the rest follow in slices), so that what comes next sees the jump's end; then the timer follows.
   */
  followClock (): void {
    this.catchUp(ADVANCE_EVENTS)
    this.clockChanged()
  }

  /** The clock's mode, speed or time changed: the timer follows. */
  clockChanged (): void {
    this.changed = true
    this.timerAt = Infinity
    clearTimeout(this.timer)
    this.timer = undefined
    this.schedule()
  }

  view (): LiveView {
    const accounts: LiveView['accounts'] = {}
    for (const [id, live] of this.live) {
      const skills: LiveView['accounts'][string]['skills'] = {}
      for (const skill of live.account.skillList()) {
        const counts = live.counters.get(skill.name)
        if (counts === undefined) continue
        skills[skill.name] = { ...counts, queued: skill.queued, handleTimeSec: live.account.handleTimeOf(skill.name) as number }
      }
      accounts[id] = { events: live.events, skills }
    }
    return { accounts, behindSec: this.behindSec }
  }

  /** Every account of the world watched: new and replaced ones looked at, gone ones dropped. */
  private sync (): void {
    this.revision = this.world.revision
    const seen = new Map<string, Account>()
    for (const id of this.world.accountIds()) {
      const account = this.world.account(id) as Account
      seen.set(id, account)
      if (this.seen.get(id) !== account) this.recheck.add(account)
    }
    this.seen = seen
    for (const [id, live] of this.live) if (seen.get(id) !== live.account) this.drop(id)
  }

  /** Makes a changed account live, or no longer live, as its settings say. */
  private follow (account: Account): void {
    if (this.seen.get(account.id) !== account) return
    const current = this.live.get(account.id)
    if (!account.isLive) {
      if (current !== undefined) this.drop(account.id)
      account.observer = { chatStateChanged: () => {}, changed: () => this.changedFromOutside(account) }
      return
    }
    if (current !== undefined) return
    const live = new LiveAccount(account, new Random(accountSeed(this.seed, account.id)), () => { this.changed = true })
    account.observer = {
      chatStateChanged: (agent) => live.chatStateChanged(agent),
      changed: () => { live.changed(); this.changedFromOutside(account) }
    }
    this.live.set(account.id, live)
    this.order = [...this.live.values()]
  }

  private drop (id: string): void {
    const live = this.live.get(id)
    if (live === undefined) return
    this.live.delete(id)
    this.order = [...this.live.values()]
    live.account.liveEnded()
  }

  private changedFromOutside (account: Account): void {
    this.recheck.add(account)
    this.changed = true
  }

  private schedule (): void {
    if (!this.running || this.live.size === 0) return
    let atReal: number
    if (this.behind) atReal = 0
    else if (this.clock.mode === 'frozen') return
    else {
      let next = Infinity
      for (const live of this.live.values()) next = Math.min(next, live.nextDueMs)
      // A clock stopped at its last instant never reaches what is due after it.
      if (next > LATEST) return
      atReal = Date.now() + Math.min(MAX_TICK_MS, Math.max(MIN_TICK_MS, (next - this.clock.now()) / this.clock.speed))
    }
    // A timer already set for earlier is kept.
    if (this.timer !== undefined && this.timerAt <= atReal) return
    clearTimeout(this.timer)
    this.timerAt = atReal
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.timerAt = Infinity
      this.catchUp()
    }, Math.max(0, atReal - Date.now()))
    this.timer.unref()
  }
}
