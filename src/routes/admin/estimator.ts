/** The scenario's wait criterion (read and set), and the explanation of any availableSlots answer. */
import { MAX_WAIT_TIME, resolveCriterion, settingsProblem, type ChatOutlook, type EstimatorSettings } from '../../domain/estimator.js'
import type { Estimate as DomainEstimate } from '../../domain/model.js'
import { EstimatorSettings as SettingsSchema, NAME_RULE } from '../../domain/scenario-schema.js'
import { AdminBadRequest, AdminNotFound } from '../../http/errors.js'
import { adminOperation, failure, json } from '../../http/schemas/contract.js'
import {
  Estimate, EstimateQuery, EstimatorView, type CriterionView, type EstimateView, type OutlookView
} from '../../http/schemas/estimator.js'
import { AccountParams } from '../../http/schemas/accounts.js'
import { accountFirst, accountOf, queryErrors, singleValues, type AdminApp, type Simulation } from './support.js'

const getEstimator = adminOperation({
  operationId: 'getEstimator',
  summary: 'The scenario\'s wait criterion',
  description: 'As set (`settings`, kept in the scenario snapshot) and as skills without their own use it (`criterion`).',
  response: { 200: json('The criterion.', EstimatorView) }
}, 'GET')

const setEstimator = adminOperation({
  operationId: 'setEstimator',
  summary: 'Set the scenario\'s wait criterion',
  description: 'Replaces the scenario\'s `estimator`; `{}` goes back to the default (probability, p = 0.8). Skills with their own keep it.',
  body: SettingsSchema,
  response: {
    200: json('The criterion now.', EstimatorView),
    400: failure('An invalid body (internalCode 22), or one that is not valid JSON (21).')
  }
})

const explainEstimate = adminOperation({
  operationId: 'explainEstimate',
  summary: 'Why availableSlots answers what it does',
  description: 'The inputs of the estimator for a skill (or, without `skill`, the whole account) and a maximum wait, and the ' +
    'last chat the answer admits and the first it does not, each with the chats ahead of it, its probability of ' +
    'starting within the wait and its expected wait: enough to see that the answer is tight (docs/estimator.md).',
  params: AccountParams,
  querystring: EstimateQuery,
  response: {
    200: json('The explanation.', Estimate),
    400: failure('A bad query: an unknown, repeated or invalid parameter, or one that is not valid percent-encoding (internalCode 22).'),
    404: failure('No such account or skill (internalCode 33).')
  }
}, 'GET')

const BAD_MAX_WAIT = `maxWaitTime must be a whole number of seconds from 0 to ${MAX_WAIT_TIME}`

/** The scenario's settings as written, and the criterion they give (what a skill without its own uses). */
const settingsView = (settings: EstimatorSettings | undefined): CriterionView =>
  ({ settings: settings ?? {}, criterion: resolveCriterion(undefined, settings) })

/** JSON has no Infinity: an expected wait when nothing frees up is null. */
const outlookView = (outlook: ChatOutlook): OutlookView => ({
  ...outlook,
  expectedWaitSec: Number.isFinite(outlook.expectedWaitSec) ? outlook.expectedWaitSec : null
})

function estimateView (accountId: string, skill: string | undefined, maxWaitSec: number, estimate: DomainEstimate): EstimateView {
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
  app.get('/estimator', { schema: getEstimator }, async () => settingsView(sim.world.estimator))

  app.put('/estimator', { schema: setEstimator }, async (request) => {
    const settings = request.body
    const problem = settingsProblem(settings)
    if (problem !== undefined) throw new AdminBadRequest(`invalid request: $.p: ${problem}`)
    sim.world.estimator = Object.keys(settings).length === 0 ? undefined : { ...settings }
    return settingsView(sim.world.estimator)
  })

  app.get('/accounts/:accountId/estimate', {
    schema: explainEstimate,
    // The account first: a missing one is 404 whatever the query.
    preValidation: [accountFirst(sim), singleValues(EstimateQuery, 'parameter', 'skill and maxWaitTime')],
    schemaErrorFormatter: queryErrors({
      skill: () => `skill must be a skill name: ${NAME_RULE}`,
      maxWaitTime: () => BAD_MAX_WAIT
    })
  }, async (request) => {
    const { accountId } = request.params
    const { skill, maxWaitTime = '0' } = request.query
    // The schema took digits; the range is checked on the number.
    const maxWaitSec = Number(maxWaitTime)
    if (maxWaitSec > MAX_WAIT_TIME) throw new AdminBadRequest(`invalid request: ${BAD_MAX_WAIT}`)
    const account = accountOf(sim.world, accountId)
    const estimate = account.estimate(skill, maxWaitSec, sim.world.estimator)
    if (estimate === undefined) throw new AdminNotFound(`skill '${String(skill)}' does not exist in account ${accountId}`)
    return estimateView(accountId, skill, maxWaitSec, estimate)
  })
}
