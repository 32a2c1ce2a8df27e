/** GET /__admin/health: for container healthchecks and wait strategies; never needs the admin token. */
import { referenced, failure, json } from '../../http/schemas/contract.js'
import { Health, type HealthView } from '../../http/schemas/health.js'
import type { AdminApp, Simulation } from './support.js'
import { packageVersion as version } from '../../package-root.js'

export const HEALTH_PATH = '/__admin/health'
const RELATIVE = '/health'

/** Not an admin operation as the others are (adminOperation): no token, so no 401, and among the simulator's own routes. */
const health = referenced({
  operationId: 'health',
  tags: ['Operations'],
  summary: 'Health, for container healthchecks and wait strategies',
  description: '200 while the simulator serves. Never needs a token.',
  security: [],
  response: {
    200: json('Serving.', Health),
    503: failure('The simulator is shutting down (internalCode 51).')
  }
})

export function healthRoute (app: AdminApp, sim: Simulation): void {
  // Registered under the /__admin prefix.
  app.get(RELATIVE, { schema: health }, async (): Promise<HealthView> =>
    ({ status: 'ok', version, scenario: sim.scenario, accounts: sim.world.accountIds().length }))
}
