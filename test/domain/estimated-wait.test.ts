/**
 * estimatedWaitTime: the expected wait of one new chat behind the queue, against a seeded simulation of the same
 * state (test/helpers/estimator-check.ts), and its special answers (0, -1, -2) exactly.
 */
import t from 'tap'
import { estimatedWait, NO_ESTIMATE } from '../../src/domain/estimator.js'
import { Account } from '../../src/domain/model.js'
import { Random } from '../../src/domain/simulation.js'
import { checkWaitEstimate, randomState, Z } from '../helpers/estimator-check.js'

const STATES = 120
const REPLICATIONS = 400

t.test(`${STATES} random states: the answer is the simulated mean wait within ${Z} standard errors (and half a second of rounding)`, async (t) => {
  const states = new Random(20261202)
  const draws = new Random(20261203)
  const far: string[] = []
  let waiting = 0
  for (let i = 0; i < STATES; i++) {
    const state = randomState(states)
    const { answer, found, standardError } = checkWaitEstimate(state, REPLICATIONS, draws)
    const free = state.agents.reduce((sum, a) => sum + a.maxChats - a.activeChats, 0)
    if (free > state.queued) {
      if (answer !== 0 || found !== 0) far.push(`state ${i}: a free slot, answered ${answer}, simulated ${found}`)
      continue
    }
    waiting++
    if (Math.abs(answer - found) > Z * standardError + 0.5) far.push(`state ${i}: answered ${answer}, simulated ${found} ± ${standardError}`)
  }
  t.same(far, [], 'found = answered')
  t.ok(waiting >= STATES / 5, `${waiting} states where the new chat waits`)
})

t.test('the worked example of docs/estimator.md', async (t) => {
  // 9 slots, all busy, Q = 2, h = 300 s: R = 0.03/s, j = 2 ahead: 3/R = 100 s; with θ = 1/180: 1/R + 1/(R + θ) + 1/(R + 2θ) = 33.3 + 28.1 + 24.3.
  const pool = { unlimited: false, free: 0, slots: 9, queued: 2, release: { num: 9, den: 300 } }
  t.equal(estimatedWait(pool), 100)
  t.equal(estimatedWait({ ...pool, meanPatienceSec: 180 }), 86)
  t.equal(estimatedWait({ ...pool, free: 3 }), 0, 'a slot free beyond the queue: at once')
  t.equal(estimatedWait({ ...pool, free: 2 }), 33, 'as many free slots as queued chats: the next release')
  t.equal(estimatedWait({ ...pool, unlimited: true }), 0)
  t.equal(estimatedWait({ ...pool, slots: 0, release: { num: 0, den: 300 } }), NO_ESTIMATE, 'no slot ever frees up')
})

t.test('waitEstimate: -1 when nobody eligible is Online, undefined for an unknown skill', async (t) => {
  const account = new Account('1')
  account.putSkill({ name: 'S', id: 1, queued: 0, meanHandleTimeSec: 300 })
  account.putAgent({ loginName: 'a', id: 1, nickname: 'a', chatState: 'Away', maxChats: 2, activeChats: 0, skills: ['S'] })
  t.equal(account.waitEstimate('S'), -1)
  t.equal(account.waitEstimate(), -1)
  t.equal(account.waitEstimate('X'), undefined)
  account.putAgent({ loginName: 'a', id: 1, nickname: 'a', chatState: 'Online', maxChats: 0, activeChats: 0, skills: ['S'] })
  t.equal(account.waitEstimate('S'), NO_ESTIMATE, 'Online, but takes no chat')
  account.putAgent({ loginName: 'a', id: 1, nickname: 'a', chatState: 'Online', maxChats: 2, activeChats: 2, skills: ['S'] })
  t.equal(account.waitEstimate('S'), 150, '2 slots at 300 s: the first frees in 150 s on average')
  t.equal(account.waitEstimate(), 150, 'the whole account: the same one agent')
})
