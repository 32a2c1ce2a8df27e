/** The health answer, for container healthchecks and wait strategies. */
import { Type, type Static } from 'typebox'

export const Health = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String({ description: 'The simulator\'s version.' }),
  scenario: Type.String({ description: 'The scenario loaded at start (a fixture name or a path).' }),
  accounts: Type.Integer({ minimum: 0, description: 'How many accounts the model has now.' })
}, {
  $id: 'Health',
  additionalProperties: false,
  examples: [{ status: 'ok', version: '0.1.0', scenario: 'default', accounts: 1 }]
})

export type HealthView = Static<typeof Health>
