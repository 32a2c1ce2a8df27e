import t from 'tap'
import { Account } from '../../src/domain/model.js'
import { MAX_LOGINS, MAX_OPENED_SESSIONS, MAX_SESSIONS_PER_LOGIN, World } from '../../src/domain/world.js'

/** The account and (first) session of the login a token belongs to. */
function sessionOfToken (world: World, token: string): { account: Account, session: { agentSessionId: string, agent: string } } | undefined {
  const login = world.loginOf(token)
  const session = login === undefined ? undefined : [...login.sessions.values()][0]
  return login === undefined || session === undefined ? undefined : { account: login.account, session }
}

function accountWith (id: string, sessions: Record<string, string>): Account {
  const account = new Account(id)
  for (const [agentSessionId, bearer] of Object.entries(sessions)) account.sessions.set(agentSessionId, { agentSessionId, agent: 'A', bearer })
  return account
}

t.test('tokens find their session, only exactly', async (t) => {
  const world = new World()
  world.addAccount(accountWith('1', { s1: 'a'.repeat(64), s2: 'b'.repeat(64) }))
  t.equal(sessionOfToken(world, 'b'.repeat(64))?.session.agentSessionId, 's2')
  t.equal(sessionOfToken(world, 'b'.repeat(64))?.account.id, '1')
  t.equal(sessionOfToken(world, 'B'.repeat(64)), undefined)
  t.equal(sessionOfToken(world, 'b'.repeat(63)), undefined)
  t.equal(sessionOfToken(world, ''), undefined)
})

t.test('an account that reuses a bearer, or an id, is refused and changes nothing', async (t) => {
  const world = new World()
  world.addAccount(accountWith('1', { s1: 'a'.repeat(64) }))
  t.throws(() => world.addAccount(accountWith('2', { s9: 'c'.repeat(64), s1: 'a'.repeat(64) })),
    { name: 'ModelError', message: 'sessions: a bearer is used by more than one agent session (here or in another account); each needs its own' })
  t.throws(() => world.addAccount(accountWith('3', { x: 'd'.repeat(64), y: 'd'.repeat(64) })),
    { name: 'ModelError', message: 'sessions: a bearer is used by more than one agent session (here or in another account); each needs its own' })
  t.throws(() => world.addAccount(accountWith('1', {})), { name: 'ModelError', message: 'account 1 already exists' })
  t.same(world.accountIds(), ['1'])
  t.equal(sessionOfToken(world, 'c'.repeat(64)), undefined, 'no session of the refused account was indexed')
  t.equal(sessionOfToken(world, 'a'.repeat(64))?.account.id, '1')
})

// Sessions, agents and whole accounts changing in a running World.

const bearer = (c: string): string => c.repeat(64)

/** Account `id` with a skill, agents Ann and Bob, and the sessions given (session id → [agent, bearer]). */
function staffed (id: string, sessions: Record<string, [string, string]> = {}): Account {
  const account = new Account(id)
  account.putSkill({ name: 'Sales', id: 1, queued: 0, meanHandleTimeSec: 300 })
  account.putAgent({ loginName: 'Ann', id: 1, nickname: 'Ann', chatState: 'Online', maxChats: 3, activeChats: 0, skills: ['Sales'] })
  account.putAgent({ loginName: 'Bob', id: 2, nickname: 'Bob', chatState: 'Online', maxChats: 3, activeChats: 0, skills: ['Sales'] })
  for (const [agentSessionId, [agent, token]] of Object.entries(sessions)) account.sessions.set(agentSessionId, { agentSessionId, agent, bearer: token })
  return account
}

function refused (fn: () => unknown): { name: string, message: string, field: unknown } {
  try {
    fn()
  } catch (err) {
    const e = err as Error & { field?: unknown }
    return { name: e.name, message: e.message, field: e.field }
  }
  throw new Error('did not throw')
}

/** Which account and session each bearer finds, by sessionOf and by ownSession. */
function index (world: World, tokens: Array<[string, string, string]>): unknown[] {
  return tokens.map(([accountId, agentSessionId, token]) => {
    const of = sessionOfToken(world, token)
    const own = world.ownSession(accountId, agentSessionId, token)
    return [of === undefined ? undefined : `${of.account.id}/${of.session.agentSessionId}`, own === undefined ? undefined : `${own.account.id}/${own.session.agentSessionId}`]
  })
}

