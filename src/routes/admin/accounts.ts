/** Accounts, and their agents and skills: read, put, patch, delete; each change checked like a fixture. */
import type { FastifyReply } from 'fastify'
import type { Agent, Skill } from '../../domain/model.js'
import { Account, ACCOUNT_ID_RULE, AccountInput, Agent as AgentSchema, NAME_RULE, Skill as SkillSchema } from '../../domain/scenario-schema.js'
import { agentDocument, buildAccount, skillDocument, snapshotAccount } from '../../domain/scenario.js'
import { AdminNotFound } from '../../http/errors.js'
import { adminOperation, failure, json, noContent } from '../../http/schemas/contract.js'
import {
  AccountParams, AgentParams, AgentPatch, NewAccountParams, NewAgentParams, NewSkillParams, SkillParams, SkillPatch
} from '../../http/schemas/accounts.js'
import { schemaErrors } from '../../http/validation.js'
import { accountFirst, accountOf, change, type AdminApp, type Simulation } from './support.js'

const BAD_BODY = 'or the body is not valid JSON (21).'

const getAccount = adminOperation({
  operationId: 'getAccount',
  summary: 'An account, as in a scenario document',
  params: AccountParams,
  response: {
    200: json('The account.', Account),
    404: failure('No such account (internalCode 33).')
  }
}, 'GET')

const putAccount = adminOperation({
  operationId: 'putAccount',
  summary: 'Create or replace an account',
  description: 'The account as in a scenario document, checked like one (its bearers must not be used in another account). ' +
    'Replacing an account replaces all of it: agent sessions and chats not in the body are gone.',
  params: NewAccountParams,
  body: AccountInput,
  response: {
    200: json('Replaced; the account now.', Account),
    201: json('Created; the account now.', Account),
    400: failure(`The account is invalid (internalCode 22; the message names the JSON path), ${BAD_BODY}`),
    404: failure(`\`accountId\` cannot be an account id: ${ACCOUNT_ID_RULE} (internalCode 33).`)
  }
})

const deleteAccount = adminOperation({
  operationId: 'deleteAccount',
  summary: 'Remove an account',
  description: 'Its agent sessions are revoked with it. No body.',
  params: AccountParams,
  response: {
    204: noContent('Removed.'),
    404: failure('No such account (internalCode 33).')
  }
})

const putAgent = adminOperation({
  operationId: 'putAgent',
  summary: 'Create or replace an agent',
  description: 'All of the agent\'s fields. Its skills must exist in the account, its id must be unique there, `activeChats` must ' +
    'not exceed `maxChats` (unless `-1`) nor be less than the chats routed to it through this API, and it must keep ' +
    'the skills of those chats. Its agent sessions stay.',
  params: NewAgentParams,
  body: AgentSchema,
  response: {
    200: json('Replaced; the agent now.', AgentSchema),
    201: json('Created; the agent now.', AgentSchema),
    400: failure(`The agent is invalid (internalCode 22; the message names the JSON path), ${BAD_BODY}`),
    404: failure(`No such account, or \`loginName\` cannot be a login name: ${NAME_RULE} (internalCode 33).`)
  }
})

const patchAgent = adminOperation({
  operationId: 'patchAgent',
  summary: 'Change some of an agent\'s fields',
  description: 'Any of the agent\'s fields, at least one (say, `{"chatState": "Away"}`); the agent that results is checked as for PUT.',
  params: AgentParams,
  body: AgentPatch,
  response: {
    200: json('The agent now.', AgentSchema),
    400: failure(`The change is invalid (internalCode 22; the message names the JSON path), ${BAD_BODY}`),
    404: failure('No such account or agent (internalCode 33).')
  }
})

const deleteAgent = adminOperation({
  operationId: 'deleteAgent',
  summary: 'Remove an agent',
  description: 'Its chats started through this API end with it, and its agent sessions are revoked. No body.',
  params: AgentParams,
  response: {
    204: noContent('Removed.'),
    404: failure('No such account or agent (internalCode 33).')
  }
})

const putSkill = adminOperation({
  operationId: 'putSkill',
  summary: 'Create or replace a skill',
  description: 'All of the skill\'s fields; its id must be unique in the account, and `queued` must not be less than the chats ' +
    'queued for it through this API. Agents with the skill are counted again with its new handle time.',
  params: NewSkillParams,
  body: SkillSchema,
  response: {
    200: json('Replaced; the skill now.', SkillSchema),
    201: json('Created; the skill now.', SkillSchema),
    400: failure(`The skill is invalid (internalCode 22; the message names the JSON path), ${BAD_BODY}`),
    404: failure(`No such account, or \`name\` cannot be a skill name: ${NAME_RULE} (internalCode 33).`)
  }
})

