/** The real entry point, as a process: what a user sees on start, on a bad fixture, and on stop. */
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { packageRoot } from '../src/package-root.js'
import { DEFAULT } from './helpers/app.js'
import { connectRaw, until, type RawConnection } from './helpers/closing.js'

// The built entry point (tap's `before` builds it: scripts/prepare.mjs): with tap's TypeScript loader a process takes
// ten times as long to start.
const entry = join(packageRoot, 'dist', 'src', 'server.js')

// Each test starts a process or more; with the rest of the suite running beside it, the file needs more than 30 s.
t.setTimeout(180_000)

/** Starts the simulator's command; logs as on a terminal unless LOG_FORMAT says. */
function start (args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [entry, ...args], {
    cwd: packageRoot, env: { ...process.env, LOG_FORMAT: 'pretty', ...env }, stdio: ['ignore', 'pipe', 'pipe']
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
  t.match(output().stdout, /^Usage: chat-capacity-simulator \[options\]/)
  t.match(output().stdout, /--scenario <name\|path>\s+SCENARIO/)
})

t.test('--version (-v) prints the version and exits 0', async (t) => {
  const { exited, output } = start(['-v'])
  const [code] = await exited
  t.equal(code, 0)
  t.equal(output().stdout, '0.1.0\n')
})