t.test('ownSession: the session the request names, only with its own bearer', async (t) => {
  const world = new World()
  world.addAccount(staffed('1', { s1: ['Ann', bearer('a')], s2: ['Bob', bearer('b')] }))
  t.equal(world.ownSession('1', 's1', bearer('a'))?.session.agent, 'Ann')
  t.equal(world.ownSession('1', 's1', bearer('a'))?.account, world.account('1'))
  t.equal(world.ownSession('1', 's1', bearer('b')), undefined, 'another session\'s bearer')
  t.equal(world.ownSession('2', 's1', bearer('a')), undefined, 'another account')
  t.equal(world.ownSession('1', 's9', bearer('a')), undefined, 'no such session')
  t.equal(world.ownSession('1', 's1', bearer('a').slice(1)), undefined, 'shorter')
})

t.test('addSession opens a session; an unknown agent, a bearer in use or a session id in use is refused', async (t) => {
  const world = new World()
  const one = staffed('1', { s1: ['Ann', bearer('a')] })
  const two = staffed('2', { t1: ['Ann', bearer('c')] })
  world.addAccount(one)
  world.addAccount(two)
  world.addSession(one, { agentSessionId: 's2', agent: 'Bob', bearer: bearer('b') })
  t.strictSame(index(world, [['1', 's2', bearer('b')]]), [['1/s2', '1/s2']])
  t.strictSame([...one.sessions.keys()], ['s1', 's2'])

  t.strictSame(refused(() => world.addSession(one, { agentSessionId: 's3', agent: 'Zoe', bearer: bearer('d') })),
    { name: 'ModelError', message: "agent: agent 'Zoe' does not exist in account 1", field: ['agent'] })
  t.strictSame(refused(() => world.addSession(one, { agentSessionId: 's3', agent: 'Ann', bearer: bearer('c') })),
    { name: 'ModelError', message: 'bearer: this bearer is already used by another agent session; each needs its own', field: ['bearer'] },
    'a bearer of another account')
  t.strictSame(refused(() => world.addSession(one, { agentSessionId: 's3', agent: 'Ann', bearer: bearer('a') })),
    { name: 'ModelError', message: 'bearer: this bearer is already used by another agent session; each needs its own', field: ['bearer'] },
    'a bearer of the same account')
  t.strictSame(refused(() => world.addSession(one, { agentSessionId: 's1', agent: 'Bob', bearer: bearer('d') })),
    { name: 'ConflictError', message: 'agent session s1 already exists in account 1', field: undefined })
  t.strictSame(refused(() => world.addSession(one, { agentSessionId: 's1', agent: 'Zoe', bearer: bearer('c') })).name, 'ConflictError',
    'the session id is checked first')

  t.strictSame([...one.sessions.keys()], ['s1', 's2'], 'nothing was added')
  t.equal(one.sessions.get('s1')?.bearer, bearer('a'), 's1 is as it was')
  t.strictSame(index(world, [['1', 's1', bearer('a')], ['2', 't1', bearer('c')], ['1', 's3', bearer('d')]]),
    [['1/s1', '1/s1'], ['2/t1', '2/t1'], [undefined, undefined]])
})

t.test('revokeSession makes its token unknown', async (t) => {
  const world = new World()
  const one = staffed('1', { s1: ['Ann', bearer('a')], s2: ['Ann', bearer('b')] })
  world.addAccount(one)
  t.equal(world.revokeSession(one, 's1'), true)
  t.equal(sessionOfToken(world, bearer('a')), undefined)
  t.equal(world.ownSession('1', 's1', bearer('a')), undefined)
  t.strictSame([...one.sessions.keys()], ['s2'])
  t.strictSame(index(world, [['1', 's2', bearer('b')]]), [['1/s2', '1/s2']], 'the other session stays')
  t.equal(world.revokeSession(one, 's1'), false, 'already revoked')
  t.equal(world.revokeSession(one, 'nope'), false)
  world.addSession(one, { agentSessionId: 's3', agent: 'Bob', bearer: bearer('a') })
  t.strictSame(index(world, [['1', 's3', bearer('a')]]), [['1/s3', '1/s3']], 'a revoked bearer can be given again')
})

