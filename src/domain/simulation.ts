/**
 * A seeded discrete-event simulation of a chat contact-center pool: Poisson arrivals per skill, agents with chat
 * slots, a FIFO queue per skill whose visitors may run out of patience. Time is a number of seconds from 0 that only
 * `run` advances; the same seed and the same calls give the same run, event for event.
 *
 * Routing costs O(k) for an agent with k skills, whatever the size of the pool: per skill, the Online agents with a
 * free slot are kept in buckets by their number of active chats (least loaded first; within a bucket, one at random).
 * Only chats still queued or active are remembered; counters and the listener tell the rest.
 */
import { EventHeap, grown } from './event-heap.js'
import { IdIndex } from './id-index.js'
import { lognormalParameters, Random } from './random.js'

export { Random }

/** How long a chat keeps its agent busy. The lognormal is given by its mean and coefficient of variation. */
export type HandleTime =
  | { distribution: 'exponential', meanSec: number }
  | { distribution: 'lognormal', meanSec: number, cv: number }

export interface SkillSpec {
  name: string
  handleTime: HandleTime
  /** Mean of a waiting visitor's exponential patience. Absent (or Infinity): visitors never abandon. */
  meanPatienceSec?: number
  /** Rate of Poisson arrivals. Absent or 0: chats only come from `enqueue`. */
  arrivalsPerSec?: number
  /** A chat that arrives when this many wait for the skill leaves at once (counted as abandoned). Default: no limit. */
  maxQueued?: number
}

export interface AgentSpec {
  name: string
  /** Most chats at once: an integer ≥ 0, or -1 for unlimited. */
  maxChats: number
  skills: readonly string[]
  /** Only Online agents are given new chats. Default true. */
  online?: boolean
}

/**
 * Told of each change as it happens, including those made by `enqueue`, `startChatOn` and `setOnline`. During a call
 * the counters and agents already include the change (a chat that starts on arrival is told as arrived, then
 * started, with both counted); the listener may read the simulation but must not change it.
 */
export interface PoolListener {
  /** `queued`: the chat waits (else it starts at once, and `started` follows). */
  arrived?: (chat: number, skill: string, at: number, queued: boolean) => void
  /** `queued`: the chat had waited in the skill's queue (it was told as arrived then); else it started as it arrived. */
  started?: (chat: number, skill: string, agent: string, at: number, arrivedAt: number, queued: boolean) => void
  ended?: (chat: number, skill: string, agent: string, at: number, startedAt: number) => void
  abandoned?: (chat: number, skill: string, at: number, arrivedAt: number) => void
}

export interface PoolSimulationOptions {
  /**
   * An integer from 1 to 2^32 − 1; or a Random to draw from, continuing its stream, so that many short replications
   * share one generator (seeding MT19937 costs about 20 µs, more than a short replication's run).
   */
  seed: number | Random
  skills: readonly SkillSpec[]
  agents: readonly AgentSpec[]
  listener?: PoolListener
}

/** Since the start, per skill; always arrived = active + queued + ended + abandoned. */
export interface SkillCounters {
  arrived: number
  started: number
  ended: number
  abandoned: number
  /** Now. */
  queued: number
  /** Now. */
  active: number
}

export type ChatView =
  | { id: number, skill: string, state: 'queued', arrivedAt: number }
  | { id: number, skill: string, state: 'active', arrivedAt: number, agent: string, startedAt: number }

export interface AgentView {
  name: string
  online: boolean
  maxChats: number
  activeChats: number
  skills: string[]
}

export interface EnqueueOptions {
  /**
   * This chat's own patience if it has to wait, in place of a draw from the skill's: Infinity never abandons; 0 abandons
   * at the time it arrived, as soon as the simulation runs.
   */
  patienceSec?: number
  /**
   * When the chat arrived, if earlier than now: for a chat that already waited (a queue carried over from another
   * pool). Chats must be enqueued in the order they arrived.
   */
  arrivedAt?: number
}

