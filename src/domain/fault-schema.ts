/**
 * Faults injected into the availableSlots routes, as POST /__admin/faults takes them and the admin API shows them; the
 * domain's fault types (faults.ts) are derived from these schemas.
 */
import { Type, type Static } from 'typebox'
import { AccountId, Seed } from './scenario-schema.js'

export { Seed }

const MINUTE_MS = 60_000

export const FaultMs = Type.Number({ $id: 'FaultMs', minimum: 0, maximum: MINUTE_MS, description: 'Milliseconds, at most a minute.' })

export const FaultMatch = Type.Object({
  path: Type.Optional(Type.String({
    minLength: 1, maxLength: 1000, examples: ['*/availableSlots.xml'],
    description: 'The percent-decoded path, without the query; `*` matches any run of characters, `/` included; anything else literally.'
  })),
  account: Type.Optional(AccountId),
  method: Type.Optional(Type.Enum(['GET', 'HEAD'], { description: 'The methods that reach the availableSlots routes.' }))
}, {
  $id: 'FaultMatch',
  additionalProperties: false,
  description: 'Which requests to the availableSlots routes the fault applies to; every field given must match, none given matches all.'
})

/** The three ways to give a delay; a latency effect has exactly one of them. */
const LATENCY_FORMS = {
  ms: FaultMs,
  uniform: Type.Object({ minMs: FaultMs, maxMs: FaultMs }, { additionalProperties: false, description: 'minMs must not exceed maxMs.' }),
  logNormal: Type.Object({ medianMs: FaultMs, sigma: Type.Number({ minimum: 0, maximum: 3 }) }, { additionalProperties: false })
}
type LatencyForms = typeof LATENCY_FORMS
/** One of the ways to give a delay: `{ ms }`, `{ uniform }` or `{ logNormal }`. */
export type LatencyForm = { [K in keyof LatencyForms]: { [P in K]: Static<LatencyForms[K]> } }[keyof LatencyForms]

const EffectKinds = Type.Union([
  Type.Unsafe<{ type: 'latency' } & LatencyForm>({
    type: 'object',
    required: ['type'],
    additionalProperties: false,
    properties: { type: Type.Literal('latency'), ...LATENCY_FORMS },
    oneOf: Object.keys(LATENCY_FORMS).map((form) => ({ required: [form] }))
  }),
  Type.Object({
    type: Type.Literal('error'),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    message: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 }))
  }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('drop') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('malformed') }, { additionalProperties: false })
])

/** Told apart by `type` first (a discriminator), so that a problem is reported against the kind of effect given. */
export const FaultEffect = Type.Unsafe<Static<typeof EffectKinds>>({
  $id: 'FaultEffect',
  type: 'object',
  oneOf: EffectKinds.anyOf,
  discriminator: { propertyName: 'type' },
  description: '`latency` delays the answer (a fixed `ms`, `uniform` between `minMs` and `maxMs`, which must not exceed it, or ' +
    '`logNormal` around `medianMs`); the others are terminal: `error` answers `status` in the error body (internalCode 60; ' +
    '`message` defaults to `fault <id> injected by the simulator: <status>`), `drop` closes the connection without an answer, ' +
    '`malformed` answers 200 with a cut-off body.'
})

const specFields = {
  match: Type.Optional(FaultMatch),
  effect: FaultEffect,
  probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Chance that the fault fires on a request it matches; default 1.' })),
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000000, description: 'The fault is gone once it has fired this many times; default: until removed.' }))
}

export const FaultSpec = Type.Object(specFields, {
  $id: 'FaultSpec',
  additionalProperties: false,
  examples: [
    { match: { path: '/api/account/12345678/*' }, effect: { type: 'error', status: 503 }, count: 2 },
    { effect: { type: 'latency', uniform: { minMs: 100, maxMs: 500 } }, probability: 0.5 }
  ]
})

export const FaultId = Type.String({ $id: 'FaultId', pattern: '^fault-[1-9][0-9]{0,15}$', description: '`fault-` and a number' })

export const Fault = Type.Object({
  ...specFields,
  id: FaultId,
  fired: Type.Integer({ minimum: 0, description: 'How many requests it has fired on.' })
}, { $id: 'Fault', additionalProperties: false, description: 'A fault in force, as it was given, with its id and how often it has fired.' })

export const FaultList = Type.Object({
  seed: Seed,
  faults: Type.Array(Fault)
}, { $id: 'FaultList', additionalProperties: false, description: 'The faults in force, in the order they were added, and the seed.' })

/** Looked up: any string, and one that names no fault is 404 "does not exist". */
export const FaultParams = Type.Object({ faultId: Type.String({ description: 'As `POST /__admin/faults` gave it, such as `fault-1`.' }) })