t.test('removeAgent ends its chats and revokes its sessions, and only its own', async (t) => {
  const world = new World()
  const one = staffed('1', { s1: ['Ann', bearer('a')], s2: ['Bob', bearer('b')], s3: ['Ann', bearer('c')] })
  world.addAccount(one)
  one.startChat('Sales', 'Ann')
  one.startChat('Sales', 'Bob')
  t.equal(world.removeAgent(one, 'Ann'), true)
  t.equal(one.agent('Ann'), undefined)
  t.strictSame([...one.sessions.keys()], ['s2'])
  t.strictSame([...one.chats.values()], [{ id: 'chat-2', skill: 'Sales', agent: 'Bob' }])
  t.strictSame(index(world, [['1', 's1', bearer('a')], ['1', 's3', bearer('c')], ['1', 's2', bearer('b')]]),
    [[undefined, undefined], [undefined, undefined], ['1/s2', '1/s2']])
  t.equal(world.removeAgent(one, 'Ann'), false, 'already gone')
  t.equal(world.removeAgent(one, 'Zoe'), false)
  t.strictSame([...one.sessions.keys()], ['s2'], 'nothing else revoked')
})

t.test('putAccount adds or replaces; the replaced account\'s own bearers may stay, another account\'s may not', async (t) => {
  const world = new World()
  const first = staffed('1', { s1: ['Ann', bearer('a')], s2: ['Bob', bearer('b')] })
  const other = staffed('2', { t1: ['Ann', bearer('c')] })
  world.putAccount(first)
  world.putAccount(other)
  t.strictSame(world.accountIds(), ['1', '2'])

  const replacement = staffed('1', { s1: ['Bob', bearer('a')], s9: ['Ann', bearer('d')] })
  world.putAccount(replacement)
  t.equal(world.account('1'), replacement)
  t.strictSame([...world.accountIds()].sort(), ['1', '2'])
  t.strictSame(index(world, [['1', 's1', bearer('a')], ['1', 's9', bearer('d')], ['1', 's2', bearer('b')], ['2', 't1', bearer('c')]]),
    [['1/s1', '1/s1'], ['1/s9', '1/s9'], [undefined, undefined], ['2/t1', '2/t1']], 'the old s2 is revoked with the old account')
  t.equal(sessionOfToken(world, bearer('a'))?.account, replacement, 'its kept bearer now finds the new account')
  t.equal(sessionOfToken(world, bearer('a'))?.session.agent, 'Bob')

  const thief = staffed('1', { s1: ['Ann', bearer('a')], x: ['Ann', bearer('c')] })
  t.strictSame(refused(() => world.putAccount(thief)), {
    name: 'ModelError', message: 'sessions: a bearer is used by more than one agent session (here or in another account); each needs its own', field: ['sessions']
  })
  t.strictSame(refused(() => world.putAccount(staffed('1', { p: ['Ann', bearer('e')], q: ['Bob', bearer('e')] }))).field, ['sessions'],
    'nor twice within the account')
  t.equal(world.account('1'), replacement, 'both accounts as they were')
  t.equal(world.account('2'), other)
  t.strictSame(index(world, [['1', 's1', bearer('a')], ['1', 's9', bearer('d')], ['2', 't1', bearer('c')], ['1', 'p', bearer('e')]]),
    [['1/s1', '1/s1'], ['1/s9', '1/s9'], ['2/t1', '2/t1'], [undefined, undefined]])

  const fresh = staffed('3', { u1: ['Ann', bearer('b')] })
  world.putAccount(fresh)
  t.strictSame(index(world, [['3', 'u1', bearer('b')]]), [['3/u1', '3/u1']], 'a revoked bearer can be used by another account')
})

