/**
 * GET /metrics in Prometheus format (prom-client's registry): every request timed by method, route and status (the
 * histogram's _count is the request counter), Node's process metrics, and the model's gauges per account and skill,
 * read at scrape time only. The request histogram is our own: prom-client's, and fastify-metrics' hooks around it,
 * hash and validate the labels on every observation, which cost a tenth of the throughput (docs/benchmarks.md);
 * this one is a Map lookup and a few increments per request.
 */
import type { FastifyInstance } from 'fastify'
import type { ResponseObserver } from './responses.js'
import client from 'prom-client'
import type { PoolGauges } from '../domain/model.js'
import type { World } from '../domain/world.js'
import type { LiveModel } from '../domain/live.js'

export const METRICS_PATH = '/metrics'
/** The route label of requests no route takes (404, 405). */
export const UNROUTED = '__unrouted__'

/** Seconds; the simulator answers in well under a millisecond unless a client sends slowly. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]

interface Series {
  labels: { method: string, route: string, status_code: string }
  /** Observations per bucket (not cumulative); the last is +Inf. */
  counts: Float64Array
  sum: number
  count: number
}

/** A histogram by method, route and status that prom-client's registry can expose like its own. */
class RequestHistogram {
  readonly name = 'http_request_duration_seconds'
  /** By route, method and status: maps of the strings and numbers a request already has, no key built per request. */
  private readonly byRoute = new Map<string, Map<string, Map<number, Series>>>()
  private readonly series: Series[] = []

  observe (method: string, route: string, status: number, seconds: number): void {
    let byMethod = this.byRoute.get(route)
    if (byMethod === undefined) this.byRoute.set(route, (byMethod = new Map()))
    let byStatus = byMethod.get(method)
    if (byStatus === undefined) byMethod.set(method, (byStatus = new Map()))
    let series = byStatus.get(status)
    if (series === undefined) {
      series = { labels: { method, route, status_code: String(status) }, counts: new Float64Array(BUCKETS.length + 1), sum: 0, count: 0 }
      byStatus.set(status, series)
      this.series.push(series)
    }
    let bucket = 0
    while (bucket < BUCKETS.length && seconds > (BUCKETS[bucket] as number)) bucket++
    series.counts[bucket] = (series.counts[bucket] as number) + 1
    series.sum += seconds
    series.count++
  }

  /** What prom-client's registry asks of a metric. */
  async get (): Promise<Omit<client.MetricObjectWithValues<client.MetricValueWithName<string>>, 'collect'>> {
    const values: Array<client.MetricValueWithName<string>> = []
    for (const { labels, counts, sum, count } of this.series) {
      let cumulative = 0
      counts.forEach((n, i) => {
        cumulative += n
        values.push({ metricName: `${this.name}_bucket`, labels: { le: i < BUCKETS.length ? BUCKETS[i] as number : '+Inf', ...labels }, value: cumulative })
      })
      values.push({ metricName: `${this.name}_sum`, labels, value: sum }, { metricName: `${this.name}_count`, labels, value: count })
    }
    return { name: this.name, help: 'requests by method, route and status: duration in seconds', type: 'histogram' as unknown as client.MetricType, values, aggregator: 'sum' }
  }
}

/** The registry, served by metricsRoute, and what times each answered request (for the one onResponse hook). */
export function metricsSupport (world: World, live: LiveModel): { registry: client.Registry, observe: ResponseObserver } {
  // A registry per app, so that two simulators in one process (tests) keep apart.
  const registry = new client.Registry()
  client.collectDefaultMetrics({ register: registry })
  const duration = new RequestHistogram()
  registry.registerMetric(duration as unknown as client.Metric)
  modelGauges(registry, world)
  liveCounters(registry, live)
  return {
    registry,
    observe: (request, reply, elapsedMs, route) => {
      const url = route.url ?? UNROUTED
      if (url !== METRICS_PATH) duration.observe(request.method, url, reply.statusCode, elapsedMs / 1000)
    }
  }
}

export function metricsRoute (app: FastifyInstance, registry: client.Registry): void {
  app.get(METRICS_PATH, { exposeHeadRoute: false, schema: { hide: true } }, async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()))
}

/** The live model's counters per account and skill, read at scrape time (docs/live.md). */
function liveCounters (registry: client.Registry, live: LiveModel): void {
  const chats = new client.Counter({
    name: 'simulator_live_chats_total',
    help: 'chats of live accounts by what happened to them: arrived, started, ended, abandoned',
    labelNames: ['account', 'skill', 'event'],
    registers: [registry],
    collect: () => {
      chats.reset()
      waited.reset()
      handleTime.reset()
      for (const [account, { skills }] of Object.entries(live.view().accounts)) {
        for (const [skill, counts] of Object.entries(skills)) {
          for (const event of ['arrived', 'started', 'ended', 'abandoned'] as const) chats.inc({ account, skill, event }, counts[event])
          waited.inc({ account, skill }, counts.waitedSec)
          handleTime.set({ account, skill }, counts.handleTimeSec)
        }
      }
    }
  })
  const waited = new client.Counter({
    name: 'simulator_live_waited_seconds_total', help: 'seconds the started chats of live accounts waited, in all', labelNames: ['account', 'skill'], registers: [registry]
  })
  const handleTime = new client.Gauge({
    name: 'simulator_live_handle_time_seconds', help: 'the handle time the estimator has learned from ended chats', labelNames: ['account', 'skill'], registers: [registry]
  })
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
