import t from 'tap'
import { build, bearer, DEFAULT, JSON_TYPE, NOW_ISO, slotsUrl } from '../../helpers/app.js'
import { startSimulator } from '../../../src/index.js'
import { MAX_STREAMS } from '../../../src/routes/admin/dashboard.js'

const APP_KEY = { authorization: 'LivePerson appKey=5ccd8aaa1646eb9da7bc166d349a1502' }

t.test('GET /__admin/dashboard: the clock, each skill\'s answers as the API gives them, the agents, faults and the latest requests', async (t) => {
  const sim = await build(t)
  const asked = await sim.request({ url: slotsUrl(DEFAULT.account, DEFAULT.john.session, 'v=1&skill=Support&maxWaitTime=300'), headers: bearer(DEFAULT.john.bearer) })
  const wait = await sim.request({ url: `/api/account/${DEFAULT.account}/chat/estimatedWaitTime?v=1&skill=Support`, headers: APP_KEY })
  await sim.request({ method: 'POST', url: '/__admin/faults', payload: { effect: { type: 'error', status: 503 }, match: { path: '/nowhere' } } })
  const res = await sim.request({ url: '/__admin/dashboard' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], JSON_TYPE)
  const state = JSON.parse(res.body)
  t.same(state.clock, { now: NOW_ISO, mode: 'frozen', speed: 1, liveAccounts: 0, behindSec: 0 })
  t.equal(state.scenario, 'custom', 'the name the app was given (the tests give none)')
  const [account] = state.accounts
  t.equal(account.id, DEFAULT.account)
  t.equal(account.agentCount, 6)
  t.same(account.agents[0], { name: 'John', nickname: 'John S.', chatState: 'Online', maxChats: 3, activeChats: 1, skills: ['Sales', 'Support'] })
  const support = account.skills.find((skill: { name: string }) => skill.name === 'Support')
  t.same(support.availableSlots.map((s: { maxWaitTime: number }) => s.maxWaitTime), [0, 60, 120, 300, 600])
  t.equal(JSON.stringify({ availableSlots: support.availableSlots[3].slots }), asked.body, 'Support at 300 s: what availableSlots answered')
  t.equal(JSON.stringify({ estimatedWaitTime: support.estimatedWaitTime }), wait.body, 'and its estimatedWaitTime')
  t.same([support.queued, support.onlineAgents, support.freeSlots, support.activeChats], [2, 2, 2, 3], 'Support: 2 queued; John and Mary Online, John\'s 2 free slots')
  t.equal(support.live, undefined, 'no live counters: the account is not live')
  t.same(state.faults.map((fault: { id: string }) => fault.id), ['fault-1'])
  t.same(state.requests.map((r: { method: string, path: string, status: number }) => [r.method, r.path, r.status]), [
    ['GET', `/api/account/${DEFAULT.account}/agentSession/${DEFAULT.john.session}/chat/availableSlots`, 200],
    ['GET', `/api/account/${DEFAULT.account}/chat/estimatedWaitTime`, 200]
  ], 'the public API\'s requests, oldest first')
})

t.test('the dashboard page and the files it loads are served from the package', async (t) => {
  const sim = await build(t)
  const page = await sim.request({ url: '/dashboard' })
  t.equal(page.statusCode, 200)
  t.equal(page.headers['content-type'], 'text/html; charset=utf-8')
  t.match(page.body, '<script type="module" src="/dashboard/app.js"></script>')
  for (const [path, type, start] of [
    ['/dashboard/app.js', 'text/javascript; charset=utf-8', '// @ts-check'],
    ['/dashboard/style.css', 'text/css; charset=utf-8', ':root {'],
    ['/dashboard/uPlot.esm.js', 'text/javascript; charset=utf-8', '/**'],
    ['/dashboard/uPlot.min.css', 'text/css; charset=utf-8', '.uplot']
  ] as const) {
    const res = await sim.request({ url: path })
    t.equal(res.statusCode, 200, path)
    t.equal(res.headers['content-type'], type, path)
    t.ok(res.body.startsWith(start), `${path} starts with ${start}`)
  }
})

/** Reads Server-Sent Events from a response, one `{ event, data }` at a time. */
function events (body: ReadableStream<Uint8Array>): () => Promise<{ event: string, data: string }> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  return async () => {
    for (;;) {
      const end = buffer.indexOf('\n\n')
      if (end >= 0) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const lines = block.split('\n')
        const event = lines.find((line) => line.startsWith('event: '))?.slice(7) ?? 'message'
        const data = lines.filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n')
        if (data !== '') return { event, data }
        continue
      }
      const { value, done } = await reader.read()
      if (done) throw new Error('the stream ended')
      buffer += decoder.decode(value, { stream: true })
    }
  }
}

t.test('GET /__admin/dashboard/events pushes the state at once and again when it changes; at most MAX_STREAMS at once', async (t) => {
  const sim = await startSimulator()
  t.teardown(() => sim.close())
  const controller = new AbortController()
  t.teardown(() => controller.abort())
  const res = await fetch(`${sim.url}/__admin/dashboard/events`, { headers: { accept: 'text/event-stream' }, signal: controller.signal })
  t.equal(res.status, 200)
  t.equal(res.headers.get('content-type'), 'text/event-stream')
  const next = events(res.body as ReadableStream<Uint8Array>)
  const first = await next()
  t.equal(first.event, 'state')
  t.same(JSON.parse(first.data), await (await fetch(`${sim.url}/__admin/dashboard`)).json(), 'the state, as GET /__admin/dashboard gives it')
  await sim.admin.setAgent(DEFAULT.account, 'Peter', { chatState: 'Online' })
  const second = await next()
  t.equal(JSON.parse(second.data).accounts[0].agents[4].chatState, 'Online', 'Peter set Online: pushed')

  const more: AbortController[] = []
  t.teardown(() => { for (const c of more) c.abort() })
  for (let i = 1; i < MAX_STREAMS; i++) {
    const c = new AbortController()
    more.push(c)
    const open = await fetch(`${sim.url}/__admin/dashboard/events`, { signal: c.signal })
    t.equal(open.status, 200, `stream ${i + 1}`)
  }
  const refused = await fetch(`${sim.url}/__admin/dashboard/events`)
  t.equal(refused.status, 429)
  t.equal((await refused.json()).error.message, `${MAX_STREAMS} dashboard streams are open, the most the simulator keeps; close one first`)
})

t.test('with ADMIN_TOKEN the stream needs it; closing the simulator ends open streams at once', async (t) => {
  const sim = await startSimulator({ adminToken: 'a-dashboard-token' })
  const refused = await fetch(`${sim.url}/__admin/dashboard/events`)
  t.equal(refused.status, 401)
  const res = await fetch(`${sim.url}/__admin/dashboard/events`, { headers: { authorization: 'Bearer a-dashboard-token' } })
  t.equal(res.status, 200)
  const next = events(res.body as ReadableStream<Uint8Array>)
  t.equal((await next()).event, 'state')
  await sim.close()
  await t.rejects(next(), new Error('the stream ended'), 'the stream ended with the simulator')
})
