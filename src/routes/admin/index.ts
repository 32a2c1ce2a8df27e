/** The control API under /__admin: JSON in and out, errors in the product's body, the admin token when set. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { adminTokenCheck } from '../../http/admin-auth.js'
import { checkProtocol, type Lifecycle } from '../../http/lifecycle.js'
import { accountRoutes } from './accounts.js'
import { activityRoutes } from './activity.js'
import { clockRoutes } from './clock.js'
import { dashboardRoutes } from './dashboard.js'
import { estimatorRoutes } from './estimator.js'
import { faultRoutes } from './faults.js'
import { HEALTH_PATH, healthRoute } from './health.js'
import { liveRoutes } from './live.js'
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
    // Answers are written as the routes build them (JSON.stringify): the response schemas document and type them, and
    // the contract test checks every answer against them; a schema-driven serializer would reorder fields, or drop some.
    admin.setSerializerCompiler(() => (data) => JSON.stringify(data))
    admin.addHook('onRequest', async (request) => {
      checkProtocol(options.lifecycle, request)
      if (request.routeOptions.url !== HEALTH_PATH) authorized(request)
    })
    const typed = admin.withTypeProvider<TypeBoxTypeProvider>()
    healthRoute(typed, sim)
    scenarioRoutes(typed, sim)
    accountRoutes(typed, sim)
    activityRoutes(typed, sim)
    clockRoutes(typed, sim)
    liveRoutes(typed, sim)
    await dashboardRoutes(typed, sim)
    estimatorRoutes(typed, sim)
    faultRoutes(typed, sim)
    requestRoutes(typed, sim)
  }, { prefix: ADMIN_PREFIX })
}
