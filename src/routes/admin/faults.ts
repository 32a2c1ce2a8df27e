/** Faults injected into the public API: add (seeded draws), list, remove one, clear. */
import { MAX_FAULTS } from '../../domain/faults.js'
import { AdminBadRequest, AdminConflict, AdminNotFound } from '../../http/errors.js'
import { adminOperation, failure, json, noContent } from '../../http/schemas/contract.js'
import { Fault, FaultList, FaultParams, FaultSpec } from '../../domain/fault-schema.js'
import type { AdminApp, Simulation } from './support.js'

const addFault = adminOperation({
  operationId: 'addFault',
  summary: 'Inject a fault into the availableSlots routes',
  description: 'A fault applies to requests to the availableSlots routes only (not to requests no route takes, nor to ' +
    '`/__admin`, `/metrics` or `/documentation`), before any of their checks. For each request, the faults that `match` it ' +
    'are taken in the order they were added; each draws its `probability` (from the seeded generator, see `PUT /__admin/seed`). ' +
    'The delays of the `latency` faults that fire add up; the first terminal effect that fires (`error`, `drop`, `malformed`) ' +
    'is the answer, after the delay, and later terminal faults are not drawn. `error` answers the fault\'s status (400..599) in ' +
    'the error body, internalCode 60; `drop` closes the connection without an answer (journaled with status `null`); ' +
    '`malformed` answers 200 with a cut-off body in the negotiated type. A fault with a `count` is gone once it has fired that many times.',
  body: FaultSpec,
  response: {
    201: json('Added.', Fault),
    400: failure('An invalid fault, such as `minMs` over `maxMs` (internalCode 22), or a body that is not valid JSON (21).'),
    409: failure(`${MAX_FAULTS.toLocaleString('en')} faults are set already, the most kept at once (internalCode 42).`)
  }
})

const listFaults = adminOperation({
  operationId: 'listFaults',
  summary: 'The faults in force, and the seed',
  description: 'In the order they were added; `fired` counts the requests each has fired on. Spent faults are gone.',
  response: { 200: json('The faults.', FaultList) }
}, 'GET')

const clearFaults = adminOperation({
  operationId: 'clearFaults',
  summary: 'Remove every fault',
  description: 'The seed and the generator\'s state are kept. No body.',
  response: { 204: noContent('Removed.') }
})

const removeFault = adminOperation({
  operationId: 'removeFault',
  summary: 'Remove one fault',
  description: 'No body.',
  params: FaultParams,
  response: {
    204: noContent('Removed.'),
    404: failure('No such fault (never added, removed, or spent) (internalCode 33).')
  }
})

export function faultRoutes (app: AdminApp, sim: Simulation): void {
  app.post('/faults', { schema: addFault }, async (request, reply) => {
    const spec = request.body
    if (sim.faults.full) throw new AdminConflict(`${MAX_FAULTS} faults are set, the most the simulator keeps; remove some first (DELETE /__admin/faults removes all)`)
    const latency = spec.effect.type === 'latency' && 'uniform' in spec.effect ? spec.effect.uniform : undefined
    if (latency !== undefined && latency.minMs > latency.maxMs) {
      throw new AdminBadRequest(`invalid request: $.effect.uniform: minMs (${latency.minMs}) must not exceed maxMs (${latency.maxMs})`)
    }
    return reply.code(201).send(sim.faults.add(spec))
  })

  app.get('/faults', { schema: listFaults }, async () => ({ seed: sim.faults.seed, faults: sim.faults.list() }))

  app.delete('/faults', { schema: clearFaults }, async (_request, reply) => {
    sim.faults.clear()
    return reply.code(204).send()
  })

  app.delete('/faults/:faultId', { schema: removeFault }, async (request, reply) => {
    if (!sim.faults.remove(request.params.faultId)) throw new AdminNotFound(`fault '${request.params.faultId}' does not exist (or is spent)`)
    return reply.code(204).send()
  })
}
