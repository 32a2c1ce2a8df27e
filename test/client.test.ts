/** SimulatorClient against a real server: two test suites, two accounts, driven at once, never see each other. */
import t, { type Test } from 'tap'
import { SimulatedClock, SimulatorError, startSimulator, type SimulatorClient } from '../src/index.js'

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

t.test('loginAgent logs in and starts a session through the simulated API, as a client would; logoutAgent ends it', async (t) => {
  const sim = await startSimulator()
  t.teardown(() => sim.close())
  const john = await sim.loginAgent('John')
  t.equal(john.accountId, '12345678')
  t.match(john.bearer, /^[0-9a-f]{64}$/)
  t.match(john.csrf, /^[0-9a-f]{64}$/)
  t.match(john.agentSessionId, /^[0-9]{10}$/)
  t.equal(john.sessionUrl, `${sim.url}/api/account/12345678/agentSession/${john.agentSessionId}`)
  const slots = async (): Promise<[number, string]> => {
    const res = await fetch(`${john.sessionUrl}/chat/availableSlots?v=1&skill=Sales`, { headers: { authorization: `Bearer ${john.bearer}` } })
    return [res.status, await res.text()]
  }
  t.strictSame(await slots(), [200, '{"availableSlots":2}'])
  const journal = await sim.admin.requests({ path: '/api/account/12345678/*' })
  t.strictSame(journal.requests.map((r) => `${r.method} ${r.path} ${String(r.status)}`), [
    'POST /api/account/12345678/login 200',
    'POST /api/account/12345678/agentSession 201',
    `GET /api/account/12345678/agentSession/${john.agentSessionId}/chat/availableSlots 200`
  ], 'the journal has the flow')
  await sim.admin.logoutAgent(john)
  t.equal((await slots())[0], 401)

  const mary = await sim.admin.loginAgent('Mary', { accountId: '12345678', password: 'mary123' })
  t.equal(mary.accountId, '12345678')
  await t.rejects(sim.loginAgent('Mary', { password: 'wrong' }), new SimulatorError(401, 10,
    'POST /api/account/12345678/login: 401 the username or password is wrong, or the account has no such agent (invalid site or agent); ' +
    'agents log in with the password the scenario gives them (README: "As your client does it")'))
  await t.rejects(sim.loginAgent('Nobody'), new SimulatorError(404, undefined, "loginAgent: no account has an agent 'Nobody'"))
  await sim.admin.putAgent('12345678', 'Zed', { id: 9, nickname: 'Zed', chatState: 'Online', maxChats: 1, activeChats: 0, skills: ['Sales'] })
  await t.rejects(sim.loginAgent('Zed'), new SimulatorError(400, undefined, "loginAgent: agent 'Zed' has no password in the scenario"))
})

t.test('startSimulator: the clock frozen by default; a scenario\'s clock and seed apply at start, and snapshots keep them', async (t) => {
  const plain = await startSimulator()
  t.teardown(() => plain.close())
  t.match(await plain.admin.clock(), { mode: 'frozen', speed: 1 })
  t.equal((await plain.admin.faults()).seed, 1)
  const document = { description: 'live-ish', clock: { mode: 'realtime' as const, speed: 60 }, seed: 5, accounts: {} }
  const live = await startSimulator({ scenario: document })
  t.teardown(() => live.close())
  t.match(await live.admin.clock(), { mode: 'realtime', speed: 60 })
  t.equal((await live.admin.faults()).seed, 5)
  t.strictSame(await live.admin.scenario(), document, 'a snapshot keeps them')
  await live.admin.setScenario({ description: 'another', clock: { mode: 'frozen' }, seed: 9, accounts: {} })
  t.match(await live.admin.clock(), { mode: 'realtime', speed: 60 }, 'loaded later, a scenario leaves the clock as it is')
  t.equal((await live.admin.faults()).seed, 5, 'and the seed')
  const told = await startSimulator({ scenario: document, seed: 11 })
  t.teardown(() => told.close())
  t.equal((await told.admin.faults()).seed, 11, 'an explicit seed wins')
})

t.test('the live scenario through the client: advance the frozen clock, read the live counters', async (t) => {
  const sim = await startSimulator({ scenario: 'live', clock: SimulatedClock.frozenAt(Date.parse('2026-12-01T17:00:00Z')) })
  t.teardown(() => sim.close())
  const zero = { arrived: 0, started: 0, ended: 0, abandoned: 0, waitedSec: 0 }
  t.same(await sim.admin.live(), {
    accounts: {
      12345678: {
        events: 0,
        skills: { Sales: { ...zero, queued: 0, handleTimeSec: 300 }, Support: { ...zero, queued: 0, handleTimeSec: 420 }, Billing: { ...zero, queued: 0, handleTimeSec: 600 } }
      }
    },
    behindSec: 0
  }, 'live, nothing happened yet (the two Support chats queued in the scenario took John\'s free slots)')
  const clock = await sim.admin.advanceClock(1800)
  t.equal(clock.liveAccounts, 1)
  t.equal(clock.behindSec, 0)
  const live = await sim.admin.live()
  const sales = live.accounts['12345678']?.skills.Sales
  t.ok(sales !== undefined && sales.arrived > 0, `half an hour: ${sales?.arrived} Sales chats arrived`)
})
