import t from 'tap'
import { Validator } from '@seriousme/openapi-schema-validator'
import type { RouteOptions } from 'fastify'
import { buildApp } from '../src/app.js'
import { INTERNAL_CODES } from '../src/plugins/errors.js'
import { loadScenario } from '../src/scenarios.js'
import { deref, documentedPaths, openapi } from './helpers/contract.js'

t.test('openapi.yaml is a valid OpenAPI 3.1 document', async (t) => {
  const validator = new Validator()
  const result = await validator.validate(structuredClone(openapi))
  t.same(result, { valid: true })
  t.equal(validator.version, '3.1')
})

t.test('every route the app serves is documented, and every documented operation is served', async (t) => {
  const routes: string[] = []
  const onRoute = (route: RouteOptions): void => {
    for (const method of [route.method].flat()) routes.push(`${method.toLowerCase()} ${route.url}`)
  }
  const app = await buildApp({ world: loadScenario('default').world, onRoute })
  t.teardown(() => app.close())
  const toTemplate = (url: string): string => url.replace(/:([A-Za-z]+)/g, '{$1}')
  const served = routes.map((r) => { const [m, u] = r.split(' '); return `${m} ${toTemplate(u as string)}` }).sort()
  const documented = documentedPaths.flatMap(([template]) =>
    Object.keys(deref(openapi.paths[template]))
      .filter((key) => ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'].includes(key))
      .map((method) => `${method} ${template}`)).sort()
  t.same(served, documented)
  t.equal(served.length, 21, '3 paths × (GET, HEAD and 5 refused methods)')
})

t.test('the documented internal codes are the ones the app uses', async (t) => {
  const enumerated = openapi.components.schemas.Error.properties.error.properties.internalCode.enum as number[]
  t.same([...enumerated].sort((a, b) => a - b), Object.values(INTERNAL_CODES).sort((a, b) => a - b))
  const description = openapi.info.description as string
  for (const code of Object.values(INTERNAL_CODES)) t.match(description, new RegExp(`\\| ${code} \\| \\d{3} \\|`), `code ${code} is in the table`)
})
