import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Account } from '../../src/domain/model.js'
import { buildAccount, buildWorld, jsonPath, ScenarioProblems, snapshot, snapshotAccount, type ScenarioDocument, type ScenarioInput } from '../../src/domain/scenario.js'
import type { World } from '../../src/domain/world.js'
import { fixturesDir } from '../../src/package-root.js'
import { parseScenarioDocument } from '../../src/scenarios.js'

const fixtureFiles = readdirSync(fixturesDir).filter((file) => file.endsWith('.json') && file !== 'scenario.schema.json').sort()
const read = (file: string): ScenarioDocument & { $schema?: string } => JSON.parse(readFileSync(join(fixturesDir, file), 'utf8'))

/** The document without its `$schema` (an editor's hint, not part of the scenario: a snapshot has none). */
function scenarioOf (doc: ScenarioDocument & { $schema?: string }): ScenarioDocument {
  const { $schema: _schema, ...rest } = doc
  return rest
}

const ACCOUNT = '12345678'
const defaultDoc = (): ScenarioDocument => scenarioOf(read('default.json'))

/** Everything a World answers about an account: slots of each agent and skill, the whole account, gauges. */
function answers (account: Account): unknown {
  return {
    agents: account.agentList().map((a) => [a.loginName, account.agentSlots(a.loginName)]),
    skills: account.skillList().map((s) => [s.name, account.skillSlots(s.name, 0), account.skillSlots(s.name, 300), account.skillSlots(s.name, 3600)]),
    account: [account.accountSlots(0), account.accountSlots(300), account.accountSlots(3600)],
    gauges: account.gauges()
  }
}

const answersOf = (world: World): unknown => world.accountIds().map((id) => [id, answers(world.account(id) as Account)])

/** What buildWorld throws for `doc`: every problem it finds. */
function loadError (doc: ScenarioInput): ScenarioProblems {
  try {
    buildWorld(doc)
  } catch (err) {
    if (err instanceof ScenarioProblems) return err
    throw err
  }
  throw new Error('buildWorld did not throw')
}

/** The problems buildWorld finds in `doc`, as `$.path: problem`. */
const problemsOf = (doc: ScenarioInput): string[] => loadError(doc).problems.map((p) => `${jsonPath(p.field)}: ${p.message}`)

const withChats = (chats: Record<string, { skill: string, agent?: string }>): ScenarioDocument => {
  const doc = defaultDoc()
  ;(doc.accounts[ACCOUNT] as ScenarioDocument['accounts'][string]).chats = chats
  return doc
}

t.test('the fixtures', async (t) => {
  for (const name of ['after-hours.json', 'busy.json', 'default.json', 'live.json', 'multi-tenant.json', 'unlimited.json']) {
    t.ok(fixtureFiles.includes(name), name)
  }
})

for (const file of fixtureFiles) {
  t.test(`${file}: a snapshot of the World it builds is the document again`, async (t) => {
    const doc = read(file)
    t.equal(doc.$schema, './scenario.schema.json', 'the one key a snapshot leaves out')
    const snap = snapshot(buildWorld(doc))
    t.equal('$schema' in snap, false)
    t.strictSame(snap, scenarioOf(doc))
    t.strictSame(JSON.parse(JSON.stringify(snap)), snap, 'plain JSON: no undefined, no Infinity, no Map')
    t.strictSame(snapshot(parseScenarioDocument(snap, 'snapshot').world), snap, 'it passes the schema, and loads back as it was')
    t.strictSame(Object.keys(snap.accounts), Object.keys(doc.accounts), 'accounts in the document\'s order')
    for (const [id, account] of Object.entries(doc.accounts)) {
      t.strictSame(Object.keys(snap.accounts[id]?.agents ?? {}), Object.keys(account.agents), `account ${id}: agents in the document's order`)
      t.strictSame(Object.keys(snap.accounts[id]?.skills ?? {}), Object.keys(account.skills), `account ${id}: skills in the document's order`)
    }
  })
}

