/** What the dashboard shows, in one answer: the clock, every account's agents and skills with their answers, faults, requests. */
import { Type, type Static } from 'typebox'
import { CHAT_STATES } from '../../domain/model.js'
import { AccountId, Name } from '../../domain/scenario-schema.js'
import { Fault } from '../../domain/fault-schema.js'
import { Clock } from './clock.js'
import { LiveSkill } from './live.js'

/** The maxWaitTime values each skill's availableSlots is shown for. */
export const DASHBOARD_WAITS = [0, 60, 120, 300, 600] as const
/** The most agents of an account the dashboard lists (the counts cover them all). */
export const DASHBOARD_AGENTS = 200
/** The most recent requests it lists. */
export const DASHBOARD_REQUESTS = 10

const count = Type.Integer({ minimum: 0 })

export const DashboardAgent = Type.Object({
  name: Name,
  nickname: Type.String(),
  chatState: Type.Enum(CHAT_STATES),
  maxChats: Type.Integer({ minimum: -1, description: '-1: unlimited.' }),
  activeChats: count,
  skills: Type.Array(Name)
}, { $id: 'DashboardAgent', additionalProperties: false })

export const DashboardSkill = Type.Object({
  name: Name,
  queued: count,
  onlineAgents: count,
  freeSlots: Type.Integer({ minimum: -1, description: 'Free slots of its Online agents; -1 when one is unlimited.' }),
  activeChats: Type.Integer({ minimum: 0, description: 'Chats its Online agents hold.' }),
  availableSlots: Type.Array(Type.Object({ maxWaitTime: count, slots: Type.Integer({ minimum: -1 }) }, { additionalProperties: false }), {
    description: `availableSlots?skill=…&maxWaitTime=… for ${DASHBOARD_WAITS.join(', ')} s.`
  }),
  estimatedWaitTime: Type.Integer({ minimum: -2, description: 'As chat/estimatedWaitTime answers: seconds, -1 nobody Online, -2 no chat taken.' }),
  live: Type.Optional(LiveSkill)
}, { $id: 'DashboardSkill', additionalProperties: false })

export const DashboardAccount = Type.Object({
  id: AccountId,
  agentCount: Type.Integer({ minimum: 0, description: `All its agents; the first ${DASHBOARD_AGENTS} are listed.` }),
  agents: Type.Array(DashboardAgent, { maxItems: DASHBOARD_AGENTS }),
  skills: Type.Array(DashboardSkill)
}, { $id: 'DashboardAccount', additionalProperties: false })

export const DashboardRequest = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  time: Type.String({ format: 'date-time' }),
  method: Type.String(),
  path: Type.String(),
  status: Type.Union([Type.Integer(), Type.Null()])
}, { $id: 'DashboardRequest', additionalProperties: false })

export const DashboardState = Type.Object({
  scenario: Type.String(),
  clock: Clock,
  accounts: Type.Array(DashboardAccount),
  faults: Type.Array(Fault),
  requests: Type.Array(DashboardRequest, { maxItems: DASHBOARD_REQUESTS, description: 'The latest requests to the public API, oldest first.' })
}, {
  $id: 'DashboardState',
  additionalProperties: false,
  description: 'Everything the dashboard (/dashboard) shows, in one answer; the events stream sends the same.'
})

export type DashboardStateView = Static<typeof DashboardState>
