/** What every admin route shares: the simulator's state, body validation, and model errors as HTTP errors. */
import type { ValidateFunction } from 'ajv'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify'
import { ConflictError, ModelError, type Account } from '../../domain/model.js'
import { describeProblem, ScenarioError } from '../../domain/scenario.js'
import type { World } from '../../domain/world.js'
import { AdminBadRequest, AdminConflict, AdminNotFound } from '../../http/errors.js'
import { ADMIN_PREFIX } from '../../http/paths.js'
import { MALFORMED, type Query } from '../../http/querystring.js'
import { ajv } from '../../scenarios.js'
import { describeSchemaError } from '../../domain/schema-problems.js'

export type { Simulation } from '../../domain/state.js'

/** The admin routes' Fastify: request and reply types come from the routes' TypeBox schemas. */
export type AdminApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>

/** Compiles a JSON schema for a request body (strict types: `"5"` is not a number). */
export const bodySchema = <T>(schema: object): ValidateFunction<T> => ajv.compile<T>(schema)

/** The body if it matches; else 400 naming the first problem by its JSON path. */
export function checked<T> (validate: ValidateFunction<T>, body: unknown, within: string[] = []): T {
  if (body === undefined || body === null) throw new AdminBadRequest('invalid request: a JSON body is required (Content-Type: application/json)')
  if (validate(body)) return body
  throw new AdminBadRequest(`invalid request: ${describeSchemaError(validate.errors?.[0] as NonNullable<typeof validate.errors>[number], within)}`)
}

/**
 * The query's parameters, each of them `known` and given once; anything else is refused, naming it as a `noun`
 * ("filter", "parameter") and saying what is `allowed`.
 */
export function singleValues (query: Query, known: readonly string[], noun: string, allowed: string): Record<string, string> {
  if (query[MALFORMED] !== undefined) throw new AdminBadRequest(`invalid request: the query is not valid percent-encoding (${query[MALFORMED]})`)
  const single: Record<string, string> = {}
  for (const [key, values] of Object.entries(query)) {
    if (!known.includes(key)) throw new AdminBadRequest(`invalid request: unknown ${noun} '${key}'; use ${allowed}`)
    if (values.length !== 1) throw new AdminBadRequest(`invalid request: ${noun} '${key}' given ${values.length} times; give it once`)
    single[key] = values[0] as string
  }
  return single
}

export function accountOf (world: World, accountId: string): Account {
  const account = world.account(accountId)
  if (account === undefined) throw new AdminNotFound(`account ${accountId} does not exist; PUT ${ADMIN_PREFIX}/accounts/${accountId} creates it`)
  return account
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
