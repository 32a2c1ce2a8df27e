/** Ajv's schema errors as the simulator reports every problem: `$.json.path: what is wrong`. */
import type { ErrorObject } from 'ajv'
import { describeProblem } from './scenario.js'

/**
 * `$.json.path: problem` for a schema error. `within` is where the validated value sits in a scenario document
 * (an agent of an admin request: ['accounts', id, 'agents', name]), so array indices are told from names; the
 * path shown starts at the value.
 */
export function describeSchemaError (error: ErrorObject, within: string[] = []): string {
  const path = [...within, ...error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))]
  const params = error.params as Record<string, unknown>
  let message = error.message ?? 'is invalid'
  if (error.propertyName !== undefined) {
    path.push(error.propertyName)
    message = `this name ${message}`
  } else if (error.keyword === 'required') {
    path.push(String(params.missingProperty))
    message = 'is required'
  } else if (error.keyword === 'additionalProperties') {
    path.push(String(params.additionalProperty))
    message = 'is not a known property'
  } else if (error.keyword === 'enum') {
    message = `must be one of ${(params.allowedValues as unknown[]).join(', ')}`
  } else if (error.keyword === 'discriminator') {
    // A oneOf told apart by a tag (`type`): the tag is missing, or is not one of the kinds' (Ajv's `verbose` gives them).
    path.push(String(params.tag))
    message = params.tagValue === undefined ? 'is required' : `must be one of ${tagValues(error).join(', ')}`
  }
  const steps = path.map((key, i) => (isArrayIndex(error, path, i) ? Number(key) : key))
  return describeProblem(steps.slice(within.length), message)
}

/** Array indices show as [n] in the path; the only arrays in a scenario are agents' skills. */
function isArrayIndex (error: ErrorObject, path: string[], i: number): boolean {
  return path[i - 1] === 'skills' && path[i - 3] === 'agents' && /^\d+$/.test(path[i] as string) && error.instancePath !== ''
}

/** The values of a discriminated oneOf's tag, in its order. */
function tagValues (error: ErrorObject): string[] {
  const tag = String((error.params as Record<string, unknown>).tag)
  const kinds = ((error.parentSchema ?? {}) as { oneOf?: Array<{ properties?: Record<string, { const?: unknown }> }> }).oneOf ?? []
  return kinds.map((kind) => String(kind.properties?.[tag]?.const))
}
