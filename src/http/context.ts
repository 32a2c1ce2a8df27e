/** What the HTTP side is built with, passed as one object: each builder takes the part it needs. */
import type { Clock } from '../domain/clock.js'
import type { Faults } from '../domain/faults.js'
import type { Journal } from '../domain/journal.js'
import type { World } from '../domain/world.js'
import type { ErrorTime } from './errors.js'
import type { Lifecycle } from './lifecycle.js'

export interface HttpContext {
  world: World
  clock: Clock
  /** The clock's time as error bodies show it. */
  time: ErrorTime
  lifecycle: Lifecycle
  journal: Journal
  faults: Faults
}
