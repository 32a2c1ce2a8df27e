/** startSimulator, and the README's in-process example run as written. */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import t, { type Test } from 'tap'
import { startSimulator } from '../src/index.js'
import { packageRoot } from '../src/package-root.js'

/**
 * Runs the first ts block under a README heading, as written, but importing the sources: the package's name
 * resolves to its build. Its t.test calls add subtests to this file's run; a failing assertion fails this file.
 */
async function readmeExample (t: Test, heading: string): Promise<void> {
  const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8')
  const example = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf(heading)))?.[1]
  t.match(example, "import { startSimulator } from 'chat-capacity-simulator'")
  const file = join(t.testdir(), 'example.test.ts')
  writeFileSync(file, (example as string).replace("'chat-capacity-simulator'", `'${pathToFileURL(join(packageRoot, 'src', 'index.ts')).href}'`))
  await import(pathToFileURL(file).href)
}

t.test("the README's in-process example passes, as written", (t) => readmeExample(t, '## In-process, for tests'))

t.test("the README's integration-test example passes, as written", (t) => readmeExample(t, '## Using it in integration tests'))

t.test('startSimulator serves a scenario on a free port and closes cleanly', async (t) => {
  const sim = await startSimulator({ scenario: 'busy' })
  t.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.equal(sim.url, `http://127.0.0.1:${sim.port}`)
  const res = await fetch(`${sim.url}/api/account/20000001/agentSession/sessAva/chat/availableSlots?v=1&skill=Support&maxWaitTime=600`, {
    headers: { authorization: 'Bearer acd8a114e11b10a6e603ef982d9a0758555181b6d430e905a5bf271fc74608cf' }
  })
  t.equal(res.status, 200)
  t.equal(res.headers.get('content-type'), 'application/json; charset=utf-8')
  t.same(await res.json(), { availableSlots: 8 })
  await sim.close()
  t.equal(sim.app.server.listening, false)
})

t.test('a scenario document works too, and a bad one is refused with its JSON path', async (t) => {
  const sim = await startSimulator({
    scenario: {
      description: 'inline',
      accounts: { 1: { skills: { S: { id: 1, queued: 0, meanHandleTimeSec: 60 } }, agents: {}, sessions: {} } }
    }
  })
  t.teardown(() => sim.close())
  t.ok(sim.port > 0)
  await t.rejects(startSimulator({ scenario: { description: 'x', accounts: { 'no-dash': { skills: {}, agents: {} } } } }), {
    name: 'ScenarioFileError', message: "scenario document: $.accounts['no-dash']: this name must match pattern \"^[A-Za-z0-9]{1,64}$\""
  })
})
