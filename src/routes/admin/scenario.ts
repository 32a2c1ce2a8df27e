/** The whole state as a scenario document: read it, replace it (with a document or a fixture's name), reset it. */
import { snapshot } from '../../domain/scenario.js'
import { AdminBadRequest, AdminNotFound } from '../../http/errors.js'
import { loadScenario, parseScenarioDocument, ScenarioFileError } from '../../scenarios.js'
import { bodySchema, checked, type AdminApp, type Simulation } from './support.js'

/** A fixture's name only: no dots or slashes, so never a path. */
const byName = bodySchema<{ name: string }>({
  type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,100}$' } }
})

export function scenarioRoutes (app: AdminApp, sim: Simulation): void {
  app.get('/scenario', async () => snapshot(sim.world))

  app.put<{ Body: unknown }>('/scenario', async (request) => {
    const body = request.body
    if (body !== null && typeof body === 'object' && 'name' in body && !('accounts' in body)) {
      const { name } = checked(byName, body)
      try {
        sim.load(loadScenario(name, sim.fixturesDir).world, name)
        return snapshot(sim.world)
      } catch (err) {
        if (!(err instanceof ScenarioFileError)) throw err
        if (err.missing) throw new AdminNotFound(`no fixture '${name}': ${err.message}`)
        throw new AdminBadRequest(`invalid fixture: ${err.message}`)
      }
    } else {
      try {
        sim.load(parseScenarioDocument(body ?? {}, 'request body').world, 'scenario document')
        return snapshot(sim.world)
      } catch (err) {
        if (err instanceof ScenarioFileError) throw new AdminBadRequest(`invalid request: ${err.message.replace(/^request body: /, '')}`)
        throw err
      }
    }
  })

  app.post('/scenario/reset', async () => {
    sim.resetScenario()
    return snapshot(sim.world)
  })

  // Everything as the simulator started: the scenario, the clock, no faults (ids from fault-1), the seed, no journal.
  app.post('/reset', async () => {
    sim.reset()
    return snapshot(sim.world)
  })
}