t.test('a World with chats started and ended snapshots them, and builds back into the same World', async (t) => {
  const world = buildWorld(defaultDoc())
  const account = world.account(ACCOUNT) as Account
  t.strictSame([
    account.startChat('Sales'), // John has 2 free
    account.startChat('Support'), // John 1, Mary 0, Anna Occupied
    account.startChat('Support'), // nobody free
    account.startChat('Billing', 'Ravi'),
    account.startChat('Sales'), // John full, Peter Away, Lena Offline
    account.startChat('Billing')
  ], [
    { id: 'chat-1', skill: 'Sales', agent: 'John' },
    { id: 'chat-2', skill: 'Support', agent: 'John' },
    { id: 'chat-3', skill: 'Support' },
    { id: 'chat-4', skill: 'Billing', agent: 'Ravi' },
    { id: 'chat-5', skill: 'Sales' },
    { id: 'chat-6', skill: 'Billing', agent: 'Ravi' }
  ])
  account.endChat('chat-4')
  world.addSession(account, { agentSessionId: 'sessRavi', agent: 'Ravi', bearer: 'f'.repeat(64), expiresAt: Date.UTC(2030, 0, 1) })

  const snap = snapshot(world)
  const expected = defaultDoc()
  const doc = expected.accounts[ACCOUNT] as Required<ScenarioDocument['accounts'][string]>
  doc.skills.Sales = { id: 1001, queued: 1, meanHandleTimeSec: 300 }
  doc.skills.Support = { id: 1002, queued: 3, meanHandleTimeSec: 420, meanPatienceSec: 180 }
  ;(doc.agents.John as { activeChats: number }).activeChats = 3
  ;(doc.agents.Ravi as { activeChats: number }).activeChats = 2
  doc.sessions.sessRavi = { agent: 'Ravi', bearer: 'f'.repeat(64), expiresAt: '2030-01-01T00:00:00.000Z' }
  doc.chats = {
    'chat-1': { skill: 'Sales', agent: 'John' },
    'chat-2': { skill: 'Support', agent: 'John' },
    'chat-3': { skill: 'Support' },
    'chat-5': { skill: 'Sales' },
    'chat-6': { skill: 'Billing', agent: 'Ravi' }
  }
  t.strictSame(snap, expected)
  t.strictSame(Object.keys(snap.accounts[ACCOUNT]?.chats ?? {}), ['chat-1', 'chat-2', 'chat-3', 'chat-5', 'chat-6'], 'in the order they started')

  const rebuilt = buildWorld(snap)
  t.strictSame(snapshot(rebuilt), snap, 'snapshot → buildWorld → snapshot: exactly the same')
  t.strictSame(snapshot(parseScenarioDocument(JSON.parse(JSON.stringify(snap)), 'snapshot').world), snap, 'also through JSON and the schema')
  t.strictSame(answersOf(rebuilt), answersOf(world), 'the same answers')
  const again = rebuilt.account(ACCOUNT) as Account
  t.strictSame([...again.chats.values()], [...account.chats.values()])
  t.equal(rebuilt.loginOf('f'.repeat(64))?.sessions.get('sessRavi')?.expiresAt, Date.UTC(2030, 0, 1))
  t.strictSame(again.startChat('Billing'), account.startChat('Billing'), 'new chats get the same next id in both')
  t.strictSame(again.startChat('Billing'), { id: 'chat-8', skill: 'Billing', agent: 'Ravi' })
  t.strictSame(again.endChat('chat-3'), { id: 'chat-3', skill: 'Support' }, 'a restored chat ends like any other')
  t.equal(again.skill('Support')?.queued, 2)
  t.strictSame(again.endChat('chat-1'), { id: 'chat-1', skill: 'Sales', agent: 'John' })
  t.equal(again.agent('John')?.activeChats, 2)
})

