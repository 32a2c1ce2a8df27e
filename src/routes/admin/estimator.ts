/** The scenario's wait criterion (read and set), and the explanation of any availableSlots answer. */
import { resolveCriterion, settingsProblem, type ChatOutlook, type EstimatorSettings } from '../../domain/estimator.js'
import type { Estimate } from '../../domain/model.js'
import { AdminBadRequest, AdminNotFound } from '../../http/errors.js'
import type { Query } from '../../http/querystring.js'
import { scenarioDef } from '../../scenarios.js'
import { MAX_WAIT_TIME } from '../slots-query.js'
import { accountOf, bodySchema, checked, singleValues, type AdminApp, type Simulation } from './support.js'

const settingsBody = bodySchema<EstimatorSettings>(scenarioDef('estimator'))
const isName = bodySchema<string>(scenarioDef('name'))

/** The scenario's settings as written, and the criterion they give (what a skill without its own uses). */
const settingsView = (settings: EstimatorSettings | undefined): Record<string, unknown> =>
  ({ settings: settings ?? {}, criterion: resolveCriterion(undefined, settings) })

/** `skill` (optional) and `maxWaitTime` (default 0), each at most once, checked like the public query. */
function estimateQuery (query: Query): { skill?: string, maxWaitSec: number } {
  const { skill, maxWaitTime } = singleValues(query, ['skill', 'maxWaitTime'], 'parameter', 'skill and maxWaitTime')
  if (skill !== undefined && !isName(skill)) throw new AdminBadRequest('invalid request: skill must be a skill name: 1 to 100 letters and digits')
  if (maxWaitTime !== undefined && (!/^\d{1,5}$/.test(maxWaitTime) || Number(maxWaitTime) > MAX_WAIT_TIME)) {
    throw new AdminBadRequest(`invalid request: maxWaitTime must be a whole number of seconds from 0 to ${MAX_WAIT_TIME}`)
  }
  return { ...(skill === undefined ? {} : { skill }), maxWaitSec: maxWaitTime === undefined ? 0 : Number(maxWaitTime) }
}

/** JSON has no Infinity: an expected wait when nothing frees up is null. */
const outlookView = (outlook: ChatOutlook): Record<string, unknown> => ({
  ...outlook,
  expectedWaitSec: Number.isFinite(outlook.expectedWaitSec) ? outlook.expectedWaitSec : null
})

function estimateView (accountId: string, skill: string | undefined, maxWaitSec: number, estimate: Estimate): Record<string, unknown> {
  const { pool, criterion } = estimate
  const rate = Number(pool.release.num) / Number(pool.release.den)
  return {
    account: accountId,
    ...(skill === undefined ? {} : { skill }),
    maxWaitTime: maxWaitSec,
    availableSlots: estimate.availableSlots,
    inputs: {
      unlimited: pool.unlimited,
      free: pool.free,
      slots: pool.slots,
      queued: pool.queued,
      // For the whole account, the handle time that gives the same rate: S/R.
      meanHandleTimeSec: rate === 0 ? null : pool.slots / rate,
      releaseRatePerSec: rate,
      meanPatienceSec: pool.meanPatienceSec ?? null,
      abandonRatePerSec: pool.meanPatienceSec === undefined ? 0 : 1 / pool.meanPatienceSec,
      ...criterion
    },
    immediate: estimate.immediate,
    capped: estimate.capped,
    lastAdmitted: estimate.lastAdmitted === undefined ? null : outlookView(estimate.lastAdmitted),
    next: estimate.next === undefined ? null : outlookView(estimate.next)
  }
}

export function estimatorRoutes (app: AdminApp, sim: Simulation): void {
  app.get('/estimator', async () => settingsView(sim.world.estimator))

  app.put('/estimator', async (request) => {
    const settings = checked(settingsBody, request.body)
    const problem = settingsProblem(settings)
    if (problem !== undefined) throw new AdminBadRequest(`invalid request: $.p: ${problem}`)
    sim.world.estimator = Object.keys(settings).length === 0 ? undefined : { ...settings }
    return settingsView(sim.world.estimator)
  })

  app.get<{ Params: { accountId: string }, Querystring: Query }>('/accounts/:accountId/estimate', async (request) => {
    const { accountId } = request.params
    const account = accountOf(sim.world, accountId)
    const { skill, maxWaitSec } = estimateQuery(request.query)
    const estimate = account.estimate(skill, maxWaitSec, sim.world.estimator)
    if (estimate === undefined) throw new AdminNotFound(`skill '${skill as string}' does not exist in account ${accountId}`)
    return estimateView(accountId, skill, maxWaitSec, estimate)
  })
}
