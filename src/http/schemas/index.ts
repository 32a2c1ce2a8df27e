/** Every named schema of the HTTP contract, registered with Fastify once (routes refer to them by `$id`). */
import type { FastifyInstance } from 'fastify'
import type { TSchema } from 'typebox'
import * as scenario from '../../domain/scenario-schema.js'
import { namedSchemas, referenced } from './contract.js'
import * as accounts from './accounts.js'
import * as agentApi from './agent-api.js'
import * as activity from './activity.js'
import * as clock from './clock.js'
import * as dashboard from './dashboard.js'
import * as errors from './errors.js'
import * as estimator from './estimator.js'
import * as faults from '../../domain/fault-schema.js'
import * as health from './health.js'
import * as journal from './journal.js'
import * as live from './live.js'
import * as scenarioRoutes from './scenario.js'

/** What the modules export with an `$id`; the named parts inside them are found and registered too. */
const ROOTS: TSchema[] = [scenario, errors, agentApi, accounts, activity, clock, dashboard, estimator, faults, health, journal, live, scenarioRoutes].flatMap((module) => Object.values(module))
  .filter((value): value is TSchema => typeof value === 'object' && value !== null && typeof (value as { $id?: unknown }).$id === 'string')

export const SCHEMAS = namedSchemas(ROOTS)

export function registerSchemas (app: FastifyInstance): void {
  for (const schema of SCHEMAS.values()) app.addSchema(referenced(schema))
}