t.test('chats in several accounts, with ids of one\'s own choosing, round-trip too', async (t) => {
  const doc = scenarioOf(read('multi-tenant.json'))
  const tenant = (id: string): ScenarioDocument['accounts'][string] => doc.accounts[id] as ScenarioDocument['accounts'][string]
  tenant('50000001').chats = { first: { skill: 'Support', agent: 'Sam' } }
  tenant('50000002').chats = { 'q.1': { skill: 'Support' }, 'q~2': { skill: 'Support' }, 'chat-41': { skill: 'Support', agent: 'Sam' } }
  tenant('50000003').chats = { 'chat-9': { skill: 'Returns', agent: 'Tia' } }
  const world = buildWorld(doc)
  t.strictSame(snapshot(world), doc)
  t.strictSame(snapshot(buildWorld(snapshot(world))), doc)
  t.strictSame((world.account('50000002') as Account).startChat('Support'), { id: 'chat-42', skill: 'Support' }, 'after the highest chat-n restored')
  t.strictSame((world.account('50000001') as Account).startChat('Support'), { id: 'chat-1', skill: 'Support', agent: 'Sam' }, 'each account counts its own')
  t.strictSame((world.account('50000003') as Account).startChat('Returns'), { id: 'chat-10', skill: 'Returns', agent: 'Tia' })
})

t.test('snapshotAccount of one account, and buildAccount of its document', async (t) => {
  const world = buildWorld(defaultDoc())
  const account = world.account(ACCOUNT) as Account
  account.startChat('Support')
  const doc = snapshotAccount(account)
  t.strictSame(doc.chats, { 'chat-1': { skill: 'Support', agent: 'John' } })
  t.strictSame(snapshotAccount(buildAccount(ACCOUNT, doc)), doc)
  t.strictSame(answers(buildAccount(ACCOUNT, doc)), answers(account))
  const bare = buildWorld(defaultDoc()).account(ACCOUNT) as Account
  t.equal('chats' in snapshotAccount(bare), false, 'no chats: no chats key')
  account.endChat('chat-1')
  t.equal('chats' in snapshotAccount(account), false, 'all ended: no chats key either')
})

t.test('chats a scenario cannot hold are refused with the JSON path of the chat', async (t) => {
  const overbooked = loadError(withChats({ c1: { skill: 'Sales', agent: 'John' }, c2: { skill: 'Support', agent: 'John' } }))
  t.strictSame({ name: overbooked.name, problems: overbooked.problems, message: overbooked.message }, {
    name: 'ScenarioProblems',
    problems: [{ field: ['accounts', ACCOUNT, 'chats', 'c2', 'agent'], message: "agent 'John' has activeChats 1, fewer than the chats listed for it" }],
    message: "$.accounts['12345678'].chats.c2.agent: agent 'John' has activeChats 1, fewer than the chats listed for it"
  }, 'more chats on an agent than its activeChats')
  t.strictSame(problemsOf(withChats({ a: { skill: 'Support', agent: 'Mary' }, b: { skill: 'Support', agent: 'Mary' }, 'c-3': { skill: 'Support', agent: 'Mary' } })),
    ["$.accounts['12345678'].chats['c-3'].agent: agent 'Mary' has activeChats 2, fewer than the chats listed for it"])
  t.strictSame(problemsOf(withChats({ q: { skill: 'Sales' } })),
    ["$.accounts['12345678'].chats.q.skill: skill 'Sales' has queued 0, fewer than the queued chats listed for it"])
  t.strictSame(problemsOf(withChats({ q1: { skill: 'Support' }, q2: { skill: 'Support' }, q3: { skill: 'Support' }, q4: { skill: 'Support' } })), [
    "$.accounts['12345678'].chats.q3.skill: skill 'Support' has queued 2, fewer than the queued chats listed for it",
    "$.accounts['12345678'].chats.q4.skill: skill 'Support' has queued 2, fewer than the queued chats listed for it"
  ], 'each chat beyond the count')
  t.strictSame(loadError(withChats({ 'chat-1': { skill: 'Nope' } })).problems,
    [{ field: ['accounts', ACCOUNT, 'chats', 'chat-1', 'skill'], message: "skill 'Nope' does not exist in account 12345678" }])
  t.strictSame(problemsOf(withChats({ x: { skill: 'Sales', agent: 'Zoe' } })),
    ["$.accounts['12345678'].chats.x.agent: agent 'Zoe' does not exist in account 12345678"])
  t.strictSame(problemsOf(withChats({ x: { skill: 'Billing', agent: 'John' } })),
    ["$.accounts['12345678'].chats.x.agent: agent 'John' does not have skill 'Billing'"])
  t.strictSame(snapshot(buildWorld(withChats({ a: { skill: 'Support', agent: 'Mary' }, b: { skill: 'Support', agent: 'Mary' }, q1: { skill: 'Support' }, q2: { skill: 'Support' } }))).accounts[ACCOUNT]?.chats,
    { a: { skill: 'Support', agent: 'Mary' }, b: { skill: 'Support', agent: 'Mary' }, q1: { skill: 'Support' }, q2: { skill: 'Support' } },
    'exactly as many as counted: taken')
})

