import t from 'tap'
import { Account } from '../../src/domain/model.js'
import { World } from '../../src/domain/world.js'

function accountWith (id: string, sessions: Record<string, string>): Account {
  const account = new Account(id)
  for (const [agentSessionId, bearer] of Object.entries(sessions)) account.sessions.set(agentSessionId, { agentSessionId, agent: 'A', bearer })
  return account
}

t.test('tokens find their session, only exactly', async (t) => {
  const world = new World()
  world.addAccount(accountWith('1', { s1: 'a'.repeat(64), s2: 'b'.repeat(64) }))
  t.equal(world.sessionOf('b'.repeat(64))?.session.agentSessionId, 's2')
  t.equal(world.sessionOf('b'.repeat(64))?.account.id, '1')
  t.equal(world.sessionOf('B'.repeat(64)), undefined)
  t.equal(world.sessionOf('b'.repeat(63)), undefined)
  t.equal(world.sessionOf(''), undefined)
})

t.test('an account that reuses a bearer, or an id, is refused and changes nothing', async (t) => {
  const world = new World()
  world.addAccount(accountWith('1', { s1: 'a'.repeat(64) }))
  t.throws(() => world.addAccount(accountWith('2', { s9: 'c'.repeat(64), s1: 'a'.repeat(64) })),
    { name: 'ModelError', message: 'a bearer token is used by more than one agent session' })
  t.throws(() => world.addAccount(accountWith('3', { x: 'd'.repeat(64), y: 'd'.repeat(64) })),
    { name: 'ModelError', message: 'a bearer token is used by more than one agent session' })
  t.throws(() => world.addAccount(accountWith('1', {})), { name: 'ModelError', message: 'account 1 already exists' })
  t.same(world.accountIds(), ['1'])
  t.equal(world.sessionOf('c'.repeat(64)), undefined, 'no session of the refused account was indexed')
  t.equal(world.sessionOf('a'.repeat(64))?.account.id, '1')
})
