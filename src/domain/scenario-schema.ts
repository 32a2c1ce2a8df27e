/**
 * The scenario document's schema, written once. Each named part has an `$id`: the admin API's routes refer to them,
 * the OpenAPI document lists them as components, and fixtures/scenario.schema.json is written from them
 * (`npm run schemas`; a test fails when the file is stale). The TypeScript types of documents are derived from them.
 */
import { Type, type Static, type TSchema, type TUnsafe } from 'typebox'
import { CLOCK_MODES, MAX_SPEED } from './clock.js'
import { CHAT_STATES, MAX_ACTIVE_CHATS, MAX_QUEUED } from './model.js'
import { MAX_ARRIVALS_PER_HOUR, MAX_STEPS, TIME_OF_DAY_PATTERN } from './live-settings.js'

/**
 * An object whose keys follow `keys` and whose values are `values`. Written with propertyNames and
 * additionalProperties (not TypeBox's Record, which gives patternProperties) so that a bad key is reported as a bad
 * name, not as an unknown property.
 */
export const mapOf = <V extends TSchema>(keys: TSchema, values: V, options: { description?: string } = {}) =>
  Type.Unsafe<Record<string, Static<V>>>({ type: 'object', ...options, propertyNames: keys, additionalProperties: values })

/** A named schema used in one place with its own description: a copy without the name (so not a reference). */
export function described<T extends TSchema> (schema: T, description: string): TUnsafe<Static<T>> {
  const { $id: _name, ...rest } = schema as TSchema & { $id?: string }
  return Type.Unsafe<Static<T>>({ ...rest, description })
}

/** What an account id and a name may be, in words: the descriptions of their schemas, and what refusals quote. */
export const ACCOUNT_ID_RULE = '1 to 64 letters and digits'
export const NAME_RULE = '1 to 100 letters and digits'

export const AccountId = Type.String({ $id: 'AccountId', pattern: '^[A-Za-z0-9]{1,64}$', description: ACCOUNT_ID_RULE })
export const Name = Type.String({ $id: 'Name', pattern: '^[A-Za-z0-9]{1,100}$', description: NAME_RULE })
export const AgentSessionId = Type.String({
  $id: 'AgentSessionId',
  pattern: '^(?!\\.\\.?$)[A-Za-z0-9._~-]{1,100}$',
  description: '1 to 100 letters, digits and ._~- (not . or .., which clients and proxies resolve as path steps)'
})
export const ChatId = Type.String({ $id: 'ChatId', pattern: '^[A-Za-z0-9._~-]{1,100}$', description: '1 to 100 letters, digits and ._~-' })

export const CRITERIA = ['probability', 'mean'] as const

export const EstimatorSettings = Type.Object({
  criterion: Type.Optional(Type.Enum(CRITERIA, { description: 'Default: probability.' })),
  p: Type.Optional(Type.Number({
    exclusiveMinimum: 0, exclusiveMaximum: 1,
    description: 'The service level of the probability criterion, strictly between 0 and 1. Default: 0.8. Not with mean.'
  }))
}, {
  $id: 'EstimatorSettings',
  additionalProperties: false,
  examples: [{ criterion: 'probability', p: 0.9 }],
  description: 'probability: a waiting chat fits when it starts within maxWaitTime with probability at least p (counting that its ' +
    'visitor may give up first). mean: when its expected wait is at most maxWaitTime (over-promises when visitors abandon). ' +
    'See docs/estimator.md.'
})

export const TimeOfDay = Type.String({
  $id: 'TimeOfDay',
  pattern: TIME_OF_DAY_PATTERN,
  description: 'A time of day on the simulated clock, in UTC: HH:MM or HH:MM:SS, 00:00 to 23:59:59.'
})
const LIVE = 'Setting it makes the account live (docs/live.md).'
const perHour = Type.Number({ minimum: 0, maximum: MAX_ARRIVALS_PER_HOUR, description: 'Chats per hour (Poisson arrivals), 0 to 60,000.' })

const trueMean = Type.Optional(Type.Integer({
  minimum: 1, maximum: 86400, description: 'The mean of the chats\' handle times, in seconds. Default: meanHandleTimeSec, where the estimator starts from.'
}))
export const HandleTime = Type.Union([
  Type.Object({ distribution: Type.Literal('exponential'), meanSec: trueMean }, { additionalProperties: false }),
  Type.Object({
    distribution: Type.Literal('lognormal'),
    cv: Type.Number({ minimum: 0, maximum: 10, description: 'Coefficient of variation (standard deviation / mean), 0 to 10.' }),
    meanSec: trueMean
  }, { additionalProperties: false })
], {
  $id: 'HandleTime',
  examples: [{ distribution: 'lognormal', cv: 0.8 }],
  description: 'How long the live model\'s chats last. The estimator starts from meanHandleTimeSec and learns the mean from the chats that ' +
    'end (moving average, α = 0.05), so a meanSec other than meanHandleTimeSec shows it learning. ' + LIVE
})