t.test('the other invariants are refused with JSON paths too', async (t) => {
  const doc = defaultDoc()
  const account = doc.accounts[ACCOUNT] as Required<ScenarioDocument['accounts'][string]>
  const variant = (change: (a: typeof account) => void): ScenarioDocument => {
    const copy = structuredClone(doc)
    change(copy.accounts[ACCOUNT] as typeof account)
    return copy
  }
  t.strictSame(problemsOf(variant((a) => { (a.skills.Support as { id: number }).id = 1001 })),
    ["$.accounts['12345678'].skills.Support.id: skill id 1001 is already used by skill 'Sales'; ids must be unique in an account"])
  t.strictSame(problemsOf(variant((a) => { (a.agents.Mary as { id: number }).id = 1 })),
    ["$.accounts['12345678'].agents.Mary.id: agent id 1 is already used by agent 'John'; ids must be unique in an account"])
  t.strictSame(problemsOf(variant((a) => { (a.agents.Mary as { activeChats: number }).activeChats = 3 })),
    ["$.accounts['12345678'].agents.Mary.activeChats: activeChats (3) exceeds maxChats (2); allowed: 0..maxChats, or any count when maxChats is -1"])
  t.strictSame(problemsOf(variant((a) => { (a.agents.Mary as { skills: string[] }).skills = ['Support', 'Nope'] })),
    ["$.accounts['12345678'].agents.Mary.skills[1]: skill 'Nope' does not exist in account 12345678"])
  t.strictSame(problemsOf(variant((a) => { (a.sessions.sessMary as { agent: string }).agent = 'Zoe' })),
    ["$.accounts['12345678'].sessions.sessMary.agent: agent 'Zoe' does not exist in account 12345678"])
  t.strictSame(problemsOf(variant((a) => { (a.sessions.sessMary as { bearer: string }).bearer = (a.sessions.sessJohn as { bearer: string }).bearer })),
    ["$.accounts['12345678'].sessions.sessMary.bearer: the same bearer is already used by session sessJohn of account 12345678; each agent session needs its own"])
  t.strictSame(problemsOf(variant((a) => { (a.sessions.sessMary as { expiresAt?: string }).expiresAt = '2030-01-01T23:59:60Z' })),
    ["$.accounts['12345678'].sessions.sessMary.expiresAt: must be an ISO-8601 date-time such as 2030-01-01T00:00:00Z"])
  const twoAccounts = scenarioOf(read('multi-tenant.json'))
  const tenant2 = twoAccounts.accounts['50000002'] as Required<ScenarioDocument['accounts'][string]>
  ;(tenant2.sessions.sessSam as { bearer: string }).bearer = 'e4eb82abb8f0c27b7dca562d6140061846677bef26345c143f1dd2527a822a85'
  t.strictSame(problemsOf(twoAccounts),
    ["$.accounts['50000002'].sessions.sessSam.bearer: the same bearer is already used by session sessSam of account 50000001; each agent session needs its own"])
})

