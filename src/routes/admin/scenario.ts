/** The whole state as a scenario document: read it, replace it (with a document or a fixture's name), reset it. */
import { ScenarioDocument } from '../../domain/scenario-schema.js'
import { snapshot } from '../../domain/scenario.js'
import { AdminBadRequest, AdminNotFound } from '../../http/errors.js'
import { adminOperation, failure, inlined, json } from '../../http/schemas/contract.js'
import { ScenarioByName, ScenarioReplacement } from '../../http/schemas/scenario.js'
import { schemaErrors } from '../../http/validation.js'
import { loadScenario, parseScenarioDocument, ScenarioFileError } from '../../scenarios.js'
import type { AdminApp, Simulation } from './support.js'

const MODEL_NOW = json('The model now.', ScenarioDocument)

const getScenario = adminOperation({
  operationId: 'getScenario',
  summary: 'The whole model, as a scenario document',
  description: 'Every account with its skills, agents, agent sessions and the chats started through this API, as ' +
    '`PUT /__admin/scenario` takes it back.',
  response: { 200: MODEL_NOW }
}, 'GET')

const putScenario = adminOperation({
  operationId: 'putScenario',
  summary: 'Replace the whole model, with a scenario document or a fixture',
  description: 'The body is either a scenario document (the shape of `fixtures/*.json`, checked like one) or ' +
    '`{"name": "<fixture>"}`: a scenario by name, looked up in `FIXTURES_DIR` first, then in the simulator\'s own ' +
    'fixtures. The model is replaced at once, chats and agent sessions included, or not at all. The clock, the seed, ' +
    'the faults and the journal are kept; `POST /__admin/scenario/reset` still returns to the scenario loaded at start.',
  body: ScenarioReplacement,
  response: {
    200: MODEL_NOW,
    400: failure('The document or name is invalid (internalCode 22; the message lists every problem, each with its JSON path), ' +
      'or the fixture is (22); or the body is not valid JSON (21).'),
    404: failure('No fixture of that name (internalCode 33).')
  }
})

const resetScenario = adminOperation({
  operationId: 'resetScenario',
  summary: 'Return to the scenario loaded at start',
  description: 'Rebuilds the model from the scenario the simulator started with (or last reloaded with `--watch`): changes, ' +
    'chats and agent sessions made since are gone. The clock, the seed, the faults and the journal are kept. No body.',
  response: { 200: MODEL_NOW }
})

const reset = adminOperation({
  operationId: 'reset',
  summary: 'Everything back to how the simulator started',
  description: 'In one call, for the start of each test: the scenario the simulator started with (or last reloaded with ' +
    '`--watch`), the clock (time, mode and speed at start), no faults (ids from `fault-1` again), the faults\' seed ' +
    'at start, and an empty journal. The wait criterion set with `PUT /__admin/estimator` goes with the scenario. No body.',
  response: { 200: MODEL_NOW }
})

/** The body's schema as the name form alone, so that a bad name is reported against it (see the PUT route). */
const BY_NAME = inlined(ScenarioByName)
const bodyErrors = schemaErrors()

export function scenarioRoutes (app: AdminApp, sim: Simulation): void {
  app.get('/scenario', { schema: getScenario }, async () => snapshot(sim.world))

  // The schema's verdict is not used here (attachValidation): a document is checked by the scenario loader, which lists
  // every problem and the model's own; a name against the name form, which the oneOf's first problem (against the
  // document form) would not describe.
  app.put('/scenario', { schema: putScenario, attachValidation: true }, async (request) => {
    const body: unknown = request.body
    if (body !== null && typeof body === 'object' && 'name' in body && !('accounts' in body)) {
      const byName = request.compileValidationSchema(BY_NAME, 'body')
      if (!byName(body)) throw bodyErrors(byName.errors ?? [], 'body')
      const name = String(body.name)
      try {
        sim.load(loadScenario(name, sim.fixturesDir).world, name)
        return snapshot(sim.world)
      } catch (err) {
        if (!(err instanceof ScenarioFileError)) throw err
        if (err.missing) throw new AdminNotFound(`no fixture '${name}': ${err.message}`)
        throw new AdminBadRequest(`invalid fixture: ${err.message}`)
      }
    }
    try {
      sim.load(parseScenarioDocument(body ?? {}, 'request body').world, 'scenario document')
      return snapshot(sim.world)
    } catch (err) {
      if (err instanceof ScenarioFileError) throw new AdminBadRequest(`invalid request: ${err.message.replace(/^request body: /, '')}`)
      throw err
    }
  })

  app.post('/scenario/reset', { schema: resetScenario }, async () => {
    sim.resetScenario()
    return snapshot(sim.world)
  })

  // Everything as the simulator started: the scenario, the clock, no faults (ids from fault-1), the seed, no journal.
  app.post('/reset', { schema: reset }, async () => {
    sim.reset()
    return snapshot(sim.world)
  })
}
