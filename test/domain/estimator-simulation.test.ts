/**
 * The estimator against a seeded simulation of the very states it answers for (test/helpers/estimator-check.ts).
 * In `npm test`: 220 random states, 100 to 1,500 replications each (about 60,000 simulated events a state; 10 s
 * on one core). The long run, `npm run test:estimator`, sets ESTIMATOR_STATES, ESTIMATOR_EVENTS, ESTIMATOR_MIN and
 * ESTIMATOR_MAX (docs/estimator.md has its figures).
 */
import t from 'tap'
import { Random } from '../../src/domain/simulation.js'
import { check, randomState, verdict, Z, zScore, type Checked, type Observed } from '../helpers/estimator-check.js'

const setting = (name: string, fallback: number): number => {
  const value = process.env[name]
  return value === undefined ? fallback : Number(value)
}
const STATES = setting('ESTIMATOR_STATES', 220)
const budget = { events: setting('ESTIMATOR_EVENTS', 60_000), min: setting('ESTIMATOR_MIN', 100), max: setting('ESTIMATOR_MAX', 1500) }
const SEED = setting('ESTIMATOR_SEED', 20261201)

// Seconds of work on a machine that runs other test files beside it; the long run takes longer still.
t.setTimeout(setting('ESTIMATOR_TIMEOUT_SEC', 120) * 1000)

// Two streams: the states do not change with the replications' budget.
const states = new Random(SEED)
const draws = new Random(SEED + 1)
const results: Checked[] = []
for (let i = 0; i < STATES; i++) results.push(check(randomState(states), draws, budget))

const observed = (c: Checked): Observed[] => [c.lastAdmitted, c.next].filter((o) => o !== undefined)
const simulated = results.filter((c) => c.replications > 0)
const describe = (c: Checked): string => JSON.stringify({ state: { ...c.state, agents: c.state.agents.length }, answer: c.estimate.availableSlots, replications: c.replications })

t.test(`each of ${STATES} random states: the last admitted chat meets the criterion and the next does not, within ${Z} standard errors`, async (t) => {
  const problems = results.flatMap((c) => verdict(c).map((problem) => `${describe(c)}: ${problem}`))
  t.same(problems, [], 'no state breaks its promise')
})

t.test(`each simulated figure agrees with the formula within ${Z} standard errors`, async (t) => {
  const far = results.flatMap((c) => observed(c).filter((o) => !(Math.abs(zScore(o)) <= Z)).map((o) => `${describe(c)}: ${JSON.stringify(o)}`))
  t.same(far, [], 'found = promised')
  const scores = results.flatMap(observed).map((o) => Math.abs(zScore(o))).sort((a, b) => a - b)
  const median = scores[Math.floor(scores.length / 2)] as number
  const within2 = scores.filter((z) => z <= 2).length / scores.length
  // A right formula gives |z| a median near 0.67 and 95 % within 2; a wrong one drifts away as replications grow.
  t.ok(median < 1, `median |z| ${median.toFixed(3)} over ${scores.length} figures`)
  t.ok(within2 > 0.9, `${(100 * within2).toFixed(1)} % within 2 standard errors`)
  t.comment(`states ${results.length}, figures ${scores.length}, median |z| ${median.toFixed(3)}, within 2 SE ${(100 * within2).toFixed(1)} %, ` +
    `max |z| ${(scores[scores.length - 1] as number).toFixed(2)}, replications ${Math.min(...simulated.map((c) => c.replications))}–` +
    `${Math.max(...simulated.map((c) => c.replications))}, capped answers not simulated ${results.length - simulated.length}`)
})

t.test('the random states cover what the issue asks for', async (t) => {
  const count = (test: (c: Checked) => boolean): number => results.filter(test).length
  const slots = (c: Checked): number => c.state.agents.reduce((sum, a) => sum + a.maxChats, 0)
  const free = (c: Checked): number => c.state.agents.reduce((sum, a) => sum + a.maxChats - a.activeChats, 0)
  t.ok(simulated.length >= 200, 'at least 200 states simulated')
  t.ok(count((c) => c.state.criterion.criterion === 'mean') >= STATES / 10, 'mean criterion')
  t.ok(count((c) => c.state.criterion.criterion === 'probability' && c.state.criterion.p !== 0.8) >= STATES / 10, 'p other than 0.8')
  t.ok(count((c) => c.state.patienceSec !== undefined) >= STATES / 4, 'with patience')
  t.ok(count((c) => c.state.patienceSec === undefined) >= STATES / 4, 'without patience')
  t.ok(count((c) => free(c) > c.state.queued) >= STATES / 10, 'free slots left after the queue')
  t.ok(count((c) => c.state.queued > slots(c)) >= STATES / 20, 'overload: more queued than slots')
  t.ok(count((c) => c.lastAdmitted?.ahead !== undefined) >= STATES / 4, 'admitted chats that wait')
  t.ok(count((c) => c.estimate.availableSlots === 0) >= STATES / 20, 'answers of 0')
})