t.test('every problem is found, in the order of the document; what refers to an agent left out is not checked against it', async (t) => {
  const doc = defaultDoc()
  doc.estimator = { criterion: 'mean', p: 0.9 }
  const account = doc.accounts[ACCOUNT] as Required<ScenarioDocument['accounts'][string]>
  Object.assign(account.skills.Support as object, { id: 1001 })
  Object.assign(account.skills.Billing as object, { estimator: { criterion: 'mean', p: 0.5 } })
  Object.assign(account.agents.Mary as object, { id: 1, activeChats: 3 })
  Object.assign(account.agents.Ravi as object, { skills: ['Billing', 'Nope', 'Nada'] })
  Object.assign(account.agents.Anna as object, { skills: ['Nope'] })
  Object.assign(account.sessions.sessJohnOld as object, { bearer: account.sessions.sessJohn?.bearer, expiresAt: '2030-01-01T23:59:60Z' })
  account.sessions.sessZoe = { agent: 'Zoe', bearer: 'f'.repeat(64) }
  account.chats = { a: { skill: 'Support', agent: 'Mary' }, b: { skill: 'Sales', agent: 'Anna' }, c: { skill: 'Nope' }, d: { skill: 'Billing', agent: 'Ravi' } }
  const at = "$.accounts['12345678']"
  const mean = "p applies to the 'probability' criterion only; leave it out with 'mean'"
  t.strictSame(problemsOf(doc), [
    `$.estimator.p: ${mean}`,
    `${at}.skills.Support.id: skill id 1001 is already used by skill 'Sales'; ids must be unique in an account`,
    `${at}.skills.Billing.estimator.p: ${mean}`,
    `${at}.agents.Mary.id: agent id 1 is already used by agent 'John'; ids must be unique in an account`,
    `${at}.agents.Mary.activeChats: activeChats (3) exceeds maxChats (2); allowed: 0..maxChats, or any count when maxChats is -1`,
    `${at}.agents.Ravi.skills[1]: skill 'Nope' does not exist in account 12345678`,
    `${at}.agents.Ravi.skills[2]: skill 'Nada' does not exist in account 12345678`,
    `${at}.agents.Anna.skills[0]: skill 'Nope' does not exist in account 12345678`,
    `${at}.sessions.sessJohnOld.bearer: the same bearer is already used by session sessJohn of account 12345678; each agent session needs its own`,
    `${at}.sessions.sessJohnOld.expiresAt: must be an ISO-8601 date-time such as 2030-01-01T00:00:00Z`,
    `${at}.sessions.sessZoe.agent: agent 'Zoe' does not exist in account 12345678`,
    `${at}.chats.c.skill: skill 'Nope' does not exist in account 12345678`
  ], 'sessMary and the chats of Mary and Anna are not reported: their agents are')
  t.equal(loadError(doc).message, `$.estimator.p: ${mean} (and 11 more)`)
  // buildAccount alone (the admin API's PUT of an account) still stops at the first problem.
  t.throws(() => buildAccount(ACCOUNT, account), {
    name: 'ScenarioError',
    path: ['accounts', ACCOUNT, 'skills', 'Support', 'id'],
    message: `${at}.skills.Support.id: skill id 1001 is already used by skill 'Sales'; ids must be unique in an account`
  })
  t.throws(() => buildAccount(ACCOUNT, account, new Map(), []), {
    name: 'ScenarioError', message: "$.skills.Support.id: skill id 1001 is already used by skill 'Sales'; ids must be unique in an account"
  }, 'with the path from the account')
})

