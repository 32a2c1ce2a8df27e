/** What every admin route shares: the simulator's state, body and query checks, and model errors as HTTP errors. */
import type { ErrorObject } from 'ajv'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { TObject } from 'typebox'
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify'
import { ConflictError, ModelError, type Account } from '../../domain/model.js'
import { describeProblem, ScenarioError } from '../../domain/scenario.js'
import type { World } from '../../domain/world.js'
import { AdminBadRequest, AdminConflict, AdminNotFound } from '../../http/errors.js'
import { ADMIN_PREFIX } from '../../http/paths.js'
import { MALFORMED, type Query } from '../../http/querystring.js'
import { schemaErrors } from '../../http/validation.js'

import type { Simulation } from '../../domain/state.js'

export type { Simulation }

/** The admin routes' Fastify: request and reply types come from the routes' TypeBox schemas. */
export type AdminApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>

/**
 * A route's preValidation hook for its query, which the app's parser gives as lists of values (http/querystring.ts):
 * refuses bad percent-encoding, a parameter the route's `schema` does not list and one given more than once, naming
 * it as a `noun` ("filter", "parameter") and saying what is `allowed`; then leaves each parameter as its one string,
 * for the route's querystring schema to check.
 */
export function singleValues (schema: TObject, noun: string, allowed: string) {
  const known = Object.keys(schema.properties)
  return async (request: FastifyRequest): Promise<void> => {
    // Fastify does not know the app's parser: what it gives is asserted here, once.
    const query = request.query as Query
    if (query[MALFORMED] !== undefined) throw new AdminBadRequest(`invalid request: the query is not valid percent-encoding (${query[MALFORMED]})`)
    const single: Record<string, string> = {}
    for (const [key, values] of Object.entries(query)) {
      if (!known.includes(key)) throw new AdminBadRequest(`invalid request: unknown ${noun} '${key}'; use ${allowed}`)
      const [value] = values
      if (values.length !== 1 || value === undefined) throw new AdminBadRequest(`invalid request: ${noun} '${key}' given ${values.length} times; give it once`)
      single[key] = value
    }
    request.query = single
  }
}

/**
 * A route's schemaErrorFormatter: a query parameter that its querystring schema refuses, in the route's own words
 * (`messages` by parameter, given the value); anything else as every admin route says it.
 */
export function queryErrors (messages: Record<string, (value: string) => string>) {
  const otherwise = schemaErrors()
  return (errors: ErrorObject[], context: Parameters<typeof otherwise>[1]): Error => {
    const error = errors[0]
    const message = error !== undefined && context === 'querystring' ? messages[error.instancePath.slice(1)]?.(String(error.data)) : undefined
    return message === undefined ? otherwise(errors, context) : new AdminBadRequest(`invalid request: ${message}`)
  }
}

export function accountOf (world: World, accountId: string): Account {
  const account = world.account(accountId)
  if (account === undefined) throw new AdminNotFound(`account ${accountId} does not exist; PUT ${ADMIN_PREFIX}/accounts/${accountId} creates it`)
  return account
}

/**
 * A route's preValidation hook: the account the path names is looked up before the body and query are checked, so
 * that a missing one is 404 whatever they hold (the documented order of checks).
 */
export const accountFirst = (sim: Simulation) => async (request: { params: { accountId: string } }): Promise<void> => {
  accountOf(sim.world, request.params.accountId)
}

/** Runs a change of the model; its refusals become 400 (an invariant, with the JSON path) or 409 (a conflict). */
export function change<T> (run: () => T): T {
  try {
    return run()
  } catch (err) {
    if (err instanceof ModelError) throw new AdminBadRequest(`invalid request: ${describeProblem(err.field, err.problem)}`)
    if (err instanceof ScenarioError) throw new AdminBadRequest(`invalid request: ${err.message}`)
    if (err instanceof ConflictError) throw new AdminConflict(err.message)
    throw err
  }
}
