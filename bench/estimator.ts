/**
 * `npm run bench:estimator`: what one availableSlots answer costs the estimator, cold (searched) and remembered,
 * for the pools of the benchmark and README examples. Not a test: the figures go in docs/benchmarks.md.
 */
import { availableSlots, type Criterion, type Pool } from '../src/domain/estimator.js'
import { Account } from '../src/domain/model.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const probability: Criterion = { criterion: 'probability', p: 0.8 }
const mean: Criterion = { criterion: 'mean' }

const pool = (free: number, slots: number, queued: number, handle: number, patience?: number): Pool =>
  ({ unlimited: false, free, slots, queued, release: { num: slots, den: handle }, ...(patience === undefined ? {} : { meanPatienceSec: patience }) })

/** Microseconds per call of `fn`, median of ROUNDS rounds of `calls` calls. */
function micros (calls: number, fn: (i: number) => number): number {
  const rounds: number[] = []
  let sink = 0
  for (let r = 0; r <= ROUNDS; r++) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < calls; i++) sink += fn(i)
    const elapsed = Number(process.hrtime.bigint() - start) / 1000 / calls
    if (r > 0) rounds.push(elapsed) // the first round warms up
  }
  if (sink === Math.PI) console.log('') // keeps the calls from being optimised away
  return rounds.sort((a, b) => a - b)[Math.floor(rounds.length / 2)] as number
}

const cases: Array<[string, Pool, number]> = [
  ['README: Sales, 3 slots, T = 300 s', pool(2, 3, 0, 300), 300],
  ['README: Support, patience 180 s, T = 300 s', pool(2, 5, 2, 420, 180), 300],
  ['10 agents × 4 slots, 12 free, Q = 4, patience 120 s, T = 300 s', pool(12, 40, 4, 300, 120), 300],
  ['400 slots all busy, Q = 200, h = 30 s, T = 3600 s (answer ≈ 47,700)', pool(0, 400, 200, 30), 3600],
  ['400 slots, patience 900 s, T = 3600 s', pool(0, 400, 200, 30, 900), 3600],
  ['a day: 100,000 slots, T = 86400 s (capped)', pool(0, 100_000, 0, 300), 86400]
]

console.log('| pool | answer | probability 0.8, cold | mean, cold |')
console.log('|---|---:|---:|---:|')
for (const [name, p, wait] of cases) {
  // Cold: a different T each call defeats nothing here (availableSlots remembers nothing); T varies by one second
  // so that no call repeats the previous one's arithmetic exactly.
  const cold = micros(2000, (i) => availableSlots(p, wait - (i & 1), probability))
  const coldMean = micros(20000, (i) => availableSlots(p, wait - (i & 1), mean))
  console.log(`| ${name} | ${availableSlots(p, wait, probability)} | ${cold.toFixed(2)} µs | ${coldMean.toFixed(3)} µs |`)
}

// Remembered: the model's answer for a question asked before, as the availableSlots route asks it.
const account = new Account('1')
account.putSkill({ name: 'Skill2', id: 2, queued: 4, meanHandleTimeSec: 300, meanPatienceSec: 120 })
for (let a = 0; a < 10; a++) {
  account.putAgent({ loginName: `a${a}`, id: a + 1, nickname: `a${a}`, chatState: 'Online', maxChats: 4, activeChats: a % 4, skills: ['Skill2'] })
}
const remembered = micros(1_000_000, () => account.skillSlots('Skill2', 300) as number)
console.log(`\nremembered (Account.skillSlots, same question again): ${remembered.toFixed(3)} µs; answer ${account.skillSlots('Skill2', 300) as number}`)
