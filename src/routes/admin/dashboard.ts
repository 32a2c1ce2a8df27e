/**
 * GET /__admin/dashboard: what the dashboard page shows, in one answer; GET /__admin/dashboard/events: the same as
 * Server-Sent Events (@fastify/sse), sent when it changes (looked at twice a second), so that the page is pushed its
 * updates instead of polling. Both need the admin token when one is set (the page sends it in a header, never in a URL).
 */
import { fastifySSE } from '@fastify/sse'
import type { LiveView } from '../../domain/live.js'
import type { Account } from '../../domain/model.js'
import { TooMany } from '../../http/errors.js'
import { adminOperation, failure, json } from '../../http/schemas/contract.js'
import { DASHBOARD_AGENTS, DASHBOARD_REQUESTS, DASHBOARD_WAITS, DashboardState, type DashboardStateView } from '../../http/schemas/dashboard.js'
import { clockView } from './clock.js'
import type { AdminApp, Simulation } from './support.js'

/** How often a stream looks for changes, and how many streams may be open at once. */
const PUSH_EVERY_MS = 500
export const MAX_STREAMS = 16

const getDashboard = adminOperation({
  operationId: 'getDashboard',
  summary: 'What the dashboard shows',
  description: `The clock; per account its agents (the first ${DASHBOARD_AGENTS}) and skills, each skill with its availableSlots for ` +
    `maxWaitTime ${DASHBOARD_WAITS.join(', ')} s, its estimatedWaitTime and, when live, its counters; the faults; the last ` +
    `${DASHBOARD_REQUESTS} requests to the public API. The page at /dashboard shows it.`,
  response: { 200: json('The state now.', DashboardState) }
}, 'GET')

const streamDashboard = adminOperation({
  operationId: 'streamDashboard',
  summary: 'What the dashboard shows, as it changes (Server-Sent Events)',
  description: 'A `text/event-stream` of `state` events, each a DashboardState in JSON: one at once, then one whenever it changes ' +
    `(looked at every ${PUSH_EVERY_MS} ms), and a comment every 30 s to keep the connection open. At most ${MAX_STREAMS} streams ` +
    'at once (429, internalCode 43, past it). Send the admin token in `Authorization`, as for every admin route.',
  response: {
    200: { description: 'The stream.', content: { 'text/event-stream': { schema: { type: 'string', description: 'event: state\\ndata: {DashboardState}' } } } },
    429: failure('Too many streams open (internalCode 43).')
  }
}, 'GET')

function accountState (sim: Simulation, account: Account, live: LiveView): DashboardStateView['accounts'][number] {
  const gauges = account.gauges()
  const counts = live.accounts[account.id]?.skills
  const agents = account.agentList()
  return {
    id: account.id,
    agentCount: agents.length,
    agents: agents.slice(0, DASHBOARD_AGENTS).map((agent) => ({
      name: agent.loginName, nickname: agent.nickname, chatState: agent.chatState, maxChats: agent.maxChats, activeChats: agent.activeChats, skills: [...agent.skills]
    })),
    skills: account.skillList().map((skill) => {
      const numbers = gauges.skills.get(skill.name)
      const counters = counts?.[skill.name]
      return {
        name: skill.name,
        queued: skill.queued,
        onlineAgents: numbers?.onlineAgents ?? 0,
        freeSlots: numbers === undefined ? 0 : numbers.freeSlots === Infinity ? -1 : numbers.freeSlots,
        activeChats: numbers?.activeChats ?? 0,
        // The skill is one of the account's own, for which neither answer is undefined.
        availableSlots: DASHBOARD_WAITS.map((maxWaitTime) => ({ maxWaitTime, slots: account.skillSlots(skill.name, maxWaitTime, sim.world.estimator) as number })),
        estimatedWaitTime: account.waitEstimate(skill.name) as number,
        ...(counters === undefined ? {} : { live: counters })
      }
    })
  }
}

export function dashboardState (sim: Simulation): DashboardStateView {
  const live = sim.live.view()
  return {
    scenario: sim.scenario,
    clock: clockView(sim),
    // Ids the world just listed.
    accounts: sim.world.accountIds().map((id) => accountState(sim, sim.world.account(id) as Account, live)),
    faults: sim.faults.list(),
    requests: sim.journal.latest(DASHBOARD_REQUESTS).map((entry) => ({
      id: entry.id, time: new Date(entry.time).toISOString(), method: entry.method, path: entry.path, status: entry.status
    }))
  }
}

export async function dashboardRoutes (app: AdminApp, sim: Simulation): Promise<void> {
  await app.register(fastifySSE)
  app.get('/dashboard', { schema: getDashboard }, async () => dashboardState(sim))

  const open = new Set<() => void>()
  // A stream never ends by itself: closing the server ends them, so that shutdown does not wait for them.
  app.addHook('preClose', async () => { for (const close of open) close() })
  app.get('/dashboard/events', { schema: streamDashboard, sse: { kind: 'only', serializer: String } }, async (_request, reply) => {
    if (open.size >= MAX_STREAMS) throw new TooMany(`${MAX_STREAMS} dashboard streams are open, the most the simulator keeps; close one first`)
    let last = ''
    const push = async (): Promise<void> => {
      // A timer, not a request: the live model is caught up here, as a request's hook would.
      sim.live.catchUpIfDue()
      const text = JSON.stringify(dashboardState(sim))
      if (text === last || !reply.sse.isConnected) return
      last = text
      await reply.sse.send({ event: 'state', data: text })
    }
    const timer = setInterval(() => { push().catch(() => close()) }, PUSH_EVERY_MS)
    // The client went away (stop), or the server ends the stream (close).
    const stop = (): void => {
      clearInterval(timer)
      open.delete(close)
    }
    const close = (): void => {
      stop()
      reply.sse.close()
    }
    open.add(close)
    reply.sse.onClose(stop)
    reply.sse.keepAlive()
    await push()
  })
}
