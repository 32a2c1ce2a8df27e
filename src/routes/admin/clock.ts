/** The simulated clock (token expiry and error times follow it) and the seed of the faults' draws. */
import { CLOCK_MODES, CLOCK_RANGE, EARLIEST, LATEST, type ClockMode, type SimulatedClock } from '../../domain/clock.js'
import { AdminBadRequest } from '../../http/errors.js'
import { bodySchema, checked, type AdminApp, type Simulation } from './support.js'

const TEN_YEARS_SEC = 10 * 365 * 86400

const clockBody = bodySchema<{ mode: ClockMode, speed?: number, now?: string }>({
  type: 'object', required: ['mode'], additionalProperties: false,
  properties: {
    mode: { enum: CLOCK_MODES },
    speed: { type: 'number', exclusiveMinimum: 0, maximum: 1000000 },
    now: { type: 'string', format: 'date-time' }
  }
})
const advanceBody = bodySchema<{ seconds: number }>({
  type: 'object', required: ['seconds'], additionalProperties: false,
  properties: { seconds: { type: 'number', minimum: 0, maximum: TEN_YEARS_SEC } }
})
const seedBody = bodySchema<{ seed: number }>({
  type: 'object', required: ['seed'], additionalProperties: false,
  properties: { seed: { type: 'integer', minimum: 0, maximum: 4294967295 } }
})

export const clockView = (clock: SimulatedClock): { now: string, mode: ClockMode, speed: number } =>
  ({ now: new Date(clock.now()).toISOString(), mode: clock.mode, speed: clock.speed })

export function clockRoutes (app: AdminApp, sim: Simulation): void {
  app.get('/clock', async () => clockView(sim.clock))

  app.put('/clock', async (request) => {
    const { mode, speed, now } = checked(clockBody, request.body)
    const time = now === undefined ? undefined : Date.parse(now)
    if (time !== undefined && Number.isNaN(time)) throw new AdminBadRequest('invalid request: $.now: must be an ISO-8601 date-time such as 2030-01-01T00:00:00Z')
    if (time !== undefined && !(time >= EARLIEST && time <= LATEST)) {
      // A four-digit year with an offset can still fall outside: 9999-12-31T23:59:59-01:00.
      throw new AdminBadRequest(`invalid request: $.now: must be ${CLOCK_RANGE}`)
    }
    sim.clock.set({ mode, speed, now: time })
    return clockView(sim.clock)
  })

  app.post('/clock/advance', async (request) => {
    const { seconds } = checked(advanceBody, request.body)
    // The clock is read once: a fast realtime clock moves between two reads.
    const now = sim.clock.now()
    if (now + seconds * 1000 > LATEST) {
      throw new AdminBadRequest(`invalid request: $.seconds: the clock would pass ${new Date(LATEST).toISOString()}, the last instant it ` +
        `shows; advance it by at most ${(LATEST - now) / 1000} seconds`)
    }
    sim.clock.set({ now: now + seconds * 1000 })
    return clockView(sim.clock)
  })

  app.put('/seed', async (request) => {
    const { seed } = checked(seedBody, request.body)
    sim.faults.reseed(seed)
    return { seed }
  })
}