// An event's `who` is target · 4 + kind; its tag tells a cancelled event from a live one.
const END = 0 // target: chat slot; tag: chat id
const ABANDON = 1 // target: chat slot; tag: chat id
const ARRIVAL = 2 // target: skill; tag: the skill's arrival generation
const NONE = -1
const LOGNORMAL = 1
/** Cancelled events are dropped in one pass once there are this many and they are half the heap, or more. */
const COMPACT_AT = 1024

/**
 * The pool and its clock. Set up a known state with `startChatOn` and `enqueue`, or let Poisson arrivals build one,
 * then `run` to a time (or until `stop`), reading changes from the listener and totals from `counters`:
 *
 *     const sim = new PoolSimulation({ seed: 1, skills: [{ name: 's', handleTime: { distribution: 'exponential', meanSec: 300 } }],
 *       agents: [{ name: 'ann', maxChats: 2, skills: ['s'] }] })
 *     sim.startChatOn('ann', 's'); sim.startChatOn('ann', 's')
 *     const id = sim.enqueue('s', { patienceSec: Infinity })
 *     let startedAt = NaN
 *     sim.listener = { started: (chat, skill, agent, at) => { if (chat === id) startedAt = at } }
 *     sim.run(Infinity, () => !Number.isNaN(startedAt))
 */
export class PoolSimulation {
  /** May be set or replaced at any time. */
  listener: PoolListener | undefined
  /** Names, in the order given. */
  readonly skills: readonly string[]
  readonly agents: readonly string[]

  private clock = 0
  private processed = 0
  private readonly random: Random
  private readonly heap = new EventHeap(8)
  /** Cancelled events still in the heap: abandonments of chats that started, arrivals replaced by a new rate. */
  private cancelled = 0

  // Skills, by index.
  private readonly skillIndex = new Map<string, number>()
  private readonly lognormal: Uint8Array
  /** Exponential: the mean. Lognormal: μ, with σ in handleSigma. */
  private readonly handleMu: Float64Array
  private readonly handleSigma: Float64Array
  private readonly patienceMean: Float64Array
  private readonly maxQueued: Float64Array
  private readonly arrivalMean: Float64Array
  private readonly arrivalTag: Float64Array
  private readonly queues: ChatFifo[]
  private readonly arrived: Float64Array
  private readonly started: Float64Array
  private readonly ended: Float64Array
  private readonly abandoned: Float64Array
  private readonly queued: Float64Array
  private readonly active: Float64Array

  // Agents, by index. Each (agent, skill) pair is a membership m, agent a's being firstMember[a] .. firstMember[a + 1] − 1.
  private readonly agentIndex = new Map<string, number>()
  private readonly maxChats: Int32Array
  private readonly activeChats: Int32Array
  private readonly online: Uint8Array
  private readonly firstMember: Int32Array
  private readonly memberSkill: Int32Array
  private readonly memberAgent: Int32Array
  /** Where the membership sits in its bucket, for O(1) swap-removal. */
  private readonly memberPosition: Int32Array
  /** buckets[skill][n]: memberships of the Online agents with a free slot and n active chats. */
  private readonly buckets: number[][][]
  /** A lower bound of the lowest non-empty bucket, raised lazily when routing. */
  private readonly lowestBucket: Int32Array
  /** Memberships in the skill's buckets. */
  private readonly available: Int32Array

  // Chats, by slot; a slot is reused once its chat ends or abandons. Every growable array starts at 8 and doubles:
  // V8 keeps typed arrays of up to 64 bytes on its heap (about 30 ns each), larger ones outside (1–3 µs each), and
  // short replications build many pools.
  private chatId = new Float64Array(8).fill(NONE)
  private chatSkill = new Int32Array(8)
  private chatAgent = new Int32Array(8)
  private chatArrived = new Float64Array(8)
  private chatStarted = new Float64Array(8)
  /** 1 while an abandonment is scheduled for the (queued) chat. */
  private chatPatient = new Uint8Array(8)
  private freeSlots = new Int32Array(8)
  private freeCount = 0
  private slotsUsed = 0
  private readonly slotOf = new IdIndex()
  private nextId = 1