t.test('removeAccount revokes all its sessions', async (t) => {
  const world = new World()
  world.addAccount(staffed('1', { s1: ['Ann', bearer('a')] }))
  world.addAccount(staffed('2', { t1: ['Ann', bearer('b')] }))
  t.equal(world.removeAccount('1'), true)
  t.equal(world.account('1'), undefined)
  t.strictSame(world.accountIds(), ['2'])
  t.strictSame(index(world, [['1', 's1', bearer('a')], ['2', 't1', bearer('b')]]), [[undefined, undefined], ['2/t1', '2/t1']])
  t.equal(world.removeAccount('1'), false)
  t.equal(world.removeAccount('9'), false)
  world.addAccount(staffed('1', { s1: ['Ann', bearer('a')] }))
  t.strictSame(index(world, [['1', 's1', bearer('a')]]), [['1/s1', '1/s1']], 'the id and the bearer can be used again')
})

t.test('replaceWith takes over another World whole', async (t) => {
  const world = new World()
  world.description = 'old'
  world.addAccount(staffed('1', { s1: ['Ann', bearer('a')] }))
  const next = new World()
  next.description = 'new'
  const two = staffed('2', { t1: ['Ann', bearer('b')] })
  next.addAccount(two)
  world.replaceWith(next)
  t.equal(world.description, 'new')
  t.strictSame(world.accountIds(), ['2'])
  t.equal(world.account('2'), two)
  t.equal(world.account('1'), undefined)
  t.strictSame(index(world, [['1', 's1', bearer('a')], ['2', 't1', bearer('b')]]), [[undefined, undefined], ['2/t1', '2/t1']])
  world.addSession(two, { agentSessionId: 't2', agent: 'Bob', bearer: bearer('a') })
  t.strictSame(index(world, [['2', 't2', bearer('a')]]), [['2/t2', '2/t2']], 'the old world\'s bearers are free again')
})

// Logins made by POST …/login, and the sessions they open.

t.test('a login has a bearer and a csrf; it opens sessions; logout ends them all', async (t) => {
  const world = new World()
  const one = staffed('1', { s1: ['Ann', bearer('a')] })
  world.addAccount(one)
  const login = world.login(one, 'Bob', 1000, 60_000)
  t.match(login.bearer, /^[0-9a-f]{64}$/)
  t.match(login.csrf, /^[0-9a-f]{64}$/)
  t.equal(login.expiresAt, 61_000)
  t.equal(world.loginOf(login.bearer), login)
  t.equal(world.loginWithCsrf(login.csrf as string), login)
  t.equal(world.loginWithCsrf(login.bearer), undefined, 'a bearer is not a csrf')
  const a = world.openSession(login, 2000, 400_000)
  const b = world.openSession(login, 2000, 400_000)
  t.strictSame([...login.sessions.keys()], [a.agentSessionId, b.agentSessionId])
  t.strictSame(a, { agentSessionId: a.agentSessionId, agent: 'Bob', bearer: login.bearer, idle: { timeoutMs: 400_000, lastActiveAt: 2000 } })
  t.equal(world.ownSession('1', a.agentSessionId, login.bearer)?.login, login)
  t.equal(world.ownSession('1', a.agentSessionId, bearer('a')), undefined, 'another login\'s bearer')

  t.equal(world.revokeSession(one, a.agentSessionId), true)
  t.equal(world.loginOf(login.bearer), login, 'a login made by POST …/login outlives its sessions')
  world.logout(login)
  t.equal(world.loginOf(login.bearer), undefined)
  t.equal(world.loginWithCsrf(login.csrf as string), undefined)
  t.strictSame([...one.sessions.keys()], ['s1'], 'its sessions are gone; the scenario\'s stays')
  t.equal(world.loginOf(bearer('a'))?.agent, 'Ann')
})

t.test('replacing or removing an account ends its logins', async (t) => {
  const world = new World()
  world.addAccount(staffed('1'))
  const login = world.login(world.account('1') as Account, 'Ann', 0, 60_000)
  world.openSession(login, 0, 400_000)
  world.putAccount(staffed('1'))
  t.equal(world.loginOf(login.bearer), undefined)
  const again = world.login(world.account('1') as Account, 'Ann', 0, 60_000)
  t.equal(world.removeAccount('1'), true)
  t.equal(world.loginOf(again.bearer), undefined)
  t.equal(world.loginWithCsrf(again.csrf as string), undefined)
})

