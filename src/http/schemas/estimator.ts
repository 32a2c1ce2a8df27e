/** The wait criterion as the admin API reads and sets it, and the explanation of an availableSlots answer. */
import { Type, type Static } from 'typebox'
import { MAX_SLOTS, MAX_WAIT_TIME, UNLIMITED } from '../../domain/estimator.js'
import { AccountId, CRITERIA, described, EstimatorSettings, Name } from '../../domain/scenario-schema.js'

const P = Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })

export const EstimatorView = Type.Object({
  settings: EstimatorSettings,
  criterion: Type.Union([
    Type.Object({ criterion: Type.Literal('probability'), p: P }, { additionalProperties: false }),
    Type.Object({ criterion: Type.Literal('mean') }, { additionalProperties: false })
  ], { description: 'What the settings give, with the defaults filled in.' })
}, {
  $id: 'EstimatorView',
  additionalProperties: false,
  description: 'The scenario\'s criterion as set (`settings`, kept in the scenario snapshot) and as skills without their own use it (`criterion`).'
})

export const ChatOutlook = Type.Object({
  position: Type.Integer({ minimum: 1 }),
  ahead: Type.Optional(Type.Integer({
    minimum: 0,
    description: 'Chats ahead of it once it waits: max(0, Q − F) + (position − immediate) − 1. Absent: it starts at once in a free slot.'
  })),
  probability: Type.Number({ minimum: 0, maximum: 1, description: 'P(it starts within maxWaitTime), counting that its visitor may give up first.' }),
  expectedWaitSec: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], {
    description: 'Its expected wait ignoring its own patience, Σ_{i=0..ahead} 1/(R + iθ); null when nothing frees up.'
  })
}, { $id: 'ChatOutlook', additionalProperties: false, description: 'The n-th new chat (n = position) and its prospects.' })

const NonNegative = (description: string) => Type.Integer({ minimum: 0, description })

export const Estimate = Type.Object({
  account: AccountId,
  skill: Type.Optional(Name),
  maxWaitTime: Type.Integer({ minimum: 0, maximum: MAX_WAIT_TIME }),
  availableSlots: Type.Integer({ minimum: UNLIMITED, maximum: MAX_SLOTS, description: 'What availableSlots answers for the same question now.' }),
  inputs: Type.Object({
    unlimited: Type.Boolean({ description: 'An Online agent of the pool takes any number of chats (the answer is -1).' }),
    free: NonNegative('F, the free slots of the pool\'s Online agents.'),
    slots: NonNegative('S, all their slots, busy and free.'),
    queued: NonNegative('Q, the chats already waiting.'),
    meanHandleTimeSec: Type.Union([Type.Number(), Type.Null()], { description: 'h (for the whole account, S/R); null when the pool has no slot.' }),
    releaseRatePerSec: Type.Number({ minimum: 0, description: 'R = S/h, the rate at which slots free up once all are busy.' }),
    meanPatienceSec: Type.Union([Type.Integer(), Type.Null()]),
    abandonRatePerSec: Type.Number({ minimum: 0, description: 'θ = 1/meanPatienceSec, or 0.' }),
    criterion: Type.Enum(CRITERIA),
    p: Type.Optional(P)
  }, { additionalProperties: false }),
  immediate: NonNegative('max(0, F − Q), the chats that start at once.'),
  capped: Type.Boolean({ description: `The answer was cut to ${MAX_SLOTS.toLocaleString('en')}.` }),
  lastAdmitted: Type.Union([ChatOutlook, Type.Null()], { description: 'The last chat the answer admits; null when it admits none or the pool is unlimited.' }),
  next: Type.Union([ChatOutlook, Type.Null()], { description: 'The first chat it does not admit; null when the pool is unlimited.' })
}, {
  $id: 'Estimate',
  additionalProperties: false,
  examples: [{
    account: '12345678',
    skill: 'Sales',
    maxWaitTime: 300,
    availableSlots: 4,
    inputs: {
      unlimited: false, free: 2, slots: 3, queued: 0, meanHandleTimeSec: 300, releaseRatePerSec: 0.01,
      meanPatienceSec: null, abandonRatePerSec: 0, criterion: 'probability', p: 0.8
    },
    immediate: 2,
    capped: false,
    lastAdmitted: { position: 4, ahead: 1, probability: 0.8008517265285442, expectedWaitSec: 200 },
    next: { position: 5, ahead: 2, probability: 0.5768099188731565, expectedWaitSec: 300 }
  }]
})

/** Strings, as the query gives them (no coercion): the route turns maxWaitTime into a number once it is in range. */
export const EstimateQuery = Type.Object({
  skill: Type.Optional(described(Name, 'A skill of the account (case-sensitive); absent: the whole account. Unknown skill → 404.')),
  maxWaitTime: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$', description: `Seconds, 0..${MAX_WAIT_TIME}, in digits; default 0.` }))
}, { additionalProperties: false })

export type CriterionView = Static<typeof EstimatorView>
export type EstimateView = Static<typeof Estimate>
export type OutlookView = Static<typeof ChatOutlook>
