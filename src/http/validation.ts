/**
 * How Fastify checks the control API's requests against their schemas: strictly (no type coercion, no defaults
 * filled in, nothing removed), and each refusal in the product's error body, naming the first problem by its JSON
 * path: `invalid request: $.effect.status: must be >= 400` (internalCode 22). A path parameter that cannot name
 * anything is 404 (internalCode 33), as a name that names nothing is.
 */
import type { FastifyServerOptions } from 'fastify'
import type { ErrorObject } from 'ajv'
import { describeSchemaError } from '../domain/schema-problems.js'
import { AdminBadRequest, AdminNotFound } from './errors.js'

export const AJV_OPTIONS = {
  customOptions: {
    coerceTypes: false,
    useDefaults: false,
    removeAdditional: false,
    allErrors: false,
    // Errors carry the value and the schema they fail, for the messages below.
    verbose: true,
    discriminator: true,
    // OpenAPI's word, which Ajv does not know.
    keywords: ['xml']
  }
} satisfies FastifyServerOptions['ajv']

/** What a path parameter names, for the 404 of one that cannot be a name. */
const PARAMETER_NOUNS: Record<string, string> = { accountId: 'an account id', loginName: 'a login name', name: 'a skill name' }

type ValidationContext = Parameters<NonNullable<FastifyServerOptions['schemaErrorFormatter']>>[1]

/**
 * The formatter: `within` is where a body sits in a scenario document (an agent: ['accounts', id, 'agents', name]),
 * so that the path tells an agent's skills (an array) from an account's (named).
 */
export function schemaErrors (within: string[] = []) {
  return (errors: ErrorObject[], context: ValidationContext): Error => {
    const error = errors[0]
    if (error === undefined) return new AdminBadRequest(`invalid request: the ${context} is not valid`)
    if (context === 'body' && error.instancePath === '' && error.data == null) {
      return new AdminBadRequest('invalid request: a JSON body is required (Content-Type: application/json)')
    }
    if (context === 'params') {
      const name = error.instancePath.slice(1)
      const rule = (error.parentSchema as { description?: string } | undefined)?.description ?? 'what the documentation says'
      return new AdminNotFound(`'${String(error.data)}' cannot be ${PARAMETER_NOUNS[name] ?? `a ${name}`}; use ${rule}`)
    }
    return new AdminBadRequest(`invalid request: ${describeSchemaError(error, within)}`)
  }
}
