import t from 'tap'
import { buildApp } from '../../src/app.js'
import { SimulatedClock } from '../../src/domain/clock.js'
import type { Account } from '../../src/domain/model.js'
import { loadScenario } from '../../src/scenarios.js'
import { assertContract } from '../helpers/contract.js'
import { bearer, DEFAULT, NOW, slotsUrl } from '../helpers/app.js'

const ROUTE = '/api/account/:accountId/agentSession/:agentSessionId/chat/availableSlots'

t.test('/metrics counts requests by route and status and reads the model per account and skill', async (t) => {
  const { world } = loadScenario('default')
  const app = await buildApp({ world, clock: SimulatedClock.frozenAt(NOW) })
  t.teardown(() => app.close())
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await app.inject({ url, headers })
    assertContract({ url }, res)
    return res
  }
  await get(slotsUrl(DEFAULT.account, DEFAULT.john.session), bearer(DEFAULT.john.bearer))
  await get(slotsUrl(DEFAULT.account, DEFAULT.john.session, 'v=1&skill=Sales'), bearer(DEFAULT.john.bearer))
  await get(slotsUrl(DEFAULT.account, DEFAULT.john.session, 'v=1', '.xml'))
  await get('/nowhere')

  const res = await get('/metrics')
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8')
  const lines = res.body.split('\n')
  const count = (route: string, status: number): string | undefined =>
    lines.find((line) => line.startsWith(`http_request_duration_seconds_count{method="GET",route="${route}",status_code="${status}"}`))
  t.equal(count(ROUTE, 200), `http_request_duration_seconds_count{method="GET",route="${ROUTE}",status_code="200"} 2`)
  t.equal(count(`${ROUTE}.xml`, 401), `http_request_duration_seconds_count{method="GET",route="${ROUTE}.xml",status_code="401"} 1`)
  t.equal(count('__unrouted__', 404), 'http_request_duration_seconds_count{method="GET",route="__unrouted__",status_code="404"} 1')
  t.equal(count('/metrics', 200), undefined, 'scrapes are not counted')
  t.ok(lines.includes('# TYPE http_request_duration_seconds histogram'))
  t.ok(lines.includes('# TYPE process_cpu_user_seconds_total counter'), "Node's process metrics")

  const model = (): string[] => lines.filter((line) => line.startsWith('simulator_'))
  t.strictSame(model(), [
    'simulator_agents{account="12345678",state="Online"} 3',
    'simulator_agents{account="12345678",state="Occupied"} 1',
    'simulator_agents{account="12345678",state="Away"} 1',
    'simulator_agents{account="12345678",state="Offline"} 1',
    'simulator_online_agents{account="12345678"} 3',
    'simulator_skill_online_agents{account="12345678",skill="Sales"} 1',
    'simulator_skill_online_agents{account="12345678",skill="Support"} 2',
    'simulator_skill_online_agents{account="12345678",skill="Billing"} 1',
    'simulator_free_slots{account="12345678"} 5',
    'simulator_skill_free_slots{account="12345678",skill="Sales"} 2',
    'simulator_skill_free_slots{account="12345678",skill="Support"} 2',
    'simulator_skill_free_slots{account="12345678",skill="Billing"} 3',
    'simulator_active_chats{account="12345678"} 4',
    'simulator_skill_active_chats{account="12345678",skill="Sales"} 1',
    'simulator_skill_active_chats{account="12345678",skill="Support"} 3',
    'simulator_skill_active_chats{account="12345678",skill="Billing"} 1',
    'simulator_queued_chats{account="12345678"} 2',
    'simulator_skill_queued_chats{account="12345678",skill="Sales"} 0',
    'simulator_skill_queued_chats{account="12345678",skill="Support"} 2',
    'simulator_skill_queued_chats{account="12345678",skill="Billing"} 0'
  ])

  // The gauges are read at scrape time: a change to the model shows in the next scrape.
  const account = world.account(DEFAULT.account) as Account
  account.putAgent({ ...account.agent('John')!, maxChats: -1 })
  const again = (await get('/metrics')).body.split('\n')
  t.ok(again.includes('simulator_free_slots{account="12345678"} +Inf'), 'an unlimited agent makes free slots +Inf')
  t.ok(again.includes('simulator_skill_free_slots{account="12345678",skill="Sales"} +Inf'))
})

t.test('--metrics off: no /metrics route (it is unrouted like any unknown path), and the API answers as before', async (t) => {
  const { world } = loadScenario('default')
  const app = await buildApp({ world, clock: SimulatedClock.frozenAt(NOW), metrics: false })
  t.teardown(() => app.close())
  const metrics = await app.inject({ url: '/metrics' })
  assertContract({ url: '/metrics' }, metrics)
  t.equal(metrics.statusCode, 404)
  t.equal(metrics.headers['content-type'], 'application/json; charset=utf-8')
  t.same(metrics.json().error, { time: '2026-06-01T12:00:00.000Z', message: "no route GET '/metrics'; this API serves GET /api/account/{accountId}/agentSession/{agentSessionId}/chat/availableSlots, the login, agent session and visitor routes around it, each optionally ending .json or .xml; openapi.yaml and /documentation list them", internalCode: 32 })
  const slots = await app.inject({ url: slotsUrl(DEFAULT.account, DEFAULT.john.session), headers: bearer(DEFAULT.john.bearer) })
  t.equal(slots.statusCode, 200)
  t.same(slots.json(), { availableSlots: 3 })
})
