import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { REDACTED_HEADERS } from '../../src/logger.js'
import { SimulatedClock } from '../../src/domain/clock.js'
import { World } from '../../src/domain/world.js'
import { ERRORS } from '../../src/http/errors.js'
import { packageRoot } from '../../src/package-root.js'
import { loadScenario } from '../../src/scenarios.js'
import { DEFAULT, JSON_TYPE, jsonError, NOW, slotsUrl, XML_TYPE, xmlError } from '../helpers/app.js'

/** A pino destination that keeps every line. */
function capture () {
  const lines: string[] = []
  const stream = new Writable({ write (chunk, _enc, done) { lines.push(String(chunk)); done() } })
  return { lines, stream }
}

const INTERNAL = 'internal error; the simulator could not answer this request, and its log has the details'

t.test('an unexpected failure is a 500 in the product\'s body, logged without the token', async (t) => {
  class BrokenWorld extends World {
    override loginOf (): never { throw new Error('the model broke') }
  }
  const log = capture()
  const app = await buildApp({ world: new BrokenWorld(), clock: SimulatedClock.frozenAt(NOW), logger: { level: 'trace', stream: log.stream, redact: REDACTED_HEADERS } })
  t.teardown(() => app.close())
  const headers = { authorization: `Bearer ${DEFAULT.john.bearer}` }
  const json = await app.inject({ url: slotsUrl('1', 's'), headers })
  t.equal(json.statusCode, 500)
  t.equal(json.headers['content-type'], JSON_TYPE)
  t.equal(json.body, jsonError(50, INTERNAL))
  const xml = await app.inject({ url: slotsUrl('1', 's', 'v=1', '.xml'), headers })
  t.equal(xml.statusCode, 500)
  t.equal(xml.headers['content-type'], XML_TYPE)
  t.equal(xml.body, xmlError(50, INTERNAL))
  const all = log.lines.join('')
  t.match(all, '"msg":"unexpected error"')
  t.match(all, 'the model broke')
  t.notMatch(all, DEFAULT.john.bearer)
})

t.test('no log line carries a bearer token, whatever the request', async (t) => {
  const log = capture()
  const app = await buildApp({ world: loadScenario('default').world, logRequests: true, logger: { level: 'trace', stream: log.stream, redact: REDACTED_HEADERS } })
  t.teardown(() => app.close())
  const token = DEFAULT.john.bearer
  for (const authorization of [`Bearer ${token}`, token, `Basic ${token}`, `Bearer ${token}x`]) {
    await app.inject({ url: slotsUrl(DEFAULT.account, DEFAULT.john.session), headers: { authorization } })
    await app.inject({ url: slotsUrl(DEFAULT.account, 'other', 'v=9'), headers: { authorization } })
    await app.inject({ method: 'POST', url: slotsUrl(DEFAULT.account, 'x'), headers: { authorization } })
  }
  t.ok(log.lines.length >= 24, `requests were logged (${log.lines.length} lines)`)
  t.notMatch(log.lines.join(''), token)
})

t.test('docs/errors.md and openapi.yaml list the codes and statuses of the one error table', async (t) => {
  const rows = (text: string): Array<[number, string]> => [...text.matchAll(/^\s*\| (\d\d) \| ([0-9.]+) \|/gm)]
    .map((match) => [Number(match[1]), match[2] as string])
  const table = Object.values(ERRORS)
  const codes = table.map((error) => error.internalCode).sort((a, b) => a - b)

  const docs = rows(readFileSync(join(packageRoot, 'docs/errors.md'), 'utf8'))
  t.strictSame([...new Set(docs.map(([code]) => code))].sort((a, b) => a - b), codes, 'docs/errors.md: every code, and no other')
  for (const [code, status] of docs) {
    const error = table.find((e) => e.internalCode === code)
    const allowed = code === ERRORS.SIM_INJECTED_FAULT.internalCode ? ['400..599'] : [error?.status, ...(error && 'alsoStatuses' in error ? error.alsoStatuses : [])].map(String)
    t.ok(allowed.includes(status), `docs/errors.md: ${code} with ${status} (the table: ${allowed.join(', ')})`)
  }
  for (const error of table) {
    if (error.internalCode === ERRORS.SIM_INJECTED_FAULT.internalCode) continue
    t.ok(docs.some(([code, status]) => code === error.internalCode && status === String(error.status)), `docs/errors.md: ${error.internalCode} with its status ${error.status}`)
  }

  const openapi = rows(readFileSync(join(packageRoot, 'openapi.yaml'), 'utf8'))
  t.strictSame(openapi, table.map((error) => [error.internalCode, String(error.status)]), 'openapi.yaml: one row per error, in the table\'s order')
})
