/** The whole model as the admin API replaces it: a scenario document, or a fixture by name. */
import { Type, type Static } from 'typebox'
import { ScenarioInput } from '../../domain/scenario-schema.js'

/** A fixture's name only: no dots or slashes, so never a path. */
export const ScenarioByName = Type.Object({
  name: Type.String({ pattern: '^[A-Za-z0-9_-]{1,100}$', examples: ['busy'] })
}, {
  $id: 'ScenarioByName',
  additionalProperties: false,
  description: 'A scenario by name: `<name>.json` in `FIXTURES_DIR`, or else in the simulator\'s own fixtures.'
})

/** Exactly one of them: a document has no `name`, a name has nothing else. */
export const ScenarioReplacement = Type.Unsafe<Static<typeof ScenarioInput> | Static<typeof ScenarioByName>>({
  oneOf: [ScenarioInput, ScenarioByName],
  examples: [{ name: 'busy' }]
})