  constructor (options: PoolSimulationOptions) {
    this.random = typeof options.seed === 'number' ? new Random(options.seed) : options.seed
    this.listener = options.listener
    const skills = options.skills
    const S = skills.length
    this.skills = skills.map((skill) => skill.name)
    this.lognormal = new Uint8Array(S)
    this.handleMu = new Float64Array(S)
    this.handleSigma = new Float64Array(S)
    this.patienceMean = new Float64Array(S)
    this.maxQueued = new Float64Array(S)
    this.arrivalMean = new Float64Array(S)
    this.arrivalTag = new Float64Array(S)
    this.queues = []
    this.buckets = []
    this.arrived = new Float64Array(S)
    this.started = new Float64Array(S)
    this.ended = new Float64Array(S)
    this.abandoned = new Float64Array(S)
    this.queued = new Float64Array(S)
    this.active = new Float64Array(S)
    this.lowestBucket = new Int32Array(S)
    this.available = new Int32Array(S)
    skills.forEach((skill, s) => {
      if (this.skillIndex.has(skill.name)) throw new RangeError(`skill ${skill.name} is given twice`)
      this.skillIndex.set(skill.name, s)
      const { handleTime } = skill
      if (!(handleTime.meanSec > 0 && handleTime.meanSec < Infinity)) throw new RangeError(`skill ${skill.name}: handle time meanSec must be a positive number`)
      if (handleTime.distribution === 'lognormal') {
        if (!(handleTime.cv >= 0 && handleTime.cv < Infinity)) throw new RangeError(`skill ${skill.name}: handle time cv must be a number ≥ 0`)
        const { mu, sigma } = lognormalParameters(handleTime.meanSec, handleTime.cv)
        this.lognormal[s] = LOGNORMAL
        this.handleMu[s] = mu
        this.handleSigma[s] = sigma
      } else {
        this.handleMu[s] = handleTime.meanSec
      }
      const patience = skill.meanPatienceSec ?? Infinity
      if (!(patience > 0)) throw new RangeError(`skill ${skill.name}: meanPatienceSec must be positive`)
      this.patienceMean[s] = patience
      const maxQueued = skill.maxQueued ?? Infinity
      if (!(maxQueued >= 0)) throw new RangeError(`skill ${skill.name}: maxQueued must be a number ≥ 0`)
      this.maxQueued[s] = maxQueued
      const rate = skill.arrivalsPerSec ?? 0
      if (!(rate >= 0 && rate < Infinity)) throw new RangeError(`skill ${skill.name}: arrivalsPerSec must be a number ≥ 0`)
      this.arrivalMean[s] = rate > 0 ? 1 / rate : Infinity
      this.queues.push(new ChatFifo())
      this.buckets.push([])
    })

    const agents = options.agents
    const A = agents.length
    this.agents = agents.map((agent) => agent.name)
    this.maxChats = new Int32Array(A)
    this.activeChats = new Int32Array(A)
    this.online = new Uint8Array(A)
    this.firstMember = new Int32Array(A + 1)
    const members: number[] = []
    agents.forEach((agent, a) => {
      if (this.agentIndex.has(agent.name)) throw new RangeError(`agent ${agent.name} is given twice`)
      this.agentIndex.set(agent.name, a)
      if (!Number.isInteger(agent.maxChats) || agent.maxChats < -1) throw new RangeError(`agent ${agent.name}: maxChats must be an integer ≥ 0, or -1 for unlimited`)
      this.maxChats[a] = agent.maxChats
      this.firstMember[a] = members.length
      for (const name of agent.skills) {
        const s = this.skillOf(name)
        if (members.slice(this.firstMember[a]).includes(s)) throw new RangeError(`agent ${agent.name}: skill ${name} is given twice`)
        members.push(s)
      }
    })
    this.firstMember[A] = members.length
    this.memberSkill = Int32Array.from(members)
    this.memberAgent = new Int32Array(members.length)
    this.memberPosition = new Int32Array(members.length)
    for (let a = 0; a < A; a++) this.memberAgent.fill(a, this.firstMember[a], this.firstMember[a + 1])
    agents.forEach((agent, a) => { if (agent.online ?? true) this.setOnline(agent.name, true) })
    for (let s = 0; s < S; s++) this.scheduleArrival(s)
  }

