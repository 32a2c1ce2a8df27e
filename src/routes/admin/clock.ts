/** The simulated clock (token expiry and error times follow it) and the seed of the faults' draws. */
import { CLOCK_RANGE, EARLIEST, LATEST } from '../../domain/clock.js'
import { ADVANCE_EVENTS } from '../../domain/live.js'
import { AdminBadRequest } from '../../http/errors.js'
import { Clock, ClockAdvance, ClockSetting, SeedSetting, type ClockView } from '../../http/schemas/clock.js'
import { adminOperation, failure, json } from '../../http/schemas/contract.js'
import type { AdminApp, Simulation } from './support.js'

const INVALID_BODY = 'An invalid body (internalCode 22), or one that is not valid JSON (21).'

const getClock = adminOperation({
  operationId: 'getClock',
  summary: 'The simulated clock',
  description: 'Token expiry, the `time` of error bodies and of journal records follow it.',
  response: { 200: json('The clock now.', Clock) }
}, 'GET')

const setClock = adminOperation({
  operationId: 'setClock',
  summary: 'Set the clock\'s mode, speed and time',
  description: '`realtime` runs at `speed` simulated seconds per real second; `frozen` stands still. `speed` is kept when not ' +
    `given; the time, when \`now\` is not given, goes on from the simulated now. \`now\` must be ${CLOCK_RANGE}. Live accounts run ` +
    'to the new time before the answer, as with an advance (a jump back starts their simulations again from the model as it is).',
  body: ClockSetting,
  response: {
    200: json('The clock now.', Clock),
    400: failure(INVALID_BODY)
  }
})

const advanceClock = adminOperation({
  operationId: 'advanceClock',
  summary: 'Move the clock forward',
  description: 'Live accounts\' simulations run through the interval before the answer (at most ' +
    `${ADVANCE_EVENTS.toLocaleString('en')} events; the rest follow in the background, \`behindSec\` says how far). ` +
    `In either mode; a frozen clock stays frozen at the new time. Not past ${new Date(LATEST).toISOString()}, the last ` +
    'instant a `date-time` can show (400 naming how far it can still go).',
  body: ClockAdvance,
  response: {
    200: json('The clock now.', Clock),
    400: failure(INVALID_BODY)
  }
})

const setSeed = adminOperation({
  operationId: 'setSeed',
  summary: 'Restart the random draws from a seed',
  description: 'Faults draw their probability and latency from a seeded generator (seed 1 at start): the same seed, faults and ' +
    'requests give the same failures. So does the live model (arrivals, handle times, patience). Setting the seed restarts the draws; ' +
    'the faults are kept, and live accounts start their simulations again from the model as it is (counters from zero; docs/live.md).',
  body: SeedSetting,
  response: {
    200: json('The seed now.', SeedSetting),
    400: failure(INVALID_BODY)
  }
})

export const clockView = ({ clock, live }: Simulation): ClockView =>
  ({ now: new Date(clock.now()).toISOString(), mode: clock.mode, speed: clock.speed, liveAccounts: live.accounts, behindSec: live.behindSec })

export function clockRoutes (app: AdminApp, sim: Simulation): void {
  app.get('/clock', { schema: getClock }, async () => clockView(sim))

  app.put('/clock', { schema: setClock }, async (request) => {
    const { mode, speed, now } = request.body
    const time = now === undefined ? undefined : Date.parse(now)
    if (time !== undefined && Number.isNaN(time)) throw new AdminBadRequest('invalid request: $.now: must be an ISO-8601 date-time such as 2030-01-01T00:00:00Z')
    if (time !== undefined && !(time >= EARLIEST && time <= LATEST)) {
      // A four-digit year with an offset can still fall outside: 9999-12-31T23:59:59-01:00.
      throw new AdminBadRequest(`invalid request: $.now: must be ${CLOCK_RANGE}`)
    }
    sim.clock.set({ mode, speed, now: time })
    sim.live.followClock()
    return clockView(sim)
  })

  app.post('/clock/advance', { schema: advanceClock }, async (request) => {
    const { seconds } = request.body
    // The clock is read once: a fast realtime clock moves between two reads.
    const now = sim.clock.now()
    if (now + seconds * 1000 > LATEST) {
      throw new AdminBadRequest(`invalid request: $.seconds: the clock would pass ${new Date(LATEST).toISOString()}, the last instant it ` +
        `shows; advance it by at most ${(LATEST - now) / 1000} seconds`)
    }
    sim.clock.set({ now: now + seconds * 1000 })
    sim.live.followClock()
    return clockView(sim)
  })

  app.put('/seed', { schema: setSeed }, async (request) => {
    const { seed } = request.body
    sim.reseed(seed)
    return { seed }
  })
}
