/** /documentation: Swagger UI over openapi.yaml, so the API can be tried in a browser. */
import { join } from 'node:path'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { packageRoot } from '../package-root.js'

export const DOCUMENTATION_PATH = '/documentation'

export async function documentationRoutes (app: FastifyInstance): Promise<void> {
  await app.register(swagger, { mode: 'static', specification: { path: join(packageRoot, 'openapi.yaml'), baseDir: packageRoot } })
  await app.register(swaggerUi, {
    routePrefix: DOCUMENTATION_PATH,
    uiConfig: { deepLinking: true, tryItOutEnabled: true, persistAuthorization: true }
  })
}
