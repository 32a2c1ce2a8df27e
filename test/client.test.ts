/** SimulatorClient against a real server: two test suites, two accounts, driven at once, never see each other. */
import t, { type Test } from 'tap'
import { SimulatorError, startSimulator, type SimulatorClient } from '../src/index.js'

const account = (agent: string, bearer: string) => ({
  skills: { Sales: { id: 1, queued: 0, meanHandleTimeSec: 120 } },
  agents: { [agent]: { id: 1, nickname: agent, chatState: 'Online' as const, maxChats: 3, activeChats: 0, skills: ['Sales'] } },
  sessions: { [`s${agent}`]: { agent, bearer } }
})

/** One suite's story, on its own account: every answer is what this suite alone made it. */
async function suite (t: Test, url: string, admin: SimulatorClient, accountId: string, agent: string, bearer: string, chats: number): Promise<void> {
  await admin.putAccount(accountId, account(agent, bearer))
  const ask = async (): Promise<string> => {
    const res = await fetch(`${url}/api/account/${accountId}/agentSession/s${agent}/chat/availableSlots?v=1&skill=Sales`, {
      headers: { authorization: `Bearer ${bearer}` }
    })
    return res.text()
  }
  for (let i = 0; i < chats; i++) {
    t.match(await admin.startChat(accountId, { skill: 'Sales' }), { skill: 'Sales', agent, queued: false })
    t.equal(await ask(), `{"availableSlots":${3 - i - 1}}`)
    await new Promise((resolve) => setImmediate(resolve)) // let the other suite interleave
  }
  await admin.setAgent(accountId, agent, { chatState: 'Away' })
  t.equal(await ask(), '{"availableSlots":0}')
  t.equal(await admin.countRequests({ account: accountId }), chats + 1, 'its own requests only')
  t.equal((await admin.chats(accountId)).chats.length, chats)
}

t.test('two accounts driven concurrently by two clients do not interfere', async (t) => {
  const sim = await startSimulator()
  t.teardown(() => sim.close())
  await Promise.all([
    suite(t, sim.url, sim.admin, '9001', 'Ann', 'a1'.repeat(32), 3),
    suite(t, sim.url, sim.admin, '9002', 'Bob', 'b2'.repeat(32), 2)
  ])
  t.strictSame((await sim.admin.account('9001')).agents.Ann, { id: 1, nickname: 'Ann', chatState: 'Away', maxChats: 3, activeChats: 3, skills: ['Sales'] })
  t.strictSame((await sim.admin.account('9002')).agents.Bob, { id: 1, nickname: 'Bob', chatState: 'Away', maxChats: 3, activeChats: 2, skills: ['Sales'] })
  t.strictSame((await sim.admin.health()).accounts, 3, 'the default account too')
})

t.test('the client rejects with SimulatorError carrying the status, the internal code and the message', async (t) => {
  const sim = await startSimulator({ adminToken: 'a-long-enough-admin-token' })
  t.teardown(() => sim.close())
  t.strictSame(await sim.admin.setAgent('12345678', 'John', { chatState: 'Away' }),
    { id: 1, nickname: 'John S.', chatState: 'Away', maxChats: 3, activeChats: 1, skills: ['Sales', 'Support'], password: 'john123' })
  await t.rejects(sim.admin.setAgent('12345678', 'John', { maxChats: -2 }), new SimulatorError(400, 22,
    'PATCH /__admin/accounts/12345678/agents/John: 400 invalid request: $.maxChats: must be >= -1'))
  const { SimulatorClient } = await import('../src/index.js')
  const anonymous = new SimulatorClient(sim.url)
  await t.rejects(anonymous.reset(), { name: 'SimulatorError', status: 401, internalCode: 12 })
  t.strictSame(await anonymous.health(), { status: 'ok', version: '0.1.0', scenario: 'default', accounts: 1 })
  t.equal((await sim.admin.reset()).accounts['12345678']?.agents.John?.chatState, 'Online')
})

t.test('the client reads and sets the wait criterion, and explains an answer', async (t) => {
  const sim = await startSimulator()
  t.teardown(() => sim.close())
  t.strictSame(await sim.admin.estimator(), { settings: {}, criterion: { criterion: 'probability', p: 0.8 } })
  const explained = await sim.admin.estimate('12345678', { skill: 'Sales', maxWaitTime: 300 })
  t.match(explained, { availableSlots: 4, immediate: 2, lastAdmitted: { position: 4, ahead: 1 }, next: { position: 5, ahead: 2 } })
  t.strictSame(await sim.admin.setEstimator({ criterion: 'mean' }), { settings: { criterion: 'mean' }, criterion: { criterion: 'mean' } })
  t.match(await sim.admin.estimate('12345678', { skill: 'Sales', maxWaitTime: 300 }), { availableSlots: 5, inputs: { criterion: 'mean' } })
  t.equal((await sim.admin.estimate('12345678')).availableSlots, 3, 'the whole account, immediately')
  await t.rejects(sim.admin.estimate('12345678', { skill: 'Nope' }), { name: 'SimulatorError', status: 404, internalCode: 33 })
  t.strictSame((await sim.admin.setSkill('12345678', 'Sales', { estimator: { p: 0.95 } })).estimator, { p: 0.95 })
})