const skillFields = {
  id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Unique among the account\'s skills.' }),
  queued: Type.Integer({ minimum: 0, maximum: MAX_QUEUED, description: 'Chats waiting for the skill.' }),
  meanHandleTimeSec: Type.Integer({ minimum: 1, maximum: 86400 }),
  meanPatienceSec: Type.Integer({ minimum: 1, maximum: 86400, description: 'Mean time a waiting visitor stays before abandoning; absent: visitors never abandon.' }),
  estimator: EstimatorSettings,
  arrivalsPerHour: Type.Optional({ ...perHour, description: `Chats arrive all day at this rate (Poisson), 0 to 60,000 an hour. Not with dailyArrivals. ${LIVE}` }),
  dailyArrivals: Type.Optional(Type.Array(Type.Object({ from: TimeOfDay, perHour }, { additionalProperties: false }), {
    minItems: 1,
    maxItems: MAX_STEPS,
    examples: [[{ from: '00:00', perHour: 5 }, { from: '18:00', perHour: 60 }, { from: '21:00', perHour: 20 }]],
    description: 'Arrival rates by time of day, times in increasing order: each rate holds from its time to the next one\'s; the last runs ' +
      `past midnight to the first. Not with arrivalsPerHour. ${LIVE}`
  })),
  handleTime: Type.Optional(HandleTime)
}

const liveSkillFields = {
  arrivalsPerHour: skillFields.arrivalsPerHour,
  dailyArrivals: skillFields.dailyArrivals,
  handleTime: skillFields.handleTime
}

export const Skill = Type.Object({
  id: skillFields.id,
  queued: skillFields.queued,
  meanHandleTimeSec: skillFields.meanHandleTimeSec,
  meanPatienceSec: Type.Optional(skillFields.meanPatienceSec),
  estimator: Type.Optional(skillFields.estimator),
  ...liveSkillFields
}, {
  $id: 'Skill',
  additionalProperties: false,
  description: 'A skill with every field, as a snapshot gives it and the admin API takes it. estimator: this skill\'s own criterion; ' +
    'each field left out comes from the scenario\'s estimator, then from the defaults.'
})

export const SkillInput = Type.Object({
  id: Type.Optional({ ...skillFields.id, description: 'Absent: the smallest positive integer that no other skill of the account uses, in the document\'s order.' }),
  queued: Type.Optional({ ...skillFields.queued, default: 0 }),
  meanHandleTimeSec: skillFields.meanHandleTimeSec,
  meanPatienceSec: Type.Optional(skillFields.meanPatienceSec),
  estimator: Type.Optional(skillFields.estimator),
  ...liveSkillFields
}, {
  $id: 'SkillInput',
  additionalProperties: false,
  description: 'A skill as a scenario writes it, id and queued may be left out; see Skill for every field.'
})

const agentFields = {
  id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Unique among the account\'s agents.' }),
  nickname: Type.String({ maxLength: 200 }),
  chatState: Type.Enum(CHAT_STATES),
  maxChats: Type.Integer({ minimum: -1, maximum: MAX_ACTIVE_CHATS, description: '-1 for unlimited.' }),
  activeChats: Type.Integer({ minimum: 0, maximum: MAX_ACTIVE_CHATS, description: 'At most maxChats (unless -1).' }),
  skills: Type.Array(Name, { minItems: 1, uniqueItems: true }),
  password: Type.String({
    minLength: 1, maxLength: 200,
    description: 'What `POST /api/account/{accountId}/login` takes with the login name as `username`. Absent: the agent cannot log in (its sessions are made in advance).'
  }),
  shifts: Type.Optional(Type.Array(Type.Object({ at: TimeOfDay, chatState: Type.Enum(CHAT_STATES) }, { additionalProperties: false }), {
    minItems: 1,
    maxItems: MAX_STEPS,
    examples: [[{ at: '17:00', chatState: 'Online' }, { at: '21:00', chatState: 'Offline' }]],
    description: 'A daily shift plan, times in increasing order: at each time the agent goes to the chat state (its chats go on to their end). ' + LIVE
  }))
}

export const Agent = Type.Object({
  id: agentFields.id,
  nickname: agentFields.nickname,
  chatState: agentFields.chatState,
  maxChats: agentFields.maxChats,
  activeChats: agentFields.activeChats,
  skills: agentFields.skills,
  password: Type.Optional(agentFields.password),
  shifts: agentFields.shifts
}, {
  $id: 'Agent',
  additionalProperties: false,
  description: 'An agent with every field, as a snapshot gives it and the admin API takes it.'
})

export const AgentInput = Type.Object({
  id: Type.Optional({ ...agentFields.id, description: 'Absent: the smallest positive integer that no other agent of the account uses, in the document\'s order.' }),
  nickname: Type.Optional({ ...agentFields.nickname, description: 'Absent: the login name.' }),
  chatState: agentFields.chatState,
  maxChats: agentFields.maxChats,
  activeChats: Type.Optional({ ...agentFields.activeChats, default: 0 }),
  skills: agentFields.skills,
  password: Type.Optional(agentFields.password),
  shifts: agentFields.shifts
}, {
  $id: 'AgentInput',
  additionalProperties: false,
  description: 'An agent as a scenario writes it, id, nickname and activeChats may be left out; see Agent for every field.'
})