  /** Seconds since the start. */
  get now (): number { return this.clock }

  /** Events processed so far (arrivals, ends, abandonments; cancelled events are not counted). */
  get events (): number { return this.processed }

  /** Chats remembered now: those queued or active. */
  get liveChats (): number { return this.slotOf.size }

  /** When the next event in the heap is due (it may be a cancelled one), or Infinity if none is. */
  get nextEventAt (): number { return this.heap.size > 0 ? this.heap.time[0] as number : Infinity }

  /** Events in the heap, with cancelled ones not yet dropped: those are dropped once they are as many as the rest (and 1024). */
  get pendingEvents (): number { return this.heap.size }

  /**
   * Processes the events due up to `untilSec` (those at exactly `untilSec` too) in time order, then sets the clock
   * to `untilSec` (Infinity: until nothing is left to happen, never with arrivals unless `stop` says so). With
   * `stop`, stops right after the first event for which it answers true; the clock is then that event's time.
   * Returns whether `stop` stopped the run.
   */
  run (untilSec: number, stop?: () => boolean): boolean {
    if (!(untilSec >= this.clock)) throw new RangeError(`cannot run back to ${untilSec}: it is ${this.clock} already`)
    const heap = this.heap
    while (heap.size > 0) {
      const time = heap.time[0] as number
      if (time > untilSec) break
      const who = heap.who[0] as number
      const tag = heap.tag[0] as number
      heap.pop()
      const kind = who & 3
      const target = who >> 2
      if (kind === END) {
        this.clock = time
        this.end(target)
      } else if (kind === ABANDON) {
        if (this.chatId[target] !== tag || this.chatAgent[target] !== NONE) {
          this.cancelled--
          continue
        }
        this.clock = time
        this.abandon(target)
      } else {
        if (this.arrivalTag[target] !== tag) {
          this.cancelled--
          continue
        }
        this.clock = time
        this.arrive(target)
      }
      this.processed++
      if (stop !== undefined && stop()) return true
    }
    if (untilSec !== Infinity) this.clock = untilSec
    return false
  }

  /**
   * A new chat for the skill, now: it starts at once if an Online agent with the skill has a free slot, else it
   * waits behind the chats already queued. Returns its id; ids grow in the order chats arrive.
   */
  enqueue (skill: string, options: EnqueueOptions = {}): number {
    const s = this.skillOf(skill)
    const patience = options.patienceSec
    if (patience !== undefined && !(patience >= 0)) throw new RangeError(`patienceSec must be a number ≥ 0, not ${patience}`)
    const arrivedAt = options.arrivedAt ?? this.clock
    if (!(arrivedAt <= this.clock)) throw new RangeError(`arrivedAt must be a time no later than now (${this.clock}), not ${arrivedAt}`)
    const slot = this.newChat(s)
    this.chatArrived[slot] = arrivedAt
    const id = this.chatId[slot] as number
    this.route(slot, patience)
    return id
  }

  /**
   * A chat active on the agent from now, Online or not, with a fresh handle time (for an exponential one, just what
   * remains of a chat that started earlier). Refused when the agent lacks the skill or has all its chats.
   */
  startChatOn (agent: string, skill: string): number {
    const a = this.agentOf(agent)
    const s = this.skillOf(skill)
    if (!this.hasSkill(a, s)) throw new RangeError(`agent ${agent} does not have skill ${skill}`)
    const n = this.activeChats[a] as number
    const max = this.maxChats[a] as number
    if (max !== -1 && n >= max) throw new RangeError(`agent ${agent} already has all ${max} of its chats`)
    const slot = this.newChat(s)
    this.activeChats[a] = n + 1
    this.rebucket(a, n, n + 1)
    this.assign(slot, a, true)
    return this.chatId[slot] as number
  }