t.test('starts, prints one line to click, answers over HTTP, and stops on SIGTERM', async (t) => {
  const sim = start(['--port', '0', '--log-level', 'silent'], { SCENARIO: 'default' })
  const url = await started(sim)
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.equal(sim.output().stdout, `Chat capacity simulator at ${url} — scenario default, accounts 12345678, clock frozen — dashboard ${url}/dashboard — try: ` +
    `curl -H "Authorization: Bearer $TOKEN" '${url}/api/account/12345678/agentSession/sessJohn/chat/availableSlots?v=1' ` +
    '(TOKEN: the bearer of sessJohn in the scenario)\n')
  const res = await fetch(`${url}/api/account/12345678/agentSession/sessJohn/chat/availableSlots.xml?v=1&skill=Sales`, {
    headers: { authorization: `Bearer ${DEFAULT.john.bearer}` }
  })
  t.equal(res.status, 200)
  t.equal(res.headers.get('content-type'), 'application/xml; charset=utf-8')
  t.equal(await res.text(), '<?xml version="1.0" encoding="UTF-8"?><availableSlots>2</availableSlots>')
  sim.child.kill('SIGTERM')
  t.same(await sim.exited, [0, null], 'a clean exit')
  t.equal(sim.output().stderr, '')
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

/** Waits for more output; fails (instead of waiting forever) if the process ends first. */
async function moreOutput (sim: ReturnType<typeof start>): Promise<void> {
  const ended = sim.exited.then(([code]) => { throw new Error(`the simulator exited (${code}) early; stderr: ${sim.output().stderr}`) })
  ended.catch(() => {}) // once output has come, a later exit is no failure
  await Promise.race([once(sim.child.stdout, 'data'), ended])
}

/** Waits for the banner line and returns the URL it shows. */
async function started (child: ReturnType<typeof start>): Promise<string> {
  const banner = /Chat capacity simulator at (http:\/\/127\.0\.0\.1:\d+) — .*\n/
  while (!banner.test(child.output().stdout)) await moreOutput(child)
  return banner.exec(child.output().stdout)?.[1] as string
}

t.test('LOG_FORMAT=json, LOG_REQUESTS=true: one JSON object per line, requests logged without their token', async (t) => {
  const sim = start(['--port', '0'], { LOG_FORMAT: 'json', LOG_LEVEL: 'info', LOG_REQUESTS: 'true' })
  const url = await started(sim)
  const res = await fetch(`${url}/api/account/12345678/agentSession/sessJohn/chat/availableSlots?v=1`, {
    headers: { authorization: `Bearer ${DEFAULT.john.bearer}`, cookie: 'secret=1' }
  })
  t.equal(res.status, 200)
  await res.text()
  sim.child.kill('SIGTERM')
  const [code] = await sim.exited
  t.equal(code, 0)
  const lines = sim.output().stdout.split('\n').slice(0, -1)
  const logs = lines.map((line) => JSON.parse(line) as { msg: string, req?: { url: string }, url?: string, accounts?: string[] })
  const banner = logs.find((log) => log.msg.startsWith('Chat capacity simulator at '))
  t.match(banner, { url, accounts: ['12345678'], msg: `Chat capacity simulator at ${url} — scenario default, accounts 12345678, clock frozen — dashboard ${url}/dashboard — try: ` })
  t.ok(logs.some((log) => log.msg === 'incoming request' && log.req?.url === '/api/account/12345678/agentSession/sessJohn/chat/availableSlots?v=1'))
  t.ok(logs.some((log) => log.msg === 'request completed'))
  t.notMatch(sim.output().stdout, DEFAULT.john.bearer, 'no token in the log')
  t.notMatch(sim.output().stdout, 'secret=1', 'no cookie in the log')
  t.equal(sim.output().stderr, '')
})

t.test('LOG_FORMAT=pretty: readable lines; requests are not logged unless asked', async (t) => {
  const sim = start(['--port', '0', '--log-format', 'pretty'])
  const url = await started(sim)
  await (await fetch(`${url}/__admin/health`)).text()
  sim.child.kill('SIGTERM')
  const [code] = await sim.exited
  t.equal(code, 0)
  t.match(sim.output().stdout, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Server listening at http:\/\/127\.0\.0\.1:\d+$/m)
  t.notMatch(sim.output().stdout, /request|health/)
})

t.test('--fixtures: scenario names are looked up in a folder of one\'s own first', async (t) => {
  const dir = t.testdir({
    'mine.json': JSON.stringify({
      description: 'one agent',
      accounts: {
        77000001: {
          skills: { Sales: { id: 1, queued: 0, meanHandleTimeSec: 300 } },
          agents: { Zoe: { id: 1, nickname: 'Zoe', chatState: 'Online', maxChats: 4, activeChats: 1, skills: ['Sales'] } },
          sessions: { sessZoe: { agent: 'Zoe', bearer: 'ab'.repeat(32) } }
        }
      }
    })
  })
  const sim = start(['--port', '0', '--log-level', 'silent'], { FIXTURES_DIR: dir, SCENARIO: 'mine' })
  const url = await started(sim)
  t.match(sim.output().stdout, `— scenario mine, accounts 77000001, clock frozen — dashboard ${url}/dashboard — try: `)
  const res = await fetch(`${url}/api/account/77000001/agentSession/sessZoe/chat/availableSlots?v=1&skill=Sales`, {
    headers: { authorization: `Bearer ${'ab'.repeat(32)}` }
  })
  t.equal(await res.text(), '{"availableSlots":3}')
  sim.child.kill('SIGTERM')
  t.same(await sim.exited, [0, null])

  // Built-in names still load when the folder lacks them; an unknown name lists both.
  const busy = start(['--port', '0', '--log-level', 'silent', '--fixtures', dir, '--scenario', 'busy'])
  await started(busy)
  busy.child.kill('SIGTERM')
  t.same(await busy.exited, [0, null])
  const unknown = start(['--fixtures', dir, '--scenario', 'nope'])
  t.same(await unknown.exited, [1, null])
  t.match(unknown.output().stderr, /give a fixture name \(after-hours, busy, default, live, mine, multi-tenant, unlimited\) or the path of a \.json file\n$/)
})

t.test('SIGTERM: idle and half-sent connections close at once, a request held in flight (1.5 s) is answered, exit 0', async (t) => {
  const sim = start(['--port', '0', '--log-level', 'silent'])
  const url = new URL(await started(sim))
  const fault = await fetch(`${url}__admin/faults`, { method: 'POST', body: '{"effect":{"type":"latency","ms":1500}}', headers: { 'content-type': 'application/json' } })
  t.equal(fault.status, 201)
  const connect = async (): Promise<RawConnection> => await connectRaw(Number(url.port), url.hostname)
  const idle = await connect()
  idle.socket.write(`GET /__admin/health HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n\r\n`)
  await once(idle.socket, 'data')
  const halfSent = await connect()
  halfSent.socket.write(`GET /__admin/health HTTP/1.1\r\nHost: ${url.host}\r\n`)
  const held = await connect()
  held.socket.write(`GET /api/account/12345678/agentSession/sessJohn/chat/availableSlots?v=1 HTTP/1.1\r\nHost: ${url.host}\r\n` +
    `Authorization: Bearer ${DEFAULT.john.bearer}\r\n\r\n`)
  // SIGTERM once the held request has reached the server (its fault has fired).
  await until(async () => (await (await fetch(`${url}__admin/faults`)).json() as { faults: Array<{ fired: number }> }).faults[0]?.fired === 1)
  sim.child.kill('SIGTERM')
  const order: string[] = []
  await Promise.all(Object.entries({ idle, halfSent, held }).map(async ([name, { ended }]) => { await ended; order.push(name) }))
  t.same([...order.slice(0, 2).sort(), order[2]], ['halfSent', 'idle', 'held'], 'the quiet connections closed before the held answer')
  t.equal(halfSent.received(), '')
  t.match(held.received(), /^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\n\{"availableSlots":3\}$/)
  t.same(await sim.exited, [0, null])
  t.equal(sim.output().stderr, '')
})

/** Waits until the output has a line that passes the test (the server acts on its own time: a watch, a log). */
async function line (sim: ReturnType<typeof start>, test: (line: string) => boolean): Promise<string> {
  for (;;) {
    const found = sim.output().stdout.split('\n').find(test)
    if (found !== undefined) return found
    await moreOutput(sim)
  }
}

t.test('--watch: an edit of the scenario file replaces the state; a bad edit is logged and the last good state keeps serving', async (t) => {
  const scenario = (maxChats: number): string => JSON.stringify({
    description: 'watched',
    accounts: {
      77000002: {
        skills: { Sales: { id: 1, queued: 0, meanHandleTimeSec: 300 } },
        agents: { Zoe: { id: 1, nickname: 'Zoe', chatState: 'Online', maxChats, activeChats: 0, skills: ['Sales'] } },
        sessions: { sessZoe: { agent: 'Zoe', bearer: 'ab'.repeat(32) } }
      }
    }
  })
  const dir = t.testdir({ 'watched.json': scenario(2) })
  const file = join(dir, 'watched.json')
  const sim = start(['--port', '0', '--scenario', file, '--watch'], { LOG_FORMAT: 'json' })
  const url = await started(sim)
  const ask = async (): Promise<string> => (await fetch(`${url}/api/account/77000002/agentSession/sessZoe/chat/availableSlots?v=1&skill=Sales`, {
    headers: { authorization: `Bearer ${'ab'.repeat(32)}` }
  })).text()
  t.equal(await ask(), '{"availableSlots":2}')

  writeFileSync(file, scenario(5))
  await line(sim, (l) => l.includes('"msg":"scenario reloaded"'))
  t.equal(await ask(), '{"availableSlots":5}')

  writeFileSync(file, scenario(5).replace('"maxChats":5', '"maxChats":"lots"'))
  const error = JSON.parse(await line(sim, (l) => l.includes('scenario not reloaded'))) as { level: number, msg: string }
  t.equal(error.level, 50)
  t.equal(error.msg, `scenario not reloaded; the last good one keeps serving: ${file.slice(packageRoot.length + 1)}: ` +
    "$.accounts['77000002'].agents.Zoe.maxChats: must be integer")
  t.equal(await ask(), '{"availableSlots":5}')
  sim.child.kill('SIGTERM')
  t.same(await sim.exited, [0, null])
})

t.test('listening beyond loopback without ADMIN_TOKEN warns at start; with it, no warning', async (t) => {
  const open = start(['--port', '0', '--host', '0.0.0.0'], { LOG_FORMAT: 'json', ADMIN_TOKEN: '' })
  await started(open)
  const warning = JSON.parse(await line(open, (l) => l.includes('"level":40'))) as { msg: string }
  t.equal(warning.msg, "listening on 0.0.0.0 without ADMIN_TOKEN: anyone who can reach this port can change the simulator's state " +
    'through /__admin; set ADMIN_TOKEN to require a token')
  open.child.kill('SIGTERM')
  await open.exited

  const closed = start(['--port', '0', '--host', '0.0.0.0'], { LOG_FORMAT: 'json', ADMIN_TOKEN: 'a-long-enough-admin-token' })
  await started(closed)
  closed.child.kill('SIGTERM')
  t.same(await closed.exited, [0, null])
  t.notMatch(closed.output().stdout, '"level":40')
  t.notMatch(closed.output().stdout, 'a-long-enough-admin-token', 'the token is never logged')
})

t.test('--clock and --seed: how the clock runs from the start, and the seed; frozen by default, else as the scenario says', async (t) => {
  const read = async (url: string): Promise<[unknown, unknown]> => {
    const clock = await (await fetch(`${url}/__admin/clock`)).json() as { mode: string, speed: number }
    const faults = await (await fetch(`${url}/__admin/faults`)).json() as { seed: number }
    return [{ mode: clock.mode, speed: clock.speed }, faults.seed]
  }
  const cases: Array<[string[], Record<string, string>, unknown, number, string]> = [
    [[], {}, { mode: 'frozen', speed: 1 }, 1, 'clock frozen'],
    [['--clock', '60', '--seed', '7'], {}, { mode: 'realtime', speed: 60 }, 7, 'clock 60× realtime'],
    [[], { CLOCK: 'realtime', SEED: '4294967295' }, { mode: 'realtime', speed: 1 }, 4294967295, 'clock realtime'],
    [['--clock', 'frozen'], { CLOCK: '60' }, { mode: 'frozen', speed: 1 }, 1, 'clock frozen']
  ]
  for (const [args, env, clock, seed, shown] of cases) {
    const sim = start(['--port', '0', '--log-level', 'silent', ...args], env)
    const url = await started(sim)
    t.strictSame(await read(url), [clock, seed], args.join(' ') || JSON.stringify(env))
    t.match(sim.output().stdout, `, ${shown} — dashboard ${url}/dashboard — try: `)
    sim.child.kill('SIGTERM')
    await sim.exited
  }
  const refused: Array<[string[], string]> = [
    [['--clock', 'fast'], 'error: --clock="fast" is not a clock setting; use frozen, realtime, or a speed from 0.000001 to 1000000 (simulated seconds per real second, such as 60)\n'],
    [['--clock', '0'], 'error: --clock="0" is not a clock setting; use frozen, realtime, or a speed from 0.000001 to 1000000 (simulated seconds per real second, such as 60)\n'],
    [['--seed', '4294967296'], 'error: --seed="4294967296" is not a seed; use a whole number from 0 to 4294967295\n'],
    [['--seed=-1'], 'error: --seed="-1" is not a seed; use a whole number from 0 to 4294967295\n']
  ]
  for (const [args, message] of refused) {
    const { exited, output } = start(args)
    t.same((await exited)[0], 1, args.join(' '))
    t.equal(output().stderr, message)
  }
})
