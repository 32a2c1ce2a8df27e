/** Accounts, and their agents and skills: read, put, patch, delete; each change checked like a fixture. */
import type { FastifyReply } from 'fastify'
import type { Agent, Skill } from '../../domain/model.js'
import { agentDocument, buildAccount, skillDocument, snapshotAccount, type AccountDocument, type AgentDocument, type SkillDocument } from '../../domain/scenario.js'
import { AdminNotFound } from '../../http/errors.js'
import { scenarioDef } from '../../scenarios.js'
import { accountOf, bodySchema, change, checked, type AdminApp, type Simulation } from './support.js'

interface AccountParams { accountId: string }
interface AgentParams extends AccountParams { loginName: string }
interface SkillParams extends AccountParams { name: string }

const accountBody = bodySchema<AccountDocument>(scenarioDef('account'))
const agentBody = bodySchema<AgentDocument>(scenarioDef('agent'))
const skillBody = bodySchema<SkillDocument>(scenarioDef('skill'))
/** Any of an agent's fields, at least one. */
const agentPatch = bodySchema<Partial<AgentDocument>>({
  type: 'object', minProperties: 1, additionalProperties: false,
  properties: Object.fromEntries(['id', 'nickname', 'chatState', 'maxChats', 'activeChats', 'skills']
    .map((field) => [field, { $ref: `${scenarioDef('agent').$ref}/properties/${field}` }]))
})
/** Any of a skill's fields, at least one; `null` removes `meanPatienceSec` (visitors never abandon) or `estimator` (the scenario's applies). */
type SkillPatch = Partial<Omit<SkillDocument, 'meanPatienceSec' | 'estimator'>> & { meanPatienceSec?: number | null, estimator?: SkillDocument['estimator'] | null }
const REMOVABLE = ['meanPatienceSec', 'estimator'] as const
const skillPatch = bodySchema<SkillPatch>({
  type: 'object', minProperties: 1, additionalProperties: false,
  properties: {
    ...Object.fromEntries(['id', 'queued', 'meanHandleTimeSec'].map((field) => [field, { $ref: `${scenarioDef('skill').$ref}/properties/${field}` }])),
    ...Object.fromEntries(REMOVABLE.map((field) => [field, { anyOf: [{ $ref: `${scenarioDef('skill').$ref}/properties/${field}` }, { type: 'null' }] }]))
  }
})

// What a path may name: the scenario schema's own rules for names and account ids.
const isName = bodySchema<string>(scenarioDef('name'))
const isAccountId = bodySchema<string>(scenarioDef('accountId'))

export function accountRoutes (app: AdminApp, sim: Simulation): void {
  const created = (reply: FastifyReply, existed: boolean): FastifyReply => reply.code(existed ? 200 : 201)

  app.get<{ Params: AccountParams }>('/accounts/:accountId', async (request) => snapshotAccount(accountOf(sim.world, request.params.accountId)))

  app.put<{ Params: AccountParams }>('/accounts/:accountId', async (request, reply) => {
    const { accountId } = request.params
    if (!isAccountId(accountId)) throw new AdminNotFound(`'${accountId}' cannot be an account id; use 1 to 64 letters and digits`)
    const doc = checked(accountBody, request.body, ['accounts', accountId])
    const existed = sim.world.account(accountId) !== undefined
    // Built apart, then swapped in: a rejected account leaves the old one as it was.
    change(() => sim.world.putAccount(buildAccount(accountId, doc, new Map(), [])))
    return created(reply, existed).send(snapshotAccount(accountOf(sim.world, accountId)))
  })

  app.delete<{ Params: AccountParams }>('/accounts/:accountId', async (request, reply) => {
    accountOf(sim.world, request.params.accountId)
    sim.world.removeAccount(request.params.accountId)
    return reply.code(204).send()
  })

  const agentOf = (params: AgentParams): [ReturnType<typeof accountOf>, Agent] => {
    const account = accountOf(sim.world, params.accountId)
    const agent = account.agent(params.loginName)
    if (agent === undefined) throw new AdminNotFound(`agent '${params.loginName}' does not exist in account ${params.accountId}; PUT creates it`)
    return [account, agent]
  }

  app.put<{ Params: AgentParams }>('/accounts/:accountId/agents/:loginName', async (request, reply) => {
    const { accountId, loginName } = request.params
    const account = accountOf(sim.world, accountId)
    if (!isName(loginName)) throw new AdminNotFound(`'${loginName}' cannot be a login name; use 1 to 100 letters and digits`)
    const doc = checked(agentBody, request.body, ['accounts', accountId, 'agents', loginName])
    const existed = account.agent(loginName) !== undefined
    const stored = change(() => account.putAgent({ loginName, ...doc }))
    return created(reply, existed).send(agentDocument(stored))
  })

  app.patch<{ Params: AgentParams }>('/accounts/:accountId/agents/:loginName', async (request) => {
    const [account, agent] = agentOf(request.params)
    const patch = checked(agentPatch, request.body, ['accounts', request.params.accountId, 'agents', agent.loginName])
    return agentDocument(change(() => account.putAgent({ ...agent, ...patch })))
  })

  app.delete<{ Params: AgentParams }>('/accounts/:accountId/agents/:loginName', async (request, reply) => {
    const [account, agent] = agentOf(request.params)
    sim.world.removeAgent(account, agent.loginName)
    return reply.code(204).send()
  })

  const skillOf = (params: SkillParams): [ReturnType<typeof accountOf>, Skill] => {
    const account = accountOf(sim.world, params.accountId)
    const skill = account.skill(params.name)
    if (skill === undefined) throw new AdminNotFound(`skill '${params.name}' does not exist in account ${params.accountId}; PUT creates it`)
    return [account, skill]
  }

  app.put<{ Params: SkillParams }>('/accounts/:accountId/skills/:name', async (request, reply) => {
    const { accountId, name } = request.params
    const account = accountOf(sim.world, accountId)
    if (!isName(name)) throw new AdminNotFound(`'${name}' cannot be a skill name; use 1 to 100 letters and digits`)
    const doc = checked(skillBody, request.body)
    const existed = account.skill(name) !== undefined
    const stored = change(() => account.putSkill({ name, ...doc }))
    return created(reply, existed).send(skillDocument(stored))
  })

  app.patch<{ Params: SkillParams }>('/accounts/:accountId/skills/:name', async (request) => {
    const [account, skill] = skillOf(request.params)
    const { meanPatienceSec, estimator, ...fields } = checked(skillPatch, request.body)
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
