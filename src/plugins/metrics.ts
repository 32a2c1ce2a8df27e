/**
 * GET /metrics in Prometheus format (prom-client): every request timed by method, route and status (the histogram's
 * _count is the request counter), Node's process metrics, and the model's gauges per account and skill, read at
 * scrape time only. The request hook is our own, not fastify-metrics: that plugin's two hooks, per-request timer and
 * label hashing cost a fifth of the throughput (docs/benchmarks.md); this one is a Map lookup and an observe.
 */
import type { FastifyInstance } from 'fastify'
import client from 'prom-client'
import type { PoolGauges } from '../domain/model.js'
import type { World } from '../domain/world.js'

export const METRICS_PATH = '/metrics'
/** The route label of requests no route takes (404, 405). */
export const UNROUTED = '__unrouted__'

/** Seconds; the simulator answers in well under a millisecond unless a client sends slowly. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]

/** Times every request of `app`; the registry is served by metricsRoute. */
export function metricsSupport (app: FastifyInstance, world: World): client.Registry {
  // A registry per app, so that two simulators in one process (tests) keep apart.
  const registry = new client.Registry()
  client.collectDefaultMetrics({ register: registry })
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'requests by method, route and status: duration in seconds',
    labelNames: ['method', 'route', 'status_code'],
    buckets: BUCKETS,
    registers: [registry]
  })
  const series = new Map<string, client.Histogram.Internal<string>>()
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNROUTED
    if (route !== METRICS_PATH) {
      const key = `${request.method} ${reply.statusCode} ${route}`
      let timer = series.get(key)
      if (timer === undefined) {
        timer = duration.labels(request.method, route, String(reply.statusCode))
        series.set(key, timer)
      }
      timer.observe(reply.elapsedTime / 1000)
    }
    done()
  })
  modelGauges(registry, world)
  return registry
}

export function metricsRoute (app: FastifyInstance, registry: client.Registry): void {
  app.get(METRICS_PATH, { exposeHeadRoute: false }, async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()))
}

function modelGauges (registry: client.Registry, world: World): void {
  const accountGauge = (name: string, help: string, labelNames: string[] = ['account']): client.Gauge<string> =>
    new client.Gauge({ name: `simulator_${name}`, help, labelNames, registers: [registry] })
  const skillGauge = (name: string, help: string): client.Gauge<string> => accountGauge(name, help, ['account', 'skill'])
  // One collect for all: the first gauge scraped reads the model once for every gauge.
  const agents = new client.Gauge({
    name: 'simulator_agents',
    help: 'agents by chat state',
    labelNames: ['account', 'state'],
    registers: [registry],
    collect: () => {
      agents.reset()
      for (const [account, skill] of Object.values(pool)) { account.reset(); skill.reset() }
      for (const accountId of world.accountIds()) {
        const gauges = world.account(accountId)?.gauges()
        if (gauges === undefined) continue
        for (const [state, count] of Object.entries(gauges.agentsByState)) agents.set({ account: accountId, state }, count)
        for (const [key, [account, skill]] of Object.entries(pool) as Array<[keyof PoolGauges, [client.Gauge<string>, client.Gauge<string>]]>) {
          account.set({ account: accountId }, gauges[key])
          for (const [name, numbers] of gauges.skills) skill.set({ account: accountId, skill: name }, numbers[key])
        }
      }
    }
  })
  const pool: Record<keyof PoolGauges, [client.Gauge<string>, client.Gauge<string>]> = {
    onlineAgents: [accountGauge('online_agents', 'Online agents'), skillGauge('skill_online_agents', 'Online agents with the skill')],
    freeSlots: [accountGauge('free_slots', 'free chat slots of Online agents (+Inf: one is unlimited)'),
      skillGauge('skill_free_slots', 'free chat slots of Online agents with the skill (+Inf: one is unlimited)')],
    activeChats: [accountGauge('active_chats', 'chats Online agents are handling'),
      skillGauge('skill_active_chats', 'chats Online agents with the skill are handling')],
    queuedChats: [accountGauge('queued_chats', 'chats waiting for an agent'), skillGauge('skill_queued_chats', 'chats waiting for the skill')]
  }
}
