/** GET /__admin/live: the live model's counters, for tests and dashboards (/metrics has them too). */
import { adminOperation, json } from '../../http/schemas/contract.js'
import { Live, type LiveView } from '../../http/schemas/live.js'
import type { AdminApp, Simulation } from './support.js'

const getLive = adminOperation({
  operationId: 'getLive',
  summary: 'The live model: what happened in each live account',
  description: 'Per live account and skill: chats arrived, started, ended and abandoned since the account became live, the seconds ' +
    'they waited, the queue now, and the handle time the estimator has learned. An account is live when its scenario gives a skill ' +
    'arrivals or a handle-time distribution, or an agent shifts (docs/live.md).',
  response: { 200: json('The live model now.', Live) }
}, 'GET')

export function liveRoutes (app: AdminApp, sim: Simulation): void {
  app.get('/live', { schema: getLive }, async (): Promise<LiveView> => sim.live.view())
}
