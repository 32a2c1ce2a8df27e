/** Finding, reading and validating scenario files: <name>.json in a folder of one's own or fixtures/, or any path. */
import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readFileSync } from 'node:fs'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { buildWorld, ScenarioError, type ScenarioDocument } from './domain/scenario.js'
import type { World } from './domain/world.js'
import { fixturesDir } from './package-root.js'

export interface LoadedScenario {
  file: string
  document: ScenarioDocument
  world: World
}

/** A scenario file that cannot be loaded; the message names the file and the JSON path. */
export class ScenarioFileError extends Error {
  override name = 'ScenarioFileError'
}

const schema = JSON.parse(readFileSync(join(fixturesDir, 'scenario.schema.json'), 'utf8'))
/** Strict, and without type coercion: `"5"` is not a number. The admin API's bodies are checked with it too. */
export const ajv = new Ajv2020({ allErrors: false, strict: true })
addFormats.default(ajv, ['date-time'])
const validate = ajv.compile<ScenarioDocument>(schema)
/** `$ref` to a definition of the scenario schema, such as `agent`. */
export const scenarioDef = (name: string): { $ref: string } => ({ $ref: `${schema.$id as string}#/$defs/${name}` })

/**
 * `busy` → <own folder>/busy.json if a folder of one's own is given and has it, else fixtures/busy.json; anything with
 * a slash or a .json ending is a path from the working directory.
 */
export function resolveScenario (nameOrPath: string, ownFolder?: string): string {
  if (nameOrPath.includes('/') || nameOrPath.includes('\\') || nameOrPath.endsWith('.json')) return resolve(nameOrPath)
  const own = ownFolder === undefined ? undefined : resolve(ownFolder, `${nameOrPath}.json`)
  return own !== undefined && existsSync(own) ? own : join(fixturesDir, `${nameOrPath}.json`)
}

export function loadScenario (nameOrPath: string, ownFolder?: string): LoadedScenario {
  const file = resolveScenario(nameOrPath, ownFolder)
  const shown = displayPath(file)
  let text: string
  try {
    text = readRegularFile(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new ScenarioFileError(`${shown}: cannot read the scenario (${code ?? String(err)}); ` +
      `give a fixture name (${fixtureNames(ownFolder).join(', ')}) or the path of a .json file`)
  }
  const json = text.charCodeAt(0) === 0xFEFF ? text.slice(1) : text // editors may save a byte-order mark
  let document: unknown
  try {
    document = JSON.parse(json)
  } catch (err) {
    throw new ScenarioFileError(`${shown}: $: not valid JSON (${whereJsonFails(err as Error, json)})`)
  }
  return { file, ...parseScenarioDocument(document, shown) }
}

/**
 * A file's text, if it is a regular file. Opened without blocking and checked before reading, so that a FIFO or a
 * device given as a scenario is refused (code ENOTFILE) instead of stopping the event loop while it waits for data.
 */
function readRegularFile (file: string): string {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK)
  try {
    if (!fstatSync(fd).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTFILE' })
    return readFileSync(fd, 'utf8')
  } finally {
    closeSync(fd)
  }
}

/**
 * Where JSON.parse failed, as a line and column, without the text itself: its message quotes the file's first
 * characters when the very first token is wrong, and a file given by mistake may hold a secret.
 */
function whereJsonFails (err: Error, text: string): string {
  const position = /at position (\d+)/.exec(err.message)
  if (position !== null) {
    const before = text.slice(0, Number(position[1]))
    const line = before.split('\n').length
    return `line ${line}, column ${before.length - before.lastIndexOf('\n')}`
  }
  if (/end of JSON input/.test(err.message)) return 'it ends before the document does'
  // Node gives no position for an unexpected token, only the token and the text around it: the token alone.
  const token = /^Unexpected token '(.)'/u.exec(err.message)
  return token === null ? 'a syntax error' : `unexpected '${token[1] as string}'`
}

/** Validates a parsed document against the schema and the model's invariants, and builds its World. */
export function parseScenarioDocument (document: unknown, source: string): { document: ScenarioDocument, world: World } {
  if (!validate(document)) {
    const error = validate.errors?.[0] as ErrorObject
    throw new ScenarioFileError(`${source}: ${describeSchemaError(error)}`)
  }
  try {
    return { document, world: buildWorld(document) }
  } catch (err) {
    if (err instanceof ScenarioError) throw new ScenarioFileError(`${source}: ${err.message}`)
    throw err
  }
}

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
  }
  const steps = path.map((key, i) => (isArrayIndex(error, path, i) ? Number(key) : key))
  return new ScenarioError(steps.slice(within.length), message).message
}

/** Array indices show as [n] in the path; the only arrays in a scenario are agents' skills. */
function isArrayIndex (error: ErrorObject, path: string[], i: number): boolean {
  return path[i - 1] === 'skills' && path[i - 3] === 'agents' && /^\d+$/.test(path[i] as string) && error.instancePath !== ''
}

function displayPath (file: string): string {
  const rel = relative(process.cwd(), file)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file
}

/** The scenarios that ship in fixtures/, and those in a folder of one's own (if it can be read), by name. */
export function fixtureNames (ownFolder?: string): string[] {
  const names = (folder: string): string[] => {
    try {
      return readdirSync(folder).filter((f) => f.endsWith('.json') && f !== 'scenario.schema.json').map((f) => f.slice(0, -'.json'.length))
    } catch {
      return []
    }
  }
  return [...new Set([...(ownFolder === undefined ? [] : names(ownFolder)), ...names(fixturesDir)])].sort()
}
