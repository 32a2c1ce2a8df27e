/** The real entry point, as a process: what a user sees on start, on a bad fixture, and on stop. */
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { once } from 'node:events'
import { join } from 'node:path'
import t from 'tap'
import { packageRoot } from '../src/package-root.js'
import { DEFAULT } from './helpers/app.js'

const entry = join(packageRoot, 'src', 'server.ts')

/** Starts src/server.ts with the test's own TypeScript loader. */
function start (args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [...process.execArgv, entry, ...args], {
    cwd: packageRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  const output = () => ({ stdout, stderr })
  return { child, exited, output }
}

t.test('a bad fixture stops start-up with exit code 1 and one message naming the file and the JSON path', async (t) => {
  const dir = t.testdir({
    'bad.json': JSON.stringify({
      description: 'x',
      accounts: { 1: { skills: {}, agents: { A: { id: 1, nickname: 'A', chatState: 'Online', maxChats: 1, activeChats: 0, skills: ['Nope'] } } } }
    })
  })
  const file = join(dir, 'bad.json')
  const { exited, output } = start(['--scenario', file])
  const [code] = await exited
  t.equal(code, 1)
  t.equal(output().stderr, `error: ${file.slice(packageRoot.length + 1)}: $.accounts['1'].agents.A.skills[0]: skill 'Nope' does not exist in account 1\n`)
  t.equal(output().stdout, '')
})

t.test('a bad option stops start-up with exit code 1', async (t) => {
  const { exited, output } = start([], { PORT: 'abc' })
  const [code] = await exited
  t.equal(code, 1)
  t.equal(output().stderr, 'error: PORT="abc" is not a port; use a whole number from 0 to 65535\n')
})

t.test('--help prints the options and exits 0', async (t) => {
  const { exited, output } = start(['--help'])
  const [code] = await exited
  t.equal(code, 0)
  t.match(output().stdout, /^Usage: npm start -- \[options\]/)
  t.match(output().stdout, /--scenario <name\|path>\s+SCENARIO/)
})

t.test('starts, answers over HTTP, and stops on SIGTERM', async (t) => {
  const { child, exited, output } = start(['--port', '0', '--log-level', 'silent'], { SCENARIO: 'default' })
  while (!output().stdout.includes('\n')) {
    await new Promise((resolve) => child.stdout.once('data', resolve))
  }
  const url = /at (http:\/\/127\.0\.0\.1:\d+) — scenario default, accounts 12345678\n/.exec(output().stdout)?.[1]
  t.ok(url, `banner: ${output().stdout}`)
  const res = await fetch(`${url}/api/account/12345678/agentSession/sessJohn/chat/availableSlots.xml?v=1&skill=Sales`, {
    headers: { authorization: `Bearer ${DEFAULT.john.bearer}` }
  })
  t.equal(res.status, 200)
  t.equal(res.headers.get('content-type'), 'application/xml; charset=utf-8')
  t.equal(await res.text(), '<?xml version="1.0" encoding="UTF-8"?><availableSlots>2</availableSlots>')
  t.notMatch(output().stdout, DEFAULT.john.bearer, 'the banner never prints a token')
  child.kill('SIGTERM')
  const [code, signal] = await exited
  t.same([code, signal], [0, null], 'a clean exit')
  t.equal(output().stderr, '')
})

t.test('a port that is taken stops start-up with exit code 1 and one line', async (t) => {
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  t.teardown(() => blocker.close())
  const { port } = blocker.address() as AddressInfo
  const { exited, output } = start(['--port', String(port), '--log-level', 'silent'])
  const [code] = await exited
  t.equal(code, 1)
  t.equal(output().stderr, `error: cannot listen on 127.0.0.1:${port} (EADDRINUSE); the port is taken: choose another with --port or PORT\n`)
})
