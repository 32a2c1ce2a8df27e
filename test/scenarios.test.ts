import { execFileSync } from 'node:child_process'
import { join, relative } from 'node:path'
import t from 'tap'
import { fixtureNames, loadScenario, resolveScenario } from '../src/scenarios.js'
import { fixturesDir } from '../src/package-root.js'

const valid = {
  description: 'one of everything',
  accounts: {
    12345678: {
      skills: { Sales: { id: 1, queued: 0, meanHandleTimeSec: 300 } },
      agents: { John: { id: 1, nickname: 'J', chatState: 'Online', maxChats: 2, activeChats: 1, skills: ['Sales'] } },
      sessions: { s1: { agent: 'John', bearer: 'a'.repeat(64) } }
    }
  }
}
type Doc = typeof valid & Record<string, unknown>
const account = (doc: Doc): Record<string, any> => doc.accounts[12345678]

/** A copy of the valid scenario, changed by `edit`. */
function variant (edit: (doc: Doc) => void): string {
  const doc = structuredClone(valid) as Doc
  edit(doc)
  return JSON.stringify(doc)
}

t.test('every shipped fixture loads', async (t) => {
  t.same(fixtureNames(), ['after-hours', 'busy', 'default', 'multi-tenant', 'unlimited'])
  for (const name of fixtureNames()) {
    const { world, file } = loadScenario(name)
    t.equal(file, join(fixturesDir, `${name}.json`))
    t.ok(world.accountIds().length >= 1, name)
  }
  t.same(loadScenario('multi-tenant').world.accountIds(), ['50000001', '50000002', '50000003'])
})

t.test('a scenario is a fixture name or a path', async (t) => {
  t.equal(resolveScenario('busy'), join(fixturesDir, 'busy.json'))
  t.equal(resolveScenario('./my.json'), join(process.cwd(), 'my.json'))
  t.equal(resolveScenario('my.json'), join(process.cwd(), 'my.json'))
  t.equal(resolveScenario('/abs/x'), '/abs/x')
})