  /** Online: the agent takes queued chats (oldest first) into its free slots, then new ones. Offline: no new chats; its chats still end. */
  setOnline (agent: string, online: boolean): void {
    const a = this.agentOf(agent)
    if ((this.online[a] === 1) === online) return
    const n = this.activeChats[a] as number
    if (!online) {
      this.rebucket(a, n, NONE)
      this.online[a] = 0
      return
    }
    const max = this.maxChats[a] as number
    const limit = max === -1 ? Infinity : max
    this.online[a] = 1
    // In no bucket until its free slots have taken what waits (pull counts each chat it starts).
    let active = n
    while (active < limit && this.pull(a)) active++
    this.rebucket(a, NONE, active)
  }

  /** A new Poisson arrival rate for the skill, from now on (0: none). */
  setArrivalRate (skill: string, perSec: number): void {
    const s = this.skillOf(skill)
    if (!(perSec >= 0 && perSec < Infinity)) throw new RangeError(`arrivalsPerSec must be a number ≥ 0, not ${perSec}`)
    if (this.arrivalMean[s] !== Infinity) {
      add(this.arrivalTag, s, 1)
      this.cancel()
    }
    this.arrivalMean[s] = perSec > 0 ? 1 / perSec : Infinity
    this.scheduleArrival(s)
  }

  /** A queued or active chat; undefined once it has ended or abandoned (the listener tells which), or if unknown. */
  chat (id: number): ChatView | undefined {
    if (!(Number.isSafeInteger(id) && id > 0)) return undefined
    const slot = this.slotOf.get(id)
    if (slot === NONE) return undefined
    const skill = this.skills[this.chatSkill[slot] as number] as string
    const arrivedAt = this.chatArrived[slot] as number
    const a = this.chatAgent[slot] as number
    if (a === NONE) return { id, skill, state: 'queued', arrivedAt }
    return { id, skill, state: 'active', arrivedAt, agent: this.agents[a] as string, startedAt: this.chatStarted[slot] as number }
  }

  /** The agent as it is now. */
  agent (name: string): AgentView {
    const a = this.agentOf(name)
    const skills: string[] = []
    for (let m = this.firstMember[a] as number; m < (this.firstMember[a + 1] as number); m++) skills.push(this.skills[this.memberSkill[m] as number] as string)
    return { name, online: this.online[a] === 1, maxChats: this.maxChats[a] as number, activeChats: this.activeChats[a] as number, skills }
  }

  /** The skill's counters now. */
  counters (skill: string): SkillCounters {
    const s = this.skillOf(skill)
    return {
      arrived: this.arrived[s] as number,
      started: this.started[s] as number,
      ended: this.ended[s] as number,
      abandoned: this.abandoned[s] as number,
      queued: this.queued[s] as number,
      active: this.active[s] as number
    }
  }

  /** Every queued chat, oldest first (in the order they were queued, across skills). O(queued chats). */
  queuedChatList (): Array<ChatView & { state: 'queued' }> {
    const chats: Array<ChatView & { state: 'queued' }> = []
    this.queues.forEach((queue, s) => {
      const mask = queue.slots.length - 1
      for (let k = 0; k < queue.length; k++) {
        const i = (queue.head + k) & mask
        const slot = queue.slots[i] as number
        const id = queue.ids[i] as number
        if (this.chatId[slot] === id) chats.push({ id, skill: this.skills[s] as string, state: 'queued', arrivedAt: this.chatArrived[slot] as number })
      }
    })
    return chats.sort((a, b) => a.id - b.id)
  }

  /** Every active chat, in no particular order. O(chats remembered). */
  activeChatList (): Array<ChatView & { state: 'active' }> {
    const chats: Array<ChatView & { state: 'active' }> = []
    for (let slot = 0; slot < this.slotsUsed; slot++) {
      const id = this.chatId[slot] as number
      const a = this.chatAgent[slot] as number
      if (id === NONE || a === NONE) continue
      chats.push({
        id, skill: this.skills[this.chatSkill[slot] as number] as string, state: 'active',
        arrivedAt: this.chatArrived[slot] as number, agent: this.agents[a] as string, startedAt: this.chatStarted[slot] as number
      })
    }
    return chats
  }

