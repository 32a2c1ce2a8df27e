#!/usr/bin/env node
// `npm run schemas`: writes openapi.yaml and fixtures/scenario.schema.json from the schemas (after a build).
import { writeContractFiles, OPENAPI_FILE, SCENARIO_SCHEMA_FILE } from '../dist/src/contract-files.js'

await writeContractFiles()
console.log(`wrote ${OPENAPI_FILE} and ${SCENARIO_SCHEMA_FILE}`)
