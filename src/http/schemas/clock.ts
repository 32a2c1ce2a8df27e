/** The simulated clock as the admin API shows and sets it, and the seed of the faults' draws. */
import { Type, type Static } from 'typebox'
import { CLOCK_MODES, CLOCK_RANGE, MAX_SPEED } from '../../domain/clock.js'
import { Seed } from '../../domain/fault-schema.js'

const TEN_YEARS_SEC = 10 * 365 * 86400

const Mode = Type.Enum(CLOCK_MODES)
const speed = (description: string) => Type.Number({ exclusiveMinimum: 0, maximum: MAX_SPEED, description })

export const Clock = Type.Object({
  now: Type.String({ format: 'date-time', description: `The simulated now, in UTC; ${CLOCK_RANGE} (a realtime clock stops there).` }),
  mode: Mode,
  speed: speed('Simulated seconds per real second, in realtime mode.'),
  liveAccounts: Type.Integer({ minimum: 0, description: 'Accounts whose chats arrive, wait and end on this clock (docs/live.md).' }),
  behindSec: Type.Number({ minimum: 0, description: 'How far the live model lags behind the clock after a long jump; 0 once it has caught up.' })
}, {
  $id: 'Clock',
  additionalProperties: false,
  examples: [{ now: '2026-06-01T12:00:00.000Z', mode: 'frozen', speed: 1, liveAccounts: 0, behindSec: 0 }]
})

export const ClockSetting = Type.Object({
  mode: Mode,
  speed: Type.Optional(speed('Default: as it was.')),
  now: Type.Optional(Type.String({ format: 'date-time', description: 'Default: the simulated now.' }))
}, {
  $id: 'ClockSetting',
  additionalProperties: false,
  examples: [{ mode: 'frozen', now: '2030-01-01T00:00:00Z' }]
})

export const ClockAdvance = Type.Object({
  seconds: Type.Number({ minimum: 0, maximum: TEN_YEARS_SEC, description: 'Up to ten years; fractions of a second allowed.' })
}, { $id: 'ClockAdvance', additionalProperties: false, examples: [{ seconds: 3600 }] })

/** The body and the answer of PUT /__admin/seed. */
export const SeedSetting = Type.Object({ seed: Seed }, { $id: 'SeedSetting', additionalProperties: false, examples: [{ seed: 42 }] })

export type ClockView = Static<typeof Clock>