export const BEARER_PATTERN = '^[0-9a-f]{64}$'

export const Session = Type.Object({
  agent: Name,
  bearer: Type.String({ pattern: BEARER_PATTERN, description: '64 lowercase hexadecimal digits.' }),
  expiresAt: Type.Optional(Type.String({ format: 'date-time', description: 'The token is refused from this instant on (simulated clock); absent: never.' }))
}, { $id: 'Session', additionalProperties: false })

export const Chat = Type.Object({
  skill: Name,
  agent: Type.Optional(described(Name, 'Absent: the chat is queued for the skill.'))
}, { $id: 'Chat', additionalProperties: false })

/** The most app keys an account has. */
export const MAX_APP_KEYS = 100

const accountFields = {
  appKeys: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9]{8,64}$', description: '8 to 64 letters and digits.' }), {
    maxItems: MAX_APP_KEYS,
    uniqueItems: true,
    description: 'The keys a website sends to the visitor-side calls (/api/account/{accountId}/chat/…), as ' +
      '`Authorization: LivePerson appKey=<key>` or `appKey=<key>` in the query. Absent or empty: those calls are refused.'
  })),
  sessions: Type.Optional(mapOf(AgentSessionId, Session)),
  chats: Type.Optional(mapOf(ChatId, Chat, {
    description: 'Chats started through the admin API (a snapshot lists them), each already counted in its agent\'s activeChats or its skill\'s queued.'
  }))
}

/** An account as a scenario writes it (skills and agents may leave fields out). */
export const AccountInput = Type.Object({
  skills: mapOf(Name, SkillInput),
  agents: mapOf(Name, AgentInput),
  ...accountFields
}, { $id: 'AccountInput', additionalProperties: false })

/** An account with every field, as a snapshot gives it. */
export const Account = Type.Object({
  skills: mapOf(Name, Skill),
  agents: mapOf(Name, Agent),
  ...accountFields
}, { $id: 'Account', additionalProperties: false })

export const Seed = Type.Integer({ $id: 'Seed', minimum: 0, maximum: 4294967295, description: 'The seed of the simulator\'s draws (the faults\' and the live model\'s).' })

export const ScenarioClock = Type.Object({
  mode: Type.Enum(CLOCK_MODES, { description: 'frozen: stands still until the control API sets or advances it; realtime: runs, at `speed`.' }),
  speed: Type.Optional(Type.Number({
    exclusiveMinimum: 0, maximum: MAX_SPEED, description: 'Simulated seconds per real second when realtime (60: an hour a minute). Default: 1.'
  })),
  startTime: Type.Optional(described(TimeOfDay, 'The time of day (UTC) the clock shows when the simulator starts with this scenario, on the ' +
    'day it starts: for a scenario whose arrivals and shifts follow the time of day. Absent: the real time.'))
}, {
  $id: 'ScenarioClock',
  additionalProperties: false,
  examples: [{ mode: 'realtime', speed: 60 }],
  description: 'How the simulator\'s clock runs when it starts with this scenario, unless --clock (CLOCK) says otherwise. Absent: frozen at the ' +
    'moment of start. Loading the scenario later (PUT /__admin/scenario) keeps the clock as it is.'
})

const scenarioFields = {
  $schema: Type.Optional(Type.String({ maxLength: 2000, description: 'A hint for editors; ignored, and left out of snapshots.' })),
  description: Type.String({ minLength: 1, maxLength: 10000 }),
  clock: Type.Optional(ScenarioClock),
  seed: Type.Optional(described(Seed, 'The seed of the simulator\'s draws (the faults\' and the live model\'s) when it starts with this scenario, unless --seed (SEED) says ' +
    'otherwise. Absent: 1.')),
  estimator: Type.Optional(described(EstimatorSettings, 'How every skill (and the whole-account answer) decides whether a ' +
    'waiting chat fits within maxWaitTime, unless a skill sets its own. Absent: probability, p = 0.8.'))
}
const ACCOUNTS = 'May be empty: a simulator whose accounts were all deleted gives such a snapshot, and takes it back.'

/** A scenario as written: fixtures/*.json, and the body of PUT /__admin/scenario. */
export const ScenarioInput = Type.Object({
  ...scenarioFields,
  accounts: mapOf(AccountId, AccountInput, { description: ACCOUNTS })
}, {
  $id: 'ScenarioInput',
  additionalProperties: false,
  title: 'Chat capacity simulator scenario',
  description: 'Accounts with their skills, agents and agent sessions, loaded at start-up. Keys are names: skill names and agent ' +
    'login names are alphanumeric, as the availableSlots query requires.'
})

/** A scenario with every field, as a snapshot gives it (and as a scenario may be written too). */
export const ScenarioDocument = Type.Object({
  ...scenarioFields,
  accounts: mapOf(AccountId, Account, { description: ACCOUNTS })
}, { $id: 'ScenarioDocument', additionalProperties: false })
