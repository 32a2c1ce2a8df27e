import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import t from 'tap'
import type { Account } from '../src/domain/model.js'
import { fixtureNames, loadScenario, parseScenarioDocument, resolveScenario, ScenarioFileError } from '../src/scenarios.js'
import { fixturesDir, packageRoot } from '../src/package-root.js'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { scenarioSchemaJson } from '../src/contract-files.js'

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
  t.same(fixtureNames(), ['after-hours', 'busy', 'default', 'live', 'multi-tenant', 'unlimited'])
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
      'give a fixture name (after-hours, busy, default, live, multi-tenant, unlimited) or the path of a .json file'
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

/** What parseScenarioDocument refuses `document` with. */
function refusal (document: unknown, source = 'my.json'): ScenarioFileError {
  try {
    parseScenarioDocument(document, source)
  } catch (err) {
    if (err instanceof ScenarioFileError) return err
    throw err
  }
  throw new Error('the document loaded')
}

const A = "$.accounts['12345678']"

t.test('a document with several problems of shape lists them all, each once, with its JSON path', async (t) => {
  const doc = JSON.parse(variant((d) => {
    d.description = ''
    const a = account(d)
    a.skills.Sales = { id: 1, queued: -1 }
    Object.assign(a.agents.John, { chatState: 'online', skills: ['Sales', 5] })
    a.agents['Ann Lee'] = { chatState: 'Away', maxChats: 1, skills: [] }
    a.sessions.s1.extra = 1
  }))
  const err = refusal(doc)
  t.equal(err.message, [
    'my.json: 8 problems:',
    '  $.description: must NOT have fewer than 1 characters',
    `  ${A}.skills.Sales.meanHandleTimeSec: is required`,
    `  ${A}.skills.Sales.queued: must be >= 0`,
    `  ${A}.agents['Ann Lee']: this name must match pattern "^[A-Za-z0-9]{1,100}$"`,
    `  ${A}.agents.John.chatState: must be one of Online, Occupied, Away, Offline`,
    `  ${A}.agents.John.skills[1]: must be string`,
    `  ${A}.agents['Ann Lee'].skills: must NOT have fewer than 1 items`,
    `  ${A}.sessions.s1.extra: is not a known property`
  ].join('\n'), 'skills[1] once, though both the type and the name it refers to say so')
  t.equal(err.problems.length, 8)
  t.equal(err.source, 'my.json')
})

t.test('a document of the right shape lists every problem the model finds', async (t) => {
  const dir = t.testdir({
    'refs.json': variant((d) => {
      const a = account(d)
      a.agents.John.skills = ['Sales', 'Support', 'Billing']
      a.agents.Mary = { id: 1, chatState: 'Online', maxChats: 1, activeChats: 2, skills: ['Sales'] }
      a.sessions.s2 = { agent: 'Zoe', bearer: 'a'.repeat(64) }
    })
  })
  const file = join(dir, 'refs.json')
  t.throws(() => loadScenario(file), {
    name: 'ScenarioFileError',
    message: [
      `${relative(process.cwd(), file)}: 6 problems:`,
      `  ${A}.agents.John.skills[1]: skill 'Support' does not exist in account 12345678`,
      `  ${A}.agents.John.skills[2]: skill 'Billing' does not exist in account 12345678`,
      `  ${A}.agents.Mary.id: agent id 1 is already used by agent 'John'; ids must be unique in an account`,
      `  ${A}.agents.Mary.activeChats: activeChats (2) exceeds maxChats (1); allowed: 0..maxChats, or any count when maxChats is -1`,
      `  ${A}.sessions.s2.agent: agent 'Zoe' does not exist in account 12345678`,
      `  ${A}.sessions.s2.bearer: the same bearer is already used by session s1 of account 12345678; each agent session needs its own`
    ].join('\n')
  })
})

t.test('one problem keeps the one line it always had', async (t) => {
  const err = refusal(JSON.parse(variant((d) => { account(d).agents.John.skills = ['Nope'] })))
  t.equal(err.message, `my.json: ${A}.agents.John.skills[0]: skill 'Nope' does not exist in account 12345678`)
  t.strictSame(err.problems, [`${A}.agents.John.skills[0]: skill 'Nope' does not exist in account 12345678`])
})

t.test('past 20 problems the rest are counted, and a flood of them is listed in linear time', async (t) => {
  const agents = (n: number, state: string): Record<string, unknown> =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`A${i}`, { chatState: state, maxChats: 1, skills: ['Nope'] }]))
  const err = refusal({ description: 'x', accounts: { 1: { skills: {}, agents: agents(25, 'Online') } } })
  t.equal(err.message, [
    'my.json: 25 problems:',
    ...Array.from({ length: 20 }, (_, i) => `  $.accounts['1'].agents.A${i}.skills[0]: skill 'Nope' does not exist in account 1`),
    '  … and 5 more'
  ].join('\n'))
  t.equal(err.problems.length, 25)
  t.equal(err.problems[24], "$.accounts['1'].agents.A24.skills[0]: skill 'Nope' does not exist in account 1")
  t.equal(refusal({ description: 'x', accounts: { 1: { skills: {}, agents: agents(21, 'Online') } } }).message.split('\n').at(-1), '  … and 1 more')
  t.equal(refusal({ description: 'x', accounts: { 1: { skills: {}, agents: agents(20, 'Online') } } }).message.split('\n').length, 21, '20: all shown')

  // Ajv gathers the errors of a referenced schema by copying all those before: quadratic, 100,000 took minutes.
  const shape = refusal({ description: 'x', accounts: { 1: { skills: {}, agents: agents(50_000, 'online') } } })
  t.equal(shape.problems.length, 50_000)
  t.equal(shape.message.split('\n').length, 22)
  t.equal(shape.message.split('\n').at(-1), '  … and 49980 more')
  const model = refusal({ description: 'x', accounts: { 1: { skills: {}, agents: agents(50_000, 'Online') } } })
  t.equal(model.problems.length, 50_000)
  t.equal(model.message.split('\n')[1], "  $.accounts['1'].agents.A0.skills[0]: skill 'Nope' does not exist in account 1")
})

