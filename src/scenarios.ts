/** Finding, reading and validating scenario files: <name>.json in a folder of one's own or fixtures/, or any path. */
import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readFileSync } from 'node:fs'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { inlined } from './http/schemas/contract.js'
import { ScenarioInput as ScenarioInputSchema } from './domain/scenario-schema.js'
import { describeSchemaError } from './domain/schema-problems.js'
import { buildWorld, describeProblem, ScenarioProblems, snapshot, type ScenarioDocument, type ScenarioInput } from './domain/scenario.js'
import type { World } from './domain/world.js'
import { fixturesDir } from './package-root.js'

export interface LoadedScenario {
  file: string
  document: ScenarioDocument
  world: World
}

/** The most problems a message lists; a file can have a million, and the first screenful is what gets read. */
const PROBLEMS_SHOWN = 20

/**
 * A scenario that cannot be loaded, with every problem found (`$.json.path: what is wrong`). The message names the
 * source; one problem takes one line (`<source>: $.path: problem`), more take one line each after a count.
 */
export class ScenarioFileError extends Error {
  override name = 'ScenarioFileError'
  /** `missing`: there is no such file (a fixture name that names none), as opposed to one that does not load. */
  constructor (readonly source: string, readonly problems: string[], readonly missing = false) {
    const more = problems.length - PROBLEMS_SHOWN
    super(problems.length === 1
      ? `${source}: ${problems[0] as string}`
      : [`${source}: ${problems.length} problems:`, ...problems.slice(0, PROBLEMS_SHOWN).map((p) => `  ${p}`), ...(more > 0 ? [`  … and ${more} more`] : [])].join('\n'))
  }
}

/**
 * Scenario documents are checked strictly (no type coercion: `"5"` is not a number) for every problem at once, against
 * the schema as one piece: Ajv takes in a referenced schema's errors by copying all the errors found so far
 * (`vErrors.concat`), which with allErrors is quadratic (100,000 errors took minutes); inlined, each error is pushed once.
 */
const ajv = new Ajv2020({ allErrors: true, strict: true })
addFormats.default(ajv, ['date-time'])
const validate = ajv.compile<ScenarioInput>(inlined(ScenarioInputSchema))

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
    throw new ScenarioFileError(shown, [`cannot read the scenario (${code ?? String(err)}); ` +
      `give a fixture name (${fixtureNames(ownFolder).join(', ')}) or the path of a .json file`], code === 'ENOENT')
  }
  const json = text.charCodeAt(0) === 0xFEFF ? text.slice(1) : text // editors may save a byte-order mark
  let document: unknown
  try {
    document = JSON.parse(json)
  } catch (err) {
    throw new ScenarioFileError(shown, [`$: not valid JSON (${whereJsonFails(err as Error, json)})`])
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

/**
 * Validates a parsed document against the schema and the model's invariants, and builds its World; the document
 * given back has every default filled in. The model's checks assume the schema's shape, so they only run (and
 * their problems only show) once the schema's problems are fixed.
 */
export function parseScenarioDocument (document: unknown, source: string): { document: ScenarioDocument, world: World } {
  if (!validate(document)) throw new ScenarioFileError(source, schemaProblems(validate.errors ?? []))
  try {
    const world = buildWorld(document)
    return { document: snapshot(world), world }
  } catch (err) {
    if (err instanceof ScenarioProblems) throw new ScenarioFileError(source, err.problems.map((p) => describeProblem(p.field, p.message)))
    throw err
  }
}

/**
 * Ajv's errors, described, each once. With allErrors a bad property name comes with a second error that only says
 * "property name must be valid", and a wrong type of an agent's skill is found twice (by `type` and by the `$ref`
 * beside it).
 */
function schemaProblems (errors: ErrorObject[]): string[] {
  return [...new Set(errors.filter((error) => error.keyword !== 'propertyNames').map((error) => describeSchemaError(error)))]
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