t.test('defaults: ids, nickname, activeChats and queued are filled in, and the snapshot loads back into the same World', async (t) => {
  const sales = { chatState: 'Online' as const, maxChats: 2, skills: ['A'] }
  const loose: ScenarioInput = {
    description: 'defaults',
    accounts: {
      1: {
        skills: { A: { meanHandleTimeSec: 60 }, B: { id: 1, queued: 2, meanHandleTimeSec: 120 }, C: { meanHandleTimeSec: 60, meanPatienceSec: 30 } },
        agents: {
          Ann: { ...sales, skills: ['A', 'B'] },
          Bob: { ...sales, nickname: 'Bobby', activeChats: 1 },
          Cy: { ...sales, id: 1, skills: ['C'] },
          Di: { ...sales, chatState: 'Away', maxChats: -1 }
        }
      },
      2: { skills: { A: { id: 7, meanHandleTimeSec: 60 } }, agents: { Ann: { ...sales } } }
    }
  }
  const world = buildWorld(loose)
  const expected: ScenarioDocument = {
    description: 'defaults',
    accounts: {
      1: {
        skills: {
          A: { id: 2, queued: 0, meanHandleTimeSec: 60 },
          B: { id: 1, queued: 2, meanHandleTimeSec: 120 },
          C: { id: 3, queued: 0, meanHandleTimeSec: 60, meanPatienceSec: 30 }
        },
        agents: {
          Ann: { id: 2, nickname: 'Ann', chatState: 'Online', maxChats: 2, activeChats: 0, skills: ['A', 'B'] },
          Bob: { id: 3, nickname: 'Bobby', chatState: 'Online', maxChats: 2, activeChats: 1, skills: ['A'] },
          Cy: { id: 1, nickname: 'Cy', chatState: 'Online', maxChats: 2, activeChats: 0, skills: ['C'] },
          Di: { id: 4, nickname: 'Di', chatState: 'Away', maxChats: -1, activeChats: 0, skills: ['A'] }
        },
        sessions: {}
      },
      2: {
        skills: { A: { id: 7, queued: 0, meanHandleTimeSec: 60 } },
        agents: { Ann: { id: 1, nickname: 'Ann', chatState: 'Online', maxChats: 2, activeChats: 0, skills: ['A'] } },
        sessions: {}
      }
    }
  }
  t.strictSame(snapshot(world), expected, 'ids not taken, from 1, in document order, per account (Cy\'s own 1 counted before Ann\'s turn)')
  const again = buildWorld(snapshot(world))
  t.strictSame(snapshot(again), expected, 'the snapshot loads back as it was')
  t.strictSame(answersOf(again), answersOf(world), 'with the same answers')
  t.strictSame(answersOf(buildWorld(loose)), answersOf(world), 'and the same document gives the same ids every time')
  const parsed = parseScenarioDocument(JSON.parse(JSON.stringify(loose)), 'loose')
  t.strictSame(parsed.document, expected, 'parseScenarioDocument gives the document with its defaults, which passes the schema')
  t.strictSame(parseScenarioDocument(parsed.document, 'again').document, expected)
  t.strictSame(snapshotAccount(buildAccount('1', loose.accounts[1] as ScenarioInput['accounts'][string])), expected.accounts[1], 'buildAccount too')
})

t.test('jsonPath', async (t) => {
  t.equal(jsonPath([]), '$')
  t.equal(jsonPath(['accounts', '123', 'agents', 'John', 'skills', 0]), "$.accounts['123'].agents.John.skills[0]")
  t.equal(jsonPath(['chats', 'chat-1']), "$.chats['chat-1']")
  t.equal(jsonPath(['a_b$1']), '$.a_b$1')
  t.equal(jsonPath(["it's"]), "$['it\\'s']")
  t.equal(jsonPath(['back\\slash']), "$['back\\\\slash']")
  t.equal(jsonPath(['']), "$['']")
})