t.test('bounded: MAX_SESSIONS_PER_LOGIN sessions a login (ended ones dropped first), MAX_LOGINS logins an account (expired ones dropped first)', async (t) => {
  const world = new World()
  const one = staffed('1')
  world.addAccount(one)
  const login = world.login(one, 'Ann', 0, 60_000)
  for (let i = 0; i < MAX_SESSIONS_PER_LOGIN; i++) world.openSession(login, 0, 400_000)
  t.strictSame(refused(() => world.openSession(login, 399_999, 400_000)),
    { name: 'ConflictError', message: `this login has ${MAX_SESSIONS_PER_LOGIN} agent sessions open, the most one login keeps; end some first`, field: undefined })
  t.equal(one.sessions.size, MAX_SESSIONS_PER_LOGIN, 'nothing was added')
  world.openSession(login, 400_000, 400_000)
  t.equal(login.sessions.size, 1, 'at 400 s every earlier session had ended: dropped, and the new one opened')
  t.equal(one.sessions.size, 1)

  for (let i = 1; i < MAX_LOGINS; i++) world.login(one, 'Bob', 0, i < MAX_LOGINS / 2 ? 1000 : 60_000)
  t.strictSame(refused(() => world.login(one, 'Ann', 500, 60_000)),
    { name: 'ConflictError', message: `${MAX_LOGINS} logins of account 1 are open, the most an account keeps; log some out, or let them expire`, field: undefined })
  world.addAccount(staffed('2'))
  t.ok(world.login(world.account('2') as Account, 'Ann', 500, 60_000), 'another account is not held up')
  const late = world.login(one, 'Ann', 1000, 60_000)
  t.equal(world.loginOf(late.bearer), late, 'at 1 s the first half had expired: dropped')
  t.equal(world.loginOf(login.bearer), login, 'the unexpired stay')
})

t.test('bounded: MAX_OPENED_SESSIONS sessions in all (timed-out ones dropped first)', async (t) => {
  const world = new World()
  const logins = []
  for (let a = 0; a < MAX_OPENED_SESSIONS / MAX_SESSIONS_PER_LOGIN / MAX_LOGINS; a++) {
    const account = staffed(String(a + 1))
    world.addAccount(account)
    for (let i = 0; i < MAX_LOGINS; i++) logins.push(world.login(account, 'Ann', 0, 3_600_000))
  }
  for (const login of logins) for (let i = 0; i < MAX_SESSIONS_PER_LOGIN; i++) world.openSession(login, i < 5 ? 0 : 1000, 400_000)
  world.addAccount(staffed('x'))
  const extra = world.login(world.account('x') as Account, 'Bob', 0, 3_600_000)
  t.strictSame(refused(() => world.openSession(extra, 399_999, 400_000)),
    { name: 'ConflictError', message: `${MAX_OPENED_SESSIONS} agent sessions are open, the most the simulator keeps; end some, or let them time out`, field: undefined })
  world.openSession(extra, 400_000, 400_000)
  t.equal((world.account('1') as Account).sessions.size, MAX_LOGINS * MAX_SESSIONS_PER_LOGIN / 2, 'the sessions idle since 0 were dropped in every account')
  t.equal((world.account('x') as Account).sessions.size, 1, 'and the new one opened')
  t.equal(logins[0]?.sessions.size, MAX_SESSIONS_PER_LOGIN / 2)
})

t.test('a login made in advance ends with its last session, not before', async (t) => {
  const world = new World()
  const one = staffed('1', { s1: ['Ann', bearer('a')] })
  world.addAccount(one)
  const login = world.loginOf(bearer('a')) as NonNullable<ReturnType<World['loginOf']>>
  const more = world.openSession(login, 0, 400_000)
  t.equal(world.revokeSession(one, 's1'), true)
  t.equal(world.loginOf(bearer('a')), login, 'its other session is still open')
  t.equal(world.ownSession('1', more.agentSessionId, bearer('a'))?.login, login)
  t.strictSame(refused(() => world.addSession(one, { agentSessionId: 's9', agent: 'Bob', bearer: bearer('a') })).field, ['bearer'], 'the bearer is still in use')
  t.equal(world.revokeSession(one, more.agentSessionId), true)
  t.equal(world.loginOf(bearer('a')), undefined, 'ended with its last session')
})