t.test('a bad scenario is refused with one message naming the file and the JSON path', async (t) => {
  const broken = '{"description": "x", "accounts": '
  const cases: Record<string, [string, string]> = {
    'unreadable.json': [broken, '$: not valid JSON (it ends before the document does)'],
    'comma.json': ['{\n  "description": "x",\n  "accounts": {},\n}', '$: not valid JSON (line 4, column 1)'],
    'secret.json': ['ghp_secret-token-0123 {}', "$: not valid JSON (unexpected 'g')"],
    'trailing.json': ['{"description": "x", "accounts": {}} ghp_secret', '$: not valid JSON (line 1, column 38)'],
    'not-an-object.json': ['[]', '$: must be object'],
    'no-description.json': [variant((d) => { delete (d as Record<string, unknown>).description }), '$.description: is required'],
    'typo.json': [variant((d) => { d.acounts = {} }), '$.acounts: is not a known property'],
    'string-number.json': [variant((d) => { account(d).agents.John.maxChats = '3' }), "$.accounts['12345678'].agents.John.maxChats: must be integer"],
    'below-unlimited.json': [variant((d) => { account(d).agents.John.maxChats = -2 }), "$.accounts['12345678'].agents.John.maxChats: must be >= -1"],
    'chat-state.json': [variant((d) => { account(d).agents.John.chatState = 'online' }),
      "$.accounts['12345678'].agents.John.chatState: must be one of Online, Occupied, Away, Offline"],
    'skill-type.json': [variant((d) => { account(d).agents.John.skills = ['Sales', 5] }), "$.accounts['12345678'].agents.John.skills[1]: must be string"],
    'agent-name.json': [variant((d) => { account(d).agents['John Smith'] = account(d).agents.John }),
      "$.accounts['12345678'].agents['John Smith']: this name must match pattern \"^[A-Za-z0-9]{1,100}$\""],
    'bearer.json': [variant((d) => { account(d).sessions.s1.bearer = 'A'.repeat(64) }),
      "$.accounts['12345678'].sessions.s1.bearer: must match pattern \"^[0-9a-f]{64}$\""],
    'expires.json': [variant((d) => { account(d).sessions.s1.expiresAt = 'tomorrow' }),
      "$.accounts['12345678'].sessions.s1.expiresAt: must match format \"date-time\""],
    'leap-second.json': [variant((d) => { account(d).sessions.s1.expiresAt = '2016-12-31T23:59:60Z' }),
      "$.accounts['12345678'].sessions.s1.expiresAt: must be an ISO-8601 date-time such as 2030-01-01T00:00:00Z"],
    'unknown-skill.json': [variant((d) => { account(d).agents.John.skills = ['Sales', 'Support'] }),
      "$.accounts['12345678'].agents.John.skills[1]: skill 'Support' does not exist in account 12345678"],
    'unknown-agent.json': [variant((d) => { account(d).sessions.s1.agent = 'Mary' }),
      "$.accounts['12345678'].sessions.s1.agent: agent 'Mary' does not exist in account 12345678"],
    'over-capacity.json': [variant((d) => { account(d).agents.John.activeChats = 3 }),
      "$.accounts['12345678'].agents.John.activeChats: activeChats (3) exceeds maxChats (2); allowed: 0..maxChats, or any count when maxChats is -1"],
    'agent-id.json': [variant((d) => { account(d).agents.Mary = { ...account(d).agents.John } }),
      "$.accounts['12345678'].agents.Mary.id: agent id 1 is already used by agent 'John'; ids must be unique in an account"],
    'skill-id.json': [variant((d) => { account(d).skills.Support = { id: 1, queued: 0, meanHandleTimeSec: 60 } }),
      "$.accounts['12345678'].skills.Support.id: skill id 1 is already used by skill 'Sales'; ids must be unique in an account"],
    'shared-bearer.json': [variant((d) => { account(d).sessions.s2 = { agent: 'John', bearer: 'a'.repeat(64) } }),
      "$.accounts['12345678'].sessions.s2.bearer: the same bearer is already used by session s1 of account 12345678; each agent session needs its own"]
  }
  const dir = t.testdir(Object.fromEntries(Object.entries(cases).map(([file, [text]]) => [file, text])))
  for (const [file, [, message]] of Object.entries(cases)) {
    const path = join(dir, file)
    // Files under the working directory are named relative to it.
    t.throws(() => loadScenario(path), { name: 'ScenarioFileError', message: `${relative(process.cwd(), path)}: ${message}` }, file)
  }
  t.throws(() => loadScenario('no-such-fixture'), {
    name: 'ScenarioFileError',
    message: `${relative(process.cwd(), join(fixturesDir, 'no-such-fixture.json'))}: cannot read the scenario (ENOENT); ` +
      'give a fixture name (after-hours, busy, default, multi-tenant, unlimited) or the path of a .json file'
  })
  t.throws(() => loadScenario(join(dir, 'missing.json')), { name: 'ScenarioFileError' })
})

t.test('unlimited agents may have any number of active chats', async (t) => {
  const dir = t.testdir({ 'ok.json': variant((d) => { Object.assign(account(d).agents.John, { maxChats: -1, activeChats: 40 }) }) })
  t.same(loadScenario(join(dir, 'ok.json')).world.accountIds(), ['12345678'])
})

t.test('a byte-order mark at the start of the file is not an error', async (t) => {
  const dir = t.testdir({ 'bom.json': '\uFEFF' + JSON.stringify(valid) })
  t.same(loadScenario(join(dir, 'bom.json')).world.accountIds(), ['12345678'])
})

t.test('only regular files are read: a FIFO or a folder is refused at once, never waited on', async (t) => {
  const dir = t.testdir({ 'folder.json': {} })
  const fifo = join(dir, 'fifo.json')
  execFileSync('mkfifo', [fifo])
  for (const [file, shown] of [[fifo, 'fifo.json'], [join(dir, 'folder.json'), 'folder.json']] as const) {
    t.throws(() => loadScenario(file), { name: 'ScenarioFileError', message: new RegExp(`${shown}: cannot read the scenario \\(ENOTFILE\\); give a fixture name`) })
  }
})
