/**
 * The simulator's state as the control API changes it — the model, the clock, the journal, the faults — and what its
 * resets return to. Every change of the whole goes through a method here, so that no route or command sets half of it.
 */
import type { ClockSetting, SimulatedClock } from './clock.js'
import type { Faults } from './faults.js'
import type { Journal } from './journal.js'
import { LiveModel } from './live.js'
import { buildWorld, snapshot, type ScenarioDocument } from './scenario.js'
import type { World } from './world.js'

export class Simulation {
  /** The name of what is loaded now (for the health check). */
  scenario: string
  /** The scenario the resets return to: the one loaded at start (or last reloaded by --watch), and its name. */
  private baseline: ScenarioDocument
  private baselineName: string
  /** Where scenario names are looked up first. */
  readonly fixturesDir: string | undefined
  /** The clock and the faults' seed as the simulator started, for `reset`. */
  private readonly start: { clock: ClockSetting & { now: number }, seed: number }
  /** The live accounts' simulation, on the clock. */
  readonly live: LiveModel

  constructor (
    readonly world: World,
    readonly clock: SimulatedClock,
    readonly journal: Journal,
    readonly faults: Faults,
    options: { name: string, baseline?: ScenarioDocument, fixturesDir?: string }
  ) {
    this.scenario = options.name
    this.baselineName = options.name
    this.baseline = options.baseline ?? snapshot(world)
    this.fixturesDir = options.fixturesDir
    this.start = { clock: clock.state, seed: faults.seed }
    this.live = new LiveModel(world, clock, faults.seed)
  }

  /** The seed of every draw from now on: the faults' and the live model's (which starts again from the model as it is). */
  reseed (seed: number): void {
    this.faults.reseed(seed)
    this.live.reseed(seed)
  }

  /** Another scenario in place of the model (the world object stays: every route holds it). */
  load (world: World, name: string): void {
    this.world.replaceWith(world)
    this.scenario = name
  }

  /** The scenario file changed (--watch): it is loaded, and is what the resets return to from now on. */
  rebase (world: World, document: ScenarioDocument): void {
    this.baseline = document
    this.load(world, this.baselineName)
  }

  /** The scenario back to the baseline; the clock, faults and journal as they are. */
  resetScenario (): void {
    this.load(buildWorld(this.baseline), this.baselineName)
  }

  /** Everything as the simulator started: the scenario, the clock, no faults (ids from fault-1), the seed, no journal. */
  reset (): void {
    this.resetScenario()
    this.clock.set(this.start.clock)
    this.faults.reset(this.start.seed)
    this.live.reseed(this.start.seed)
    this.live.clockChanged()
    this.journal.clear()
  }
}