  private skillOf (name: string): number {
    const s = this.skillIndex.get(name)
    if (s === undefined) throw new RangeError(`unknown skill ${name}`)
    return s
  }

  private agentOf (name: string): number {
    const a = this.agentIndex.get(name)
    if (a === undefined) throw new RangeError(`unknown agent ${name}`)
    return a
  }

  private hasSkill (a: number, s: number): boolean {
    for (let m = this.firstMember[a] as number; m < (this.firstMember[a + 1] as number); m++) if (this.memberSkill[m] === s) return true
    return false
  }

  private arrive (s: number): void {
    this.route(this.newChat(s), undefined)
    this.scheduleArrival(s)
  }

  private scheduleArrival (s: number): void {
    const mean = this.arrivalMean[s] as number
    if (mean !== Infinity) this.heap.push(this.clock + this.random.exponential(mean), s * 4 + ARRIVAL, this.arrivalTag[s] as number)
  }

  /** To the least loaded Online agent with the skill and a free slot, else to the back of the skill's queue. */
  private route (slot: number, patience: number | undefined): void {
    const s = this.chatSkill[slot] as number
    const a = this.leastLoaded(s)
    if (a !== NONE) {
      const n = this.activeChats[a] as number
      this.activeChats[a] = n + 1
      this.rebucket(a, n, n + 1)
      this.assign(slot, a, true)
      return
    }
    const id = this.chatId[slot] as number
    if ((this.queued[s] as number) >= (this.maxQueued[s] as number)) {
      // The queue is full: the visitor leaves at once, told as arrived to wait, then abandoned, never counted as queued.
      const arrivedAt = this.chatArrived[slot] as number
      add(this.abandoned, s, 1)
      this.freeChat(slot)
      this.listener?.arrived?.(id, this.skills[s] as string, this.clock, true)
      this.listener?.abandoned?.(id, this.skills[s] as string, this.clock, arrivedAt)
      return
    }
    ;(this.queues[s] as ChatFifo).push(slot, id)
    add(this.queued, s, 1)
    const mean = this.patienceMean[s] as number
    const wait = patience ?? (mean === Infinity ? Infinity : this.random.exponential(mean))
    if (wait !== Infinity) {
      this.chatPatient[slot] = 1
      this.heap.push(this.clock + wait, slot * 4 + ABANDON, id)
    }
    this.listener?.arrived?.(id, this.skills[s] as string, this.clock, true)
  }

  private leastLoaded (s: number): number {
    if (this.available[s] === 0) return NONE
    const lists = this.buckets[s] as number[][]
    let n = this.lowestBucket[s] as number
    let list = lists[n] as number[]
    while (list.length === 0) list = lists[++n] as number[]
    this.lowestBucket[s] = n
    const m = list.length === 1 ? list[0] : list[this.random.below(list.length)]
    return this.memberAgent[m as number] as number
  }

  /** Starts the chat on the agent, whose activeChats already counts it; `arriving`: the chat is new (never queued). */
  private assign (slot: number, a: number, arriving: boolean): void {
    const s = this.chatSkill[slot] as number
    this.chatAgent[slot] = a
    this.chatStarted[slot] = this.clock
    add(this.started, s, 1)
    add(this.active, s, 1)
    if (this.chatPatient[slot] === 1) {
      this.chatPatient[slot] = 0
      this.cancel()
    }
    const handle = this.lognormal[s] === LOGNORMAL
      ? this.random.lognormal(this.handleMu[s] as number, this.handleSigma[s] as number)
      : this.random.exponential(this.handleMu[s] as number)
    const id = this.chatId[slot] as number
    this.heap.push(this.clock + handle, slot * 4 + END, id)
    if (this.listener === undefined) return
    if (arriving) this.listener.arrived?.(id, this.skills[s] as string, this.clock, false)
    this.listener.started?.(id, this.skills[s] as string, this.agents[a] as string, this.clock, this.chatArrived[slot] as number, !arriving)
  }

