/** Faults injected into the public API: add (seeded draws), list, remove one, clear. */
import type { FastifyInstance } from 'fastify'
import { MAX_FAULTS, type FaultSpec } from '../../domain/faults.js'
import { AdminBadRequest, AdminConflict, AdminNotFound } from '../../http/errors.js'
import { bodySchema, checked, type Simulation } from './support.js'

const MINUTE_MS = 60_000
const ms = { type: 'number', minimum: 0, maximum: MINUTE_MS }

const LATENCIES = [
  { required: ['ms'], properties: { ms } },
  { required: ['uniform'], properties: { uniform: { type: 'object', required: ['minMs', 'maxMs'], additionalProperties: false, properties: { minMs: ms, maxMs: ms } } } },
  {
    required: ['logNormal'],
    properties: {
      logNormal: { type: 'object', required: ['medianMs', 'sigma'], additionalProperties: false, properties: { medianMs: ms, sigma: { type: 'number', minimum: 0, maximum: 3 } } }
    }
  }
]
const EFFECTS = {
  latency: { type: 'object', maxProperties: 2, properties: { type: { const: 'latency' }, ms: true, uniform: true, logNormal: true }, additionalProperties: false, oneOf: LATENCIES },
  error: {
    type: 'object', required: ['type', 'status'], additionalProperties: false,
    properties: { type: { const: 'error' }, status: { type: 'integer', minimum: 400, maximum: 599 }, message: { type: 'string', minLength: 1, maxLength: 1000 } }
  },
  drop: { type: 'object', additionalProperties: false, properties: { type: { const: 'drop' } } },
  malformed: { type: 'object', additionalProperties: false, properties: { type: { const: 'malformed' } } }
}
const EFFECT_TYPES = Object.keys(EFFECTS) as Array<keyof typeof EFFECTS>

/** The whole body, with `effect` as one kind of effect, so that a problem is reported against that kind. */
const bodyWith = (effect: object): object => ({
  type: 'object', required: ['effect'], additionalProperties: false,
  properties: {
    match: {
      type: 'object', additionalProperties: false,
      properties: {
        path: { type: 'string', minLength: 1, maxLength: 1000 },
        account: { type: 'string', pattern: '^[A-Za-z0-9]{1,64}$' },
        method: { enum: ['GET', 'HEAD'] }
      }
    },
    effect,
    probability: { type: 'number', minimum: 0, maximum: 1 },
    count: { type: 'integer', minimum: 1, maximum: 1000000 }
  }
})
const anyEffect = bodySchema<{ effect: { type: string } }>(bodyWith({ type: 'object', required: ['type'], properties: { type: { enum: EFFECT_TYPES } } }))
const faultBodies = Object.fromEntries(EFFECT_TYPES.map((type) => [type, bodySchema<FaultSpec>(bodyWith(EFFECTS[type]))]))

/** Checked in two steps: the effect's type first, then the body as that type of effect wants it. */
function faultSpec (body: unknown): FaultSpec {
  const { effect } = checked(anyEffect, body)
  return checked(faultBodies[effect.type] as typeof faultBodies[string] & object, body)
}

export function faultRoutes (app: FastifyInstance, sim: Simulation): void {
  app.post('/faults', async (request, reply) => {
    const spec = faultSpec(request.body)
    if (sim.faults.full) throw new AdminConflict(`${MAX_FAULTS} faults are set, the most the simulator keeps; remove some first (DELETE /__admin/faults removes all)`)
    const latency = spec.effect.type === 'latency' && 'uniform' in spec.effect ? spec.effect.uniform : undefined
    if (latency !== undefined && latency.minMs > latency.maxMs) {
      throw new AdminBadRequest(`invalid request: $.effect.uniform: minMs (${latency.minMs}) must not exceed maxMs (${latency.maxMs})`)
    }
    return reply.code(201).send(sim.faults.add(spec))
  })

  app.get('/faults', async () => ({ seed: sim.faults.seed, faults: sim.faults.list() }))

  app.delete('/faults', async (_request, reply) => {
    sim.faults.clear()
    return reply.code(204).send()
  })

  app.delete<{ Params: { faultId: string } }>('/faults/:faultId', async (request, reply) => {
    if (!sim.faults.remove(request.params.faultId)) throw new AdminNotFound(`fault '${request.params.faultId}' does not exist (or is spent)`)
    return reply.code(204).send()
  })
}
