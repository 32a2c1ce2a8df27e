/** GET /__admin/health: for container healthchecks and wait strategies; never needs the admin token. */
import type { AdminApp, Simulation } from './support.js'
import { packageVersion as version } from '../../package-root.js'

export const HEALTH_PATH = '/__admin/health'
const RELATIVE = '/health'

export function healthRoute (app: AdminApp, sim: Simulation): void {
  // Registered under the /__admin prefix.
  app.get(RELATIVE, async () => ({ status: 'ok', version, scenario: sim.scenario, accounts: sim.world.accountIds().length }))
}