  private end (slot: number): void {
    const s = this.chatSkill[slot] as number
    const a = this.chatAgent[slot] as number
    const id = this.chatId[slot] as number
    add(this.active, s, -1)
    add(this.ended, s, 1)
    const n = add(this.activeChats, a, -1)
    this.freeChat(slot)
    this.listener?.ended?.(id, this.skills[s] as string, this.agents[a] as string, this.clock, this.chatStarted[slot] as number)
    // An Online agent takes the oldest chat waiting for any of its skills into the slot; else the slot is free.
    if (this.online[a] === 1 && !this.pull(a)) this.rebucket(a, n + 1, n)
  }

  private abandon (slot: number): void {
    const s = this.chatSkill[slot] as number
    const id = this.chatId[slot] as number
    const arrivedAt = this.chatArrived[slot] as number
    this.chatPatient[slot] = 0
    add(this.abandoned, s, 1)
    // The chat's entry goes when it reaches the head, or when abandoned entries crowd the queue (behind a chat that
    // waits for long), or at once when no chat is left.
    const left = add(this.queued, s, -1)
    const queue = this.queues[s] as ChatFifo
    if (left === 0) queue.clear()
    else if (queue.length > 2 * left + 64) queue.retain(this.chatId)
    this.freeChat(slot)
    this.listener?.abandoned?.(id, this.skills[s] as string, this.clock, arrivedAt)
  }

  /** Starts the oldest chat queued for any of the agent's skills on it, counting it; false if none waits. */
  private pull (a: number): boolean {
    let best = NONE
    let bestId = Infinity
    let bestSkill = NONE
    const last = this.firstMember[a + 1] as number
    for (let m = this.firstMember[a] as number; m < last; m++) {
      const s = this.memberSkill[m] as number
      if (this.queued[s] === 0) continue
      const slot = this.headOf(s)
      const id = this.chatId[slot] as number
      if (id < bestId) {
        best = slot
        bestId = id
        bestSkill = s
      }
    }
    if (best === NONE) return false
    ;(this.queues[bestSkill] as ChatFifo).shift()
    add(this.queued, bestSkill, -1)
    add(this.activeChats, a, 1)
    this.assign(best, a, false)
    return true
  }

  /** The slot of the oldest chat still queued for the skill (there must be one), dropping abandoned entries. */
  private headOf (s: number): number {
    const queue = this.queues[s] as ChatFifo
    for (;;) {
      const slot = queue.slots[queue.head] as number
      if (this.chatId[slot] === queue.ids[queue.head]) return slot
      queue.shift()
    }
  }

  /** Moves an Online agent's memberships from the bucket for `from` active chats to that for `to` (NONE: none). */
  private rebucket (a: number, from: number, to: number): void {
    if (this.online[a] === 0) return
    const max = this.maxChats[a] as number
    const wasIn = from !== NONE && (max === -1 || from < max)
    const isIn = to !== NONE && (max === -1 || to < max)
    const last = this.firstMember[a + 1] as number
    for (let m = this.firstMember[a] as number; m < last; m++) {
      const s = this.memberSkill[m] as number
      const lists = this.buckets[s] as number[][]
      if (wasIn) {
        const list = lists[from] as number[]
        const i = this.memberPosition[m] as number
        const moved = list.pop() as number
        if (moved !== m) {
          list[i] = moved
          this.memberPosition[moved] = i
        }
        add(this.available, s, -1)
      }
      if (isIn) {
        while (lists.length <= to) lists.push([])
        const list = lists[to] as number[]
        this.memberPosition[m] = list.length
        list.push(m)
        add(this.available, s, 1)
        if (to < (this.lowestBucket[s] as number)) this.lowestBucket[s] = to
      }
    }
  }

