import t from 'tap'
import { parse } from 'yaml'
import { openapi } from '../helpers/contract.js'
import { build } from '../helpers/app.js'

t.test('/documentation serves Swagger UI over the document built from the routes', async (t) => {
  const sim = await build(t)
  const page = await sim.request({ url: '/documentation' })
  t.equal(page.statusCode, 200)
  t.equal(page.headers['content-type'], 'text/html; charset=utf-8')
  t.match(page.body, '<div id="swagger-ui"></div>')
  t.match(page.body, '<script src="/documentation/static/swagger-initializer.js"')

  const json = await sim.request({ url: '/documentation/json' })
  t.equal(json.statusCode, 200)
  t.equal(json.headers['content-type'], 'application/json; charset=utf-8')
  t.strictSame(JSON.parse(json.body), openapi, 'the document itself, unchanged')

  const yaml = await sim.request({ url: '/documentation/yaml' })
  t.equal(yaml.statusCode, 200)
  t.equal(yaml.headers['content-type'], 'application/x-yaml')
  t.strictSame(parse(yaml.body), openapi)

  const initializer = await sim.request({ url: '/documentation/static/swagger-initializer.js' })
  t.equal(initializer.statusCode, 200)
  t.equal(initializer.headers['content-type'], 'application/javascript; charset=utf-8')
  t.match(initializer.body, "url: resolveUrl('./json')", 'the document, relative to the page')

  const bundle = await sim.request({ url: '/documentation/static/swagger-ui-bundle.js' })
  t.equal(bundle.statusCode, 200)
  t.equal(bundle.headers['content-type'], 'application/javascript; charset=utf-8')

  const missing = await sim.request({ url: '/documentation/static/nothing.js' })
  t.equal(missing.statusCode, 404)
})
