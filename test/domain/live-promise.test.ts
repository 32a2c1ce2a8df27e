/**
 * The estimator's promise under live load: at moments of a live run, `availableSlots?skill=&maxWaitTime=T` admits n
 * chats, promising (default criterion, p = 0.8) that the last of them starts within T with probability at least p,
 * counting that its visitor may give up first. From the state at each moment — exponential handle times and patience
 * forget how long they have run, so the counts are the whole state — R replications of the pool go on with n more
 * chats, and count whether the n-th started within T.
 */
import t from 'tap'
import { SimulatedClock } from '../../src/domain/clock.js'
import { LiveModel } from '../../src/domain/live.js'
import type { Account } from '../../src/domain/model.js'
import { buildWorld } from '../../src/domain/scenario.js'
import { PoolSimulation, Random } from '../../src/domain/simulation.js'

const HANDLE_SEC = 300
const PATIENCE_SEC = 300
const ARRIVALS_PER_HOUR = 250 // 20.8 Erlangs on 20 slots: queues form and clear
const AGENTS = 10
const MAX_CHATS = 2
const P = 0.8
const REPLICATIONS = Number(process.env.PROMISE_REPLICATIONS ?? 400)
const MOMENTS = Number(process.env.PROMISE_MOMENTS ?? 60)

/** Whether the `n`-th chat admitted now (or one more than admitted) starts within `waitSec`, in one replication of the pool as it is. */
function lastAdmittedStarts (account: Account, n: number, waitSec: number, random: Random): boolean {
  const agents = account.agentList()
  const sim = new PoolSimulation({
    seed: random,
    skills: [{ name: 'S', handleTime: { distribution: 'exponential', meanSec: HANDLE_SEC }, meanPatienceSec: PATIENCE_SEC, arrivalsPerSec: ARRIVALS_PER_HOUR / 3600 }],
    agents: agents.map((agent) => ({ name: agent.loginName, maxChats: agent.maxChats, skills: agent.skills, online: agent.chatState === 'Online' }))
  })
  for (const agent of agents) for (let i = 0; i < agent.activeChats; i++) sim.startChatOn(agent.loginName, 'S')
  for (let i = 0; i < (account.skill('S')?.queued ?? 0); i++) sim.enqueue('S')
  let last = 0
  for (let i = 0; i < n; i++) last = sim.enqueue('S')
  if (sim.chat(last)?.state === 'active') return true
  let started = false
  sim.listener = { started: (id) => { if (id === last) started = true } }
  sim.run(waitSec, () => sim.chat(last)?.state !== 'queued')
  return started
}

t.test('at moments of a live run, the last chat availableSlots admits starts within maxWaitTime at the promised rate', async (t) => {
  const world = buildWorld({
    description: 'promise',
    accounts: {
      a: {
        skills: { S: { meanHandleTimeSec: HANDLE_SEC, meanPatienceSec: PATIENCE_SEC, arrivalsPerHour: ARRIVALS_PER_HOUR, handleTime: { distribution: 'exponential' } } },
        agents: Object.fromEntries(Array.from({ length: AGENTS }, (_, i) => [`g${i}`, { chatState: 'Online' as const, maxChats: MAX_CHATS, skills: ['S'] }]))
      }
    }
  })
  const clock = SimulatedClock.frozenAt(Date.parse('2026-12-01T00:00:00Z'))
  const live = new LiveModel(world, clock, 7)
  const account = world.account('a') as Account
  const random = new Random(20261201)
  const moments = new Random(20261202)
  clock.advance(3600 * 1000) // warm-up: the pool fills
  live.catchUp(Infinity)
  /** Per moment: the rate of the last admitted chat, and of one more. */
  const admitted: number[] = []
  const oneMore: number[] = []
  for (let m = 0; m < MOMENTS; m++) {
    clock.advance(Math.round(moments.exponential(900) * 1000))
    live.catchUp(Infinity)
    const waitSec = [30, 60, 120, 300][m % 4] as number
    const n = account.skillSlots('S', waitSec) as number
    const free = account.agentList().reduce((sum, agent) => sum + Math.max(0, agent.maxChats - agent.activeChats), 0)
    // Only a chat that has to wait is a promise about waiting.
    if (n <= free) continue
    for (const [rates, k] of [[admitted, n], [oneMore, n + 1]] as const) {
      let started = 0
      for (let r = 0; r < REPLICATIONS; r++) if (lastAdmittedStarts(account, k, waitSec, random)) started++
      rates.push(started / REPLICATIONS)
    }
  }
  /** The mean rate over the moments, and its standard error (binomial, the moments independent). */
  const summary = (rates: number[]): { mean: number, se: number, text: string } => {
    const mean = rates.reduce((sum, x) => sum + x, 0) / rates.length
    const se = Math.sqrt(rates.reduce((sum, x) => sum + x * (1 - x) / REPLICATIONS, 0)) / rates.length
    return { mean, se, text: `${(100 * mean).toFixed(1)} % ± ${(100 * se).toFixed(1)} %` }
  }
  t.ok(admitted.length >= MOMENTS / 4, `${admitted.length} of ${MOMENTS} moments admitted a chat that waits`)
  // 3 standard errors, one-sided: a correct estimator fails each check about once in 700 seeds.
  const last = summary(admitted)
  t.ok(last.mean >= P - 3 * last.se, `the last admitted chat started within maxWaitTime in ${last.text} of replications (promised ≥ ${100 * P} %)`)
  const next = summary(oneMore)
  t.ok(next.mean < P + 3 * next.se, `one chat more would have started within it in only ${next.text} (so no chat that fits was refused)`)
})