  private newChat (s: number): number {
    let slot: number
    if (this.freeCount > 0) slot = this.freeSlots[--this.freeCount] as number
    else {
      if (this.slotsUsed === this.chatId.length) this.growChats()
      slot = this.slotsUsed++
    }
    const id = this.nextId++
    this.chatId[slot] = id
    this.chatSkill[slot] = s
    this.chatAgent[slot] = NONE
    this.chatArrived[slot] = this.clock
    this.slotOf.set(id, slot)
    add(this.arrived, s, 1)
    return slot
  }

  private freeChat (slot: number): void {
    this.slotOf.delete(this.chatId[slot] as number)
    this.chatId[slot] = NONE
    this.freeSlots[this.freeCount++] = slot
  }

  private growChats (): void {
    const capacity = this.chatId.length * 2
    this.chatId = grown(this.chatId, new Float64Array(capacity).fill(NONE))
    this.chatSkill = grown(this.chatSkill, new Int32Array(capacity))
    this.chatAgent = grown(this.chatAgent, new Int32Array(capacity))
    this.chatArrived = grown(this.chatArrived, new Float64Array(capacity))
    this.chatStarted = grown(this.chatStarted, new Float64Array(capacity))
    this.chatPatient = grown(this.chatPatient, new Uint8Array(capacity))
    this.freeSlots = grown(this.freeSlots, new Int32Array(capacity))
  }

  /** One more cancelled event in the heap; when they are many, they go. */
  private cancel (): void {
    if (++this.cancelled < COMPACT_AT || this.cancelled * 2 < this.heap.size) return
    this.heap.retain(this.isLive)
    this.cancelled = 0
  }

  private readonly isLive = (who: number, tag: number): boolean => {
    const target = who >> 2
    switch (who & 3) {
      case ABANDON: return this.chatId[target] === tag && this.chatAgent[target] === NONE
      case ARRIVAL: return this.arrivalTag[target] === tag
      default: return true
    }
  }
}

/** array[i] += by; returns the new value. */
function add (array: Float64Array | Int32Array, i: number, by: number): number {
  const value = (array[i] as number) + by
  array[i] = value
  return value
}

/**
 * One skill's queue: chat slots and ids in arrival order, in a ring that grows. An abandoned chat's entry stays
 * until it reaches the head (where its slot no longer holds its id), so that leaving the queue costs O(1).
 */
class ChatFifo {
  slots = new Int32Array(8)
  ids = new Float64Array(8)
  head = 0
  /** Entries, abandoned ones included. */
  length = 0

  push (slot: number, id: number): void {
    if (this.length === this.slots.length) this.grow()
    const i = (this.head + this.length) & (this.slots.length - 1)
    this.slots[i] = slot
    this.ids[i] = id
    this.length++
  }

  shift (): void {
    this.head = (this.head + 1) & (this.slots.length - 1)
    this.length--
  }

  clear (): void {
    this.head = 0
    this.length = 0
  }

  /** Keeps the entries whose slot still holds their chat, in order (rare: into new arrays of the same size). */
  retain (chatId: Float64Array): void {
    const mask = this.slots.length - 1
    const slots = new Int32Array(this.slots.length)
    const ids = new Float64Array(this.slots.length)
    let kept = 0
    for (let k = 0; k < this.length; k++) {
      const i = (this.head + k) & mask
      const slot = this.slots[i] as number
      const id = this.ids[i] as number
      if (chatId[slot] !== id) continue
      slots[kept] = slot
      ids[kept] = id
      kept++
    }
    this.slots = slots
    this.ids = ids
    this.head = 0
    this.length = kept
  }

  private grow (): void {
    const capacity = this.slots.length * 2
    const slots = new Int32Array(capacity)
    const ids = new Float64Array(capacity)
    for (let k = 0; k < this.length; k++) {
      const i = (this.head + k) & (this.slots.length - 1)
      slots[k] = this.slots[i] as number
      ids[k] = this.ids[i] as number
    }
    this.slots = slots
    this.ids = ids
    this.head = 0
  }
}
