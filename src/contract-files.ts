/**
 * The two files written from the schemas, for readers and editors who do not run the simulator: openapi.yaml (the
 * document the simulator serves) and fixtures/scenario.schema.json (for `$schema` in a scenario file). Neither is
 * kept by hand: `npm run schemas` writes them, and a test fails when either is stale.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { buildApp } from './app.js'
import { World } from './domain/world.js'
import { ScenarioInput } from './domain/scenario-schema.js'
import { namedSchemas, referenced } from './http/schemas/contract.js'
import { fixturesDir, packageRoot } from './package-root.js'

export const OPENAPI_FILE = join(packageRoot, 'openapi.yaml')
export const SCENARIO_SCHEMA_FILE = join(fixturesDir, 'scenario.schema.json')

const HEADER = '# Written by `npm run schemas` from the routes\' schemas (src/http/schemas) and openapi-base.yaml; do not edit.\n'

/** The document as the simulator serves it (with its default options), as YAML. */
export async function openapiYaml (): Promise<string> {
  const app = await buildApp({ world: new World() })
  try {
    return HEADER + stringify(app.swagger(), { lineWidth: 0 })
  } finally {
    await app.close()
  }
}

/** The scenario schema as one standalone file: the named parts under `$defs`, references local to it. */
export function scenarioSchemaJson (): string {
  // Each part without its $id: its name is its key under $defs.
  const unnamed = (schema: object): Array<[string, unknown]> => Object.entries(referenced(schema)).filter(([key]) => key !== '$id')
  const defs = [...namedSchemas([ScenarioInput])].filter(([, schema]) => schema !== ScenarioInput)
    .map(([id, schema]) => [id, Object.fromEntries(unnamed(schema))])
  const document = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://chat-capacity-simulator.local/scenario.schema.json',
    ...Object.fromEntries(unnamed(ScenarioInput)),
    $defs: Object.fromEntries(defs)
  }
  // Every reference is to a part by name, which is now under $defs.
  return JSON.stringify(document, null, 2).replace(/"\$ref": "([A-Za-z]+)"/g, '"$ref": "#/$defs/$1"') + '\n'
}

export async function writeContractFiles (): Promise<void> {
  writeFileSync(OPENAPI_FILE, await openapiYaml())
  writeFileSync(SCENARIO_SCHEMA_FILE, scenarioSchemaJson())
}
