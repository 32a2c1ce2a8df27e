/** The control API under /__admin: JSON in and out, errors in the product's body, the admin token when set. */
import type { FastifyInstance } from 'fastify'
import { adminTokenCheck } from '../../http/admin-auth.js'
import { checkProtocol, type Lifecycle } from '../../http/lifecycle.js'
import { accountRoutes } from './accounts.js'
import { activityRoutes } from './activity.js'
import { clockRoutes } from './clock.js'
import { estimatorRoutes } from './estimator.js'
import { faultRoutes } from './faults.js'
import { HEALTH_PATH, healthRoute } from './health.js'
import { requestRoutes } from './requests.js'
import { scenarioRoutes } from './scenario.js'
import { ADMIN_PREFIX } from '../../http/paths.js'
import type { Simulation } from './support.js'

export async function adminRoutes (app: FastifyInstance, sim: Simulation, options: {
  lifecycle: Lifecycle
  adminToken?: string
}): Promise<void> {
  const authorized = adminTokenCheck(options.adminToken)
  await app.register(async (admin) => {
    admin.addHook('onRequest', async (request) => {
      checkProtocol(options.lifecycle, request)
      if (request.routeOptions.url !== HEALTH_PATH) authorized(request)
    })
    healthRoute(admin, sim)
    scenarioRoutes(admin, sim)
    accountRoutes(admin, sim)
    activityRoutes(admin, sim)
    clockRoutes(admin, sim)
    estimatorRoutes(admin, sim)
    faultRoutes(admin, sim)
    requestRoutes(admin, sim)
  }, { prefix: ADMIN_PREFIX })
}
