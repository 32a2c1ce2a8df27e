/**
 * The package as its users get it: packed with `npm pack`, installed into a project of their own, then started
 * with its `bin` (npx) and imported for an in-process start.
 */
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { packageRoot } from '../src/package-root.js'

const run = promisify(execFile)
const BUSY_URL = '/api/account/20000001/agentSession/sessAva/chat/availableSlots?v=1&skill=Support&maxWaitTime=600'
const BUSY_BEARER = 'acd8a114e11b10a6e603ef982d9a0758555181b6d430e905a5bf271fc74608cf'

t.setTimeout(180_000)

t.test('npm pack → npm install → npx chat-capacity-simulator, and import { startSimulator }', async (t) => {
  const dir = t.testdir({ project: { 'package.json': JSON.stringify({ name: 'my-widget-tests', private: true, type: 'module' }) } })
  const project = join(dir, 'project')
  const { stdout: packed } = await run('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: packageRoot })
  const tarball = join(dir, packed.trim().split('\n').at(-1) as string)
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: project })

  const { stdout: help } = await run('npx', ['--no-install', 'chat-capacity-simulator', '--help'], { cwd: project })
  t.match(help, /^Usage: chat-capacity-simulator \[options\]/)

  // What npx runs, started directly so that SIGTERM reaches the simulator rather than npm.
  const bin = join(project, 'node_modules', '.bin', 'chat-capacity-simulator')
  const child = spawn(bin, ['--scenario', 'busy', '--port', '0', '--log-level', 'silent', '--log-format', 'pretty'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => child.kill('SIGKILL'))
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk })
  while (!out.includes('\n')) await once(child.stdout, 'data')
  const url = /at (http:\/\/127\.0\.0\.1:\d+) — scenario busy, accounts 20000001, clock frozen — dashboard \1\/dashboard — try: /.exec(out)?.[1]
  t.ok(url, out)
  const res = await fetch(`${url}${BUSY_URL}`, { headers: { authorization: `Bearer ${BUSY_BEARER}` } })
  t.equal(res.status, 200)
  t.equal(await res.text(), '{"availableSlots":8}')
  child.kill('SIGTERM')
  const [code] = await once(child, 'exit')
  t.equal(code, 0)

  writeFileSync(join(project, 'in-process.js'), `
    import { startSimulator } from 'chat-capacity-simulator'
    const sim = await startSimulator({ scenario: 'busy' })
    const res = await fetch(sim.url + '${BUSY_URL}', { headers: { authorization: 'Bearer ${BUSY_BEARER}' } })
    console.log(res.status, await res.text())
    await sim.close()
  `)
  const { stdout } = await run(process.execPath, ['in-process.js'], { cwd: project })
  t.equal(stdout, '200 {"availableSlots":8}\n')
})