const patchSkill = adminOperation({
  operationId: 'patchSkill',
  summary: 'Change some of a skill\'s fields',
  description: 'Any of the skill\'s fields, at least one; `"meanPatienceSec": null` removes it (visitors never abandon), ' +
    '`"estimator": null` the skill\'s own criterion (the scenario\'s applies).',
  params: SkillParams,
  body: SkillPatch,
  response: {
    200: json('The skill now.', SkillSchema),
    400: failure(`The change is invalid (internalCode 22; the message names the JSON path), ${BAD_BODY}`),
    404: failure('No such account or skill (internalCode 33).')
  }
})

/** An agent's body sits at accounts.<id>.agents.<name> of a scenario: its `skills` are an array, told from an account's. */
const agentErrors = schemaErrors(['accounts', '-', 'agents', '-'])

export function accountRoutes (app: AdminApp, sim: Simulation): void {
  const created = (reply: FastifyReply, existed: boolean): FastifyReply => reply.code(existed ? 200 : 201)

  const agentOf = (params: { accountId: string, loginName: string }): [ReturnType<typeof accountOf>, Agent] => {
    const account = accountOf(sim.world, params.accountId)
    const agent = account.agent(params.loginName)
    if (agent === undefined) throw new AdminNotFound(`agent '${params.loginName}' does not exist in account ${params.accountId}; PUT creates it`)
    return [account, agent]
  }

  const skillOf = (params: { accountId: string, name: string }): [ReturnType<typeof accountOf>, Skill] => {
    const account = accountOf(sim.world, params.accountId)
    const skill = account.skill(params.name)
    if (skill === undefined) throw new AdminNotFound(`skill '${params.name}' does not exist in account ${params.accountId}; PUT creates it`)
    return [account, skill]
  }

  app.get('/accounts/:accountId', { schema: getAccount }, async (request) => snapshotAccount(accountOf(sim.world, request.params.accountId)))

  app.put('/accounts/:accountId', { schema: putAccount }, async (request, reply) => {
    const { accountId } = request.params
    const existed = sim.world.account(accountId) !== undefined
    // Built apart, then swapped in: a rejected account leaves the old one as it was.
    change(() => sim.world.putAccount(buildAccount(accountId, request.body, new Map(), [])))
    return created(reply, existed).send(snapshotAccount(accountOf(sim.world, accountId)))
  })

  app.delete('/accounts/:accountId', { schema: deleteAccount }, async (request, reply) => {
    accountOf(sim.world, request.params.accountId)
    sim.world.removeAccount(request.params.accountId)
    return reply.code(204).send()
  })

  // The routes with a body look up what the path names before validation (preValidation), so that one that is missing
  // is 404 whatever the body: the documented order of checks. Path parameters are strings before validation too.
  app.put('/accounts/:accountId/agents/:loginName', {
    schema: putAgent,
    schemaErrorFormatter: agentErrors,
    preValidation: accountFirst(sim)
  }, async (request, reply) => {
    const { accountId, loginName } = request.params
    const account = accountOf(sim.world, accountId)
    const existed = account.agent(loginName) !== undefined
    const stored = change(() => account.putAgent({ loginName, ...request.body }))
    return created(reply, existed).send(agentDocument(stored))
  })

  app.patch('/accounts/:accountId/agents/:loginName', {
    schema: patchAgent,
    schemaErrorFormatter: agentErrors,
    preValidation: async (request) => { agentOf(request.params) }
  }, async (request) => {
    const [account, agent] = agentOf(request.params)
    return agentDocument(change(() => account.putAgent({ ...agent, ...request.body })))
  })

  app.delete('/accounts/:accountId/agents/:loginName', { schema: deleteAgent }, async (request, reply) => {
    const [account, agent] = agentOf(request.params)
    sim.world.removeAgent(account, agent.loginName)
    return reply.code(204).send()
  })

  app.put('/accounts/:accountId/skills/:name', {
    schema: putSkill,
    preValidation: accountFirst(sim)
  }, async (request, reply) => {
    const { accountId, name } = request.params
    const account = accountOf(sim.world, accountId)
    const existed = account.skill(name) !== undefined
    const stored = change(() => account.putSkill({ name, ...request.body }))
    return created(reply, existed).send(skillDocument(stored))
  })

  app.patch('/accounts/:accountId/skills/:name', {
    schema: patchSkill,
    preValidation: async (request) => { skillOf(request.params) }
  }, async (request) => {
    const [account, skill] = skillOf(request.params)
    const { meanPatienceSec, estimator, ...fields } = request.body
    const { meanPatienceSec: patienceWas, estimator: estimatorWas, ...kept } = skill
    // Absent: kept as it was; null: removed.
    const patience = meanPatienceSec === undefined ? patienceWas : meanPatienceSec ?? undefined
    const criterion = estimator === undefined ? estimatorWas : estimator ?? undefined
    const next: Skill = {
      ...kept, ...fields, ...(patience === undefined ? {} : { meanPatienceSec: patience }), ...(criterion === undefined ? {} : { estimator: criterion })
    }
    return skillDocument(change(() => account.putSkill(next)))
  })
}
