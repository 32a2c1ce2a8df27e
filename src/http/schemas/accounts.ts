/** Accounts, agents and skills as the admin API takes and changes them; whole ones are the scenario schema's own. */
import { Type, type Static, type TSchema } from 'typebox'
import { ACCOUNT_ID_RULE, AccountId, Agent, EstimatorSettings, Name, NAME_RULE, Skill } from '../../domain/scenario-schema.js'

export const AgentPatch = Type.Partial(Agent, {
  $id: 'AgentPatch',
  minProperties: 1,
  additionalProperties: false,
  description: 'Any of an agent\'s fields, at least one.',
  examples: [{ chatState: 'Away' }]
})

/** `null` is how a patch removes an optional field. */
const orNull = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

export const SkillPatch = Type.Object({
  id: Type.Optional(Skill.properties.id),
  queued: Type.Optional(Skill.properties.queued),
  meanHandleTimeSec: Type.Optional(Skill.properties.meanHandleTimeSec),
  meanPatienceSec: Type.Optional(orNull(Type.Required(Skill).properties.meanPatienceSec)),
  estimator: Type.Optional(orNull(EstimatorSettings))
}, {
  $id: 'SkillPatch',
  minProperties: 1,
  additionalProperties: false,
  description: 'Any of a skill\'s fields, at least one; `meanPatienceSec: null` removes it (visitors never abandon), ' +
    '`estimator: null` removes the skill\'s own criterion (the scenario\'s applies).',
  examples: [{ queued: 5 }]
})

/**
 * A path parameter that creates what it names: the named schema's rule (whose description the 404 of a value that
 * breaks it quotes), and the parameter's own description.
 */
const creating = <T extends TSchema>(schema: T, description: string) => Type.Unsafe<Static<T>>({ allOf: [schema], description })

const ACCOUNT = `An account; ${ACCOUNT_ID_RULE}. One that does not exist is 404 (PUT on the account creates it).`
const LOGIN_NAME = `An agent's login name (case-sensitive); ${NAME_RULE}.`
const SKILL_NAME = `A skill's name (case-sensitive); ${NAME_RULE}.`

/** Looked up: anything that names nothing is 404 "does not exist". */
export const AccountParams = Type.Object({ accountId: Type.String({ description: ACCOUNT }) })
export const AgentParams = Type.Object({ ...AccountParams.properties, loginName: Type.String({ description: LOGIN_NAME }) })
export const SkillParams = Type.Object({ ...AccountParams.properties, name: Type.String({ description: SKILL_NAME }) })

/** Created by PUT: a value that cannot be a name is 404 "cannot be". */
export const NewAccountParams = Type.Object({ accountId: creating(AccountId, `The account to create or replace; ${ACCOUNT_ID_RULE}.`) })
export const NewAgentParams = Type.Object({ ...AccountParams.properties, loginName: creating(Name, LOGIN_NAME) })
export const NewSkillParams = Type.Object({ ...AccountParams.properties, name: creating(Name, SKILL_NAME) })