t.test('left-out fields get their defaults, and the document given back has them all', async (t) => {
  const dir = t.testdir({
    'short.json': JSON.stringify({
      description: 'short',
      accounts: {
        1: {
          skills: { Sales: { meanHandleTimeSec: 300 }, Support: { id: 1, meanHandleTimeSec: 60, queued: 1 } },
          agents: { Ann: { chatState: 'Online', maxChats: 2, skills: ['Sales'] }, Bob: { id: 1, chatState: 'Away', maxChats: 1, skills: ['Support'] } }
        }
      }
    })
  })
  const { document, world } = loadScenario(join(dir, 'short.json'))
  t.strictSame(document, {
    description: 'short',
    accounts: {
      1: {
        skills: { Sales: { id: 2, queued: 0, meanHandleTimeSec: 300 }, Support: { id: 1, queued: 1, meanHandleTimeSec: 60 } },
        agents: {
          Ann: { id: 2, nickname: 'Ann', chatState: 'Online', maxChats: 2, activeChats: 0, skills: ['Sales'] },
          Bob: { id: 1, nickname: 'Bob', chatState: 'Away', maxChats: 1, activeChats: 0, skills: ['Support'] }
        },
        sessions: {}
      }
    }
  })
  t.equal((world.account('1') as Account).agentSlots('Ann'), 2)
  t.strictSame(parseScenarioDocument(document, 'again').document, document, 'it loads as it is')
})

/** The examples of docs/scenarios.md: files (`name.json`: then a json block) and what start-up prints for some. */
function docExamples (): { files: Map<string, unknown>, runs: Array<[string, string]> } {
  const text = readFileSync(join(packageRoot, 'docs', 'scenarios.md'), 'utf8')
  const files = new Map([...text.matchAll(/^`([\w-]+\.json)`:\n\n```json\n([\s\S]*?)```/gm)].map((m) => [m[1] as string, JSON.parse(m[2] as string)]))
  const runs = [...text.matchAll(/^```console\n\$ npm start -- --scenario \.\/([\w-]+\.json)\n([\s\S]*?)```/gm)].map((m) => [m[1], m[2]] as [string, string])
  return { files, runs }
}

t.test('docs/scenarios.md: its examples load as it says, and its listings are what start-up prints', async (t) => {
  const { files, runs } = docExamples()
  t.strictSame([...files.keys()], ['minimal.json', 'contact-centre.json', 'first.json', 'second.json'])

  const minimal = parseScenarioDocument(files.get('minimal.json'), 'minimal.json')
  const one = minimal.world.account('1') as Account
  t.strictSame(one.agentList(), [{ loginName: 'Ann', id: 1, nickname: 'Ann', chatState: 'Online', maxChats: 2, activeChats: 0, skills: ['Sales'] }])
  t.strictSame([one.agentSlots('Ann'), one.skillSlots('Sales', 0), one.accountSlots(0)], [2, 2, 2])
  t.strictSame([...minimal.world.loginOf('c9224a7855f017bd79727bff43bd36f9c1df0d682ca45ad36dfbb0a80da6db0d')?.sessions.keys() ?? []], ['sessAnn'])

  const longer = parseScenarioDocument(files.get('contact-centre.json'), 'contact-centre.json')
  const centre = longer.world.account('20000001') as Account
  t.strictSame(centre.skillList().map((s) => [s.name, s.id]), [['Sales', 10], ['Support', 20], ['Billing', 1]])
  t.strictSame(centre.agentList().map((a) => [a.loginName, a.id, a.nickname]), [['Ava', 2, 'Ava R.'], ['Ben', 3, 'Ben'], ['Cleo', 4, 'Cleo'], ['Dan', 1, 'Dan']])
  const slots = (skill: string, wait: number): number | undefined => centre.skillSlots(skill, wait, longer.world.estimator)
  t.strictSame([slots('Sales', 0), slots('Sales', 300), slots('Support', 0), slots('Support', 86400), slots('Billing', 0)], [2, 3, 0, 0, -1])
  t.strictSame(centre.startChat('Sales'), { id: 'chat-3', skill: 'Sales', agent: 'Ava' })

  t.strictSame(runs.map(([file]) => file), ['first.json', 'second.json'])
  for (const [file, printed] of runs) t.equal(`error: ${refusal(files.get(file), file).message}\n`, printed, file)
})

t.test('fixtures/scenario.schema.json is written from the scenario schema, and checks scenarios on its own', async (t) => {
  const text = readFileSync(join(fixturesDir, 'scenario.schema.json'), 'utf8')
  t.equal(text, scenarioSchemaJson(), 'the file is current (npm run schemas writes it)')
  // As an editor or another tool would use it: one file, with nothing else registered.
  const standalone = new Ajv2020({ strict: true })
  addFormats.default(standalone, ['date-time'])
  const validate = standalone.compile(JSON.parse(text))
  for (const name of fixtureNames()) t.ok(validate(JSON.parse(readFileSync(join(fixturesDir, `${name}.json`), 'utf8'))), name)
  t.notOk(validate({ description: 'x', accounts: { 1: { skills: {}, agents: { Bo: { chatState: 'Busy', maxChats: 1, skills: ['A'] } } } } }))
  t.equal(standalone.errorsText(validate.errors), 'data/accounts/1/agents/Bo/chatState must be equal to one of the allowed values')
})
