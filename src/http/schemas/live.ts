/** The live model as the admin API shows it: per live account and skill, what happened since it became live. */
import { Type, type Static } from 'typebox'
import { AccountId, mapOf, Name } from '../../domain/scenario-schema.js'

const count = (description: string) => Type.Integer({ minimum: 0, description })

export const LiveSkill = Type.Object({
  arrived: count('Chats that arrived (by the skill\'s arrival rate) since the account became live.'),
  started: count('Chats that started on an agent, at once or from the queue.'),
  ended: count('Chats that ended after their handle time.'),
  abandoned: count('Queued chats whose visitors gave up (or found the queue full: 10,000).'),
  waitedSec: Type.Number({ minimum: 0, description: 'Seconds the started chats waited, in all: waitedSec / started is the mean wait.' }),
  queued: count('Chats queued now.'),
  handleTimeSec: Type.Integer({
    minimum: 1, description: 'The handle time the estimator uses now: learned from ended chats (moving average, α = 0.05), starting from meanHandleTimeSec.'
  })
}, { $id: 'LiveSkill', additionalProperties: false })

export const LiveAccount = Type.Object({
  events: count('Simulation events applied (arrivals, ends, abandonments), and steps of the daily plans (arrival rates, shifts).'),
  skills: mapOf(Name, LiveSkill)
}, { $id: 'LiveAccount', additionalProperties: false })

export const Live = Type.Object({
  accounts: mapOf(AccountId, LiveAccount, { description: 'The live accounts (docs/live.md); others are not listed.' }),
  behindSec: Type.Number({ minimum: 0, description: 'How far the live model lags behind the clock after a long jump; 0 once it has caught up.' })
}, {
  $id: 'Live',
  additionalProperties: false,
  examples: [{
    accounts: { 12345678: { events: 761, skills: { Sales: { arrived: 229, started: 220, ended: 223, abandoned: 9, waitedSec: 822.6, queued: 0, handleTimeSec: 253 } } } },
    behindSec: 0
  }]
})

export type LiveView = Static<typeof Live>
