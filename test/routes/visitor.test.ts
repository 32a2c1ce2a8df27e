/**
 * The visitor side (a chat button on a website, with the account's app key): GET /api/account/{accountId}/chat/availability,
 * …/chat/availableSlots and …/chat/estimatedWaitTime. Covers the app-key check (header or query; 401 with its
 * WWW-Authenticate challenge), availability with and without maxWaitTime, availableSlots answering exactly as the
 * agent side does, estimatedWaitTime against values worked out by hand from the estimator's formula, JSON and XML,
 * the key masked in the journal and the log, 406, and faults injected on the visitor routes.
 */
import type { FastifyRequest } from 'fastify'
import t, { type Test } from 'tap'
import { requestForLog } from '../../src/logger.js'
import {
  bearer, build, DEFAULT, JSON_TYPE, jsonError, NOW_ISO, slotsUrl, TEXT_XML_TYPE, XML_TYPE, xmlError, type Simulator
} from '../helpers/app.js'

const { account, john } = DEFAULT
const APP_KEY = '5ccd8aaa1646eb9da7bc166d349a1502'
const asVisitor = { authorization: `LivePerson appKey=${APP_KEY}` }
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>'

/** The multi-tenant scenario's accounts and keys. */
const TENANT = { one: ['50000001', '76962e955286f83dd0251a2930315686'], two: ['50000002', 'e36cef131ef76b2c24a7a837acf3fe49'] } as const
const AFTER_HOURS = ['40000001', 'ddf1668fdc76f1c0f610841548a0f750'] as const
const UNLIMITED = ['30000001', 'f9447eebb2f0a4b33b637499302b5e43'] as const
const NORA = { session: 'sessNora', bearer: '36e1f9e7820d715ff98607078c3879b7f5836ab9c7465af9006506213d057536' }

type Route = 'availability' | 'availableSlots' | 'estimatedWaitTime'
const ROUTES: Route[] = ['availability', 'availableSlots', 'estimatedWaitTime']

/** A visitor URL, with an optional query, suffix and account. */
const visitorUrl = (route: Route, query = 'v=1', suffix = '', acc = account): string =>
  `/api/account/${acc}/chat/${route}${suffix}${query === '' ? '' : `?${query}`}`

const HOW = "send 'Authorization: LivePerson appKey=<key>' or appKey=<key> in the query, with a key of the account (its appKeys in the scenario)"
const HOW_XML = 'send &apos;Authorization: LivePerson appKey=&lt;key&gt;&apos; or appKey=&lt;key&gt; in the query, with a key of the account (its appKeys in the scenario)'
const MISSING = `missing app key; ${HOW}`
const MALFORMED = `malformed Authorization header; ${HOW}`
const notTheAccounts = (acc: string): string => `the app key is not one of account ${acc}'s; ${HOW}`
/** The challenge of a 401 when no credential was sent, and when one was sent and refused. */
const CHALLENGE = 'LivePerson realm="visitor"'
const REFUSED = `${CHALLENGE}, error="invalid_token"`

const unknownSkill = (skill: string, acc = account): string =>
  `skill '${skill}' does not exist in account ${acc}; skill names are case-sensitive`
const unknownAgent = (agent: string): string => `agent '${agent}' does not exist in account ${account}; login names are case-sensitive`
const AGENT_ALONE = "parameter 'agent' cannot be used with 'skill' or 'maxWaitTime'; ask for an agent alone, or for a skill and/or a wait"
const NO_AGENT = "estimatedWaitTime cannot be asked for one agent; leave out 'agent' (ask chat/availability?agent= instead)"

/** Sends a request and checks its status, Content-Type and exact body. */
async function expectAnswer (t: Test, sim: Pick<Simulator, 'request'>, url: string, headers: Record<string, string>,
  status: number, type: string, body: string): Promise<Record<string, unknown>> {
  const res = await sim.request({ url, headers })
  const label = `${url} ${JSON.stringify(headers)}`
  t.equal(res.statusCode, status, label)
  t.equal(res.headers['content-type'], type, label)
  t.equal(res.body, body, label)
  return res.headers
}

/** A 401 of the visitor side: internalCode 13, its message, and the challenge. */
async function expectRefused (t: Test, sim: Pick<Simulator, 'request'>, url: string, headers: Record<string, string>,
  message: string, challenge: string): Promise<void> {
  const got = await expectAnswer(t, sim, url, headers, 401, JSON_TYPE, jsonError(13, message))
  t.equal(got['www-authenticate'], challenge, `the challenge of ${url} ${JSON.stringify(headers)}`)
}

async function patchAgent (t: Test, sim: Pick<Simulator, 'request'>, name: string, patch: Record<string, unknown>): Promise<void> {
  const res = await sim.request({ method: 'PATCH', url: `/__admin/accounts/${account}/agents/${name}`, payload: patch })
  t.equal(res.statusCode, 200, `PATCH ${name} ${JSON.stringify(patch)}`)
}

async function putAgent (t: Test, sim: Pick<Simulator, 'request'>, name: string, agent: Record<string, unknown>): Promise<void> {
  const res = await sim.request({ method: 'PUT', url: `/__admin/accounts/${account}/agents/${name}`, payload: agent })
  t.equal(res.statusCode, 200, `PUT ${name} ${JSON.stringify(agent)}`)
  t.equal(res.body, JSON.stringify(agent))
}

/** John of the default scenario, every field, with maxChats 0: Online, but he takes no chat. */
const JOHN_TAKES_NONE = {
  id: 1, nickname: 'John S.', chatState: 'Online', maxChats: 0, activeChats: 0, skills: ['Sales', 'Support'], password: 'john123'
}

// 1. The app key

t.test('app key: missing, malformed or wrong is a 401 with the visitor challenge, on every route', async (t) => {
  const sim = await build(t)
  const wrong = 'ffffffffffffffffffffffffffffffff'
  const cases: Array<[Record<string, string>, string, string, string]> = [
    // headers, query, message, WWW-Authenticate
    [{}, 'v=1', MISSING, CHALLENGE],
    [{ authorization: '' }, 'v=1', MISSING, CHALLENGE],
    [{ authorization: 'Bearer xyz' }, 'v=1', MALFORMED, REFUSED],
    [bearer(john.bearer), 'v=1', MALFORMED, REFUSED], // an agent's bearer is no app key
    [{ authorization: APP_KEY }, 'v=1', MALFORMED, REFUSED],
    [{ authorization: 'LivePerson' }, 'v=1', MALFORMED, REFUSED],
    [{ authorization: 'LivePerson appKey=' }, 'v=1', MALFORMED, REFUSED],
    [{ authorization: `LivePerson key=${APP_KEY}` }, 'v=1', MALFORMED, REFUSED],
    [{ authorization: `LivePerson appKey=${APP_KEY} extra` }, 'v=1', MALFORMED, REFUSED],
    [{ authorization: `LivePerson appKey=${wrong}` }, 'v=1', notTheAccounts(account), REFUSED],
    [{ authorization: `LivePerson appKey=${APP_KEY.toUpperCase()}` }, 'v=1', notTheAccounts(account), REFUSED], // keys are case-sensitive
    [{ authorization: `LivePerson appKey=${APP_KEY.slice(0, -1)}` }, 'v=1', notTheAccounts(account), REFUSED],
    // The header's key is the one checked, even when the query has the right one.
    [{ authorization: `LivePerson appKey=${wrong}` }, `appKey=${APP_KEY}&v=1`, notTheAccounts(account), REFUSED],
    // A key sent in the query is a credential too (openapi.yaml: `, error="invalid_token"` when a credential was sent).
    [{}, `appKey=${wrong}&v=1`, notTheAccounts(account), REFUSED],
    [{}, `appKey=${APP_KEY}&appKey=${APP_KEY}&v=1`, "parameter 'appKey' is given 2 times; give it once", REFUSED]
  ]
  for (const route of ROUTES) {
    for (const [headers, query, message, challenge] of cases) {
      await expectRefused(t, sim, visitorUrl(route, query), headers, message, challenge)
    }
  }
})

t.test('app key: accepted in the header (scheme and name case-insensitive) or in the query', async (t) => {
  const sim = await build(t)
  const accepted: Array<[Record<string, string>, string]> = [
    [asVisitor, 'v=1'],
    [{ authorization: `liveperson APPKEY=${APP_KEY}` }, 'v=1'],
    [{ authorization: `LIVEPERSON   appkey=${APP_KEY}` }, 'v=1'],
    [{}, `appKey=${APP_KEY}&v=1`],
    [{}, `v=1&appKey=${APP_KEY}`],
    [{}, `v=1&%61ppKey=${APP_KEY}`], // a percent-encoded name is the same parameter
    [{ authorization: '' }, `appKey=${APP_KEY}&v=1`],
    // A header that is not an app key leaves the query's key to be checked.
    [{ authorization: 'Bearer xyz' }, `appKey=${APP_KEY}&v=1`]
  ]
  for (const [headers, query] of accepted) {
    await expectAnswer(t, sim, visitorUrl('availability', query), headers, 200, JSON_TYPE, '{"availability":true}')
    await expectAnswer(t, sim, visitorUrl('availableSlots', query), headers, 200, JSON_TYPE, '{"availableSlots":3}')
    await expectAnswer(t, sim, visitorUrl('estimatedWaitTime', query), headers, 200, JSON_TYPE, '{"estimatedWaitTime":0}')
  }
})

t.test('app key: another account\'s key, or an unknown account, is a 401 (not a 404)', async (t) => {
  const tenants = await build(t, 'multi-tenant')
  const [one, oneKey] = TENANT.one
  const [two, twoKey] = TENANT.two
  const key = (k: string): Record<string, string> => ({ authorization: `LivePerson appKey=${k}` })
  // Each tenant's own key works on its own account…
  await expectAnswer(t, tenants, visitorUrl('availableSlots', 'v=1', '', one), key(oneKey), 200, JSON_TYPE, '{"availableSlots":3}')
  await expectAnswer(t, tenants, visitorUrl('availableSlots', 'v=1', '', two), key(twoKey), 200, JSON_TYPE, '{"availableSlots":0}')
  // …and on no other.
  for (const route of ROUTES) {
    await expectRefused(t, tenants, visitorUrl(route, 'v=1', '', two), key(oneKey), notTheAccounts(two), REFUSED)
    await expectRefused(t, tenants, visitorUrl(route, 'v=1', '', one), key(twoKey), notTheAccounts(one), REFUSED)
    await expectRefused(t, tenants, visitorUrl(route, 'v=1', '', '12345678'), asVisitor, notTheAccounts('12345678'), REFUSED)
  }

  const sim = await build(t)
  for (const route of ROUTES) {
    await expectRefused(t, sim, visitorUrl(route, 'v=1', '', '99999999'), asVisitor, notTheAccounts('99999999'), REFUSED)
    await expectRefused(t, sim, visitorUrl(route, 'v=1&skill=Nope', '', '87654321'), {}, MISSING, CHALLENGE)
  }
})

t.test('app key: the 401 in XML, by suffix or by Accept', async (t) => {
  const sim = await build(t)
  const bySuffix = await expectAnswer(t, sim, visitorUrl('availability', 'v=1', '.xml'), {}, 401, XML_TYPE,
    xmlError(13, `missing app key; ${HOW_XML}`))
  t.equal(bySuffix['www-authenticate'], CHALLENGE)
  const byAccept = await expectAnswer(t, sim, visitorUrl('estimatedWaitTime'), { authorization: 'LivePerson appKey=nope', accept: 'text/xml' },
    401, TEXT_XML_TYPE, xmlError(13, `the app key is not one of account ${account}&apos;s; ${HOW_XML}`))
  t.equal(byAccept['www-authenticate'], REFUSED)
  t.equal(byAccept.vary, 'Origin, Accept', 'CORS, then the negotiation')
})

t.test('the order of checks: 406 → 401 → 400 → 404', async (t) => {
  const sim = await build(t)
  const notAcceptable = "none of the media types in Accept 'text/html' can be served; this API answers in " +
    'application/json, application/xml, text/xml (or add .json or .xml to the path)'
  for (const route of ROUTES) {
    const everythingWrong = visitorUrl(route, 'v=2&skill=Nope')
    await expectAnswer(t, sim, everythingWrong, { authorization: 'Bearer x', accept: 'text/html' }, 406, JSON_TYPE, jsonError(41, notAcceptable))
    await expectRefused(t, sim, everythingWrong, { authorization: 'Bearer x' }, MALFORMED, REFUSED)
    await expectAnswer(t, sim, everythingWrong, asVisitor, 400, JSON_TYPE, jsonError(20, "v='2' is not supported; use v=1"))
    await expectAnswer(t, sim, visitorUrl(route, 'v=1&skill=Nope'), asVisitor, 404, JSON_TYPE, jsonError(30, unknownSkill('Nope')))
  }
})

// 2. chat/availability

t.test('availability in the default scenario', async (t) => {
  const sim = await build(t)
  const cases: Array<[string, boolean]> = [
    ['v=1', true], // John, Mary and Ravi are Online
    ['v=1&NC=true', true],
    // Without maxWaitTime: any Online agent of the skill, whatever the queue.
    ['v=1&skill=Support', true], // 2 queued for John's 2 free slots: availableSlots 0, yet John is Online
    ['v=1&skill=Sales', true],
    ['v=1&skill=Billing', true], // Ravi (Anna is Occupied)
    // With maxWaitTime: availableSlots for the same question is not 0.
    ['v=1&maxWaitTime=0', true], // 3 slots
    ['v=1&skill=Support&maxWaitTime=0', false], // F = 2, Q = 2: 0 slots
    ['v=1&skill=Support&maxWaitTime=3600', false], // impatient visitors: 0 whatever the wait
    ['v=1&skill=Sales&maxWaitTime=0', true], // 2 slots
    ['v=1&skill=Sales&maxWaitTime=300', true], // 4 slots
    // An agent: whether it is Online, whatever its free slots.
    ['v=1&agent=John', true],
    ['v=1&agent=Mary', true], // Online with both of her chats: availableSlots 0
    ['v=1&agent=Peter', false], // Away
    ['v=1&agent=Anna', false], // Occupied
    ['v=1&agent=Lena', false] // Offline
  ]
  for (const [query, available] of cases) {
    await expectAnswer(t, sim, visitorUrl('availability', query), asVisitor, 200, JSON_TYPE, `{"availability":${String(available)}}`)
  }
})

t.test('availability follows the agents\' states', async (t) => {
  const sim = await build(t)
  const ask = async (query: string, available: boolean): Promise<void> => {
    await expectAnswer(t, sim, visitorUrl('availability', query), asVisitor, 200, JSON_TYPE, `{"availability":${String(available)}}`)
  }
  await patchAgent(t, sim, 'John', { chatState: 'Away' })
  await ask('v=1&skill=Support', true) // Mary is still Online, though full
  await ask('v=1&skill=Sales', false) // Peter Away, Lena Offline
  await ask('v=1&agent=John', false)
  await patchAgent(t, sim, 'Mary', { chatState: 'Away' })
  await ask('v=1&skill=Support', false) // Anna is Occupied
  await ask('v=1', true) // Ravi
  await ask('v=1&maxWaitTime=0', true) // Ravi's 3 free slots, nothing queued for Billing; Support's 2 are counted: 3 − 2 = 1
  await patchAgent(t, sim, 'Ravi', { chatState: 'Offline' })
  await ask('v=1', false)
  await ask('v=1&maxWaitTime=86400', false)
  await patchAgent(t, sim, 'Peter', { chatState: 'Online' })
  await ask('v=1&skill=Sales', true)
  await ask('v=1&agent=Peter', true)
  await ask('v=1&skill=Sales&maxWaitTime=0', true) // Peter's 4 free slots
})

t.test('availability: bad queries and unknown names', async (t) => {
  const sim = await build(t)
  const cases: Array<[string, number, number, string]> = [
    ['', 400, 20, "parameter 'v' is required; use v=1"],
    ['skill=Sales', 400, 20, "parameter 'v' is required; use v=1"],
    ['v=2', 400, 20, "v='2' is not supported; use v=1"],
    ['v=1&agent=John&skill=Sales', 400, 20, AGENT_ALONE],
    ['v=1&agent=John&maxWaitTime=0', 400, 20, AGENT_ALONE],
    ['v=1&skill=Sa-les', 400, 20, "skill='Sa-les' is not a skill name; use letters and digits only (A-Z, a-z, 0-9)"],
    ['v=1&maxWaitTime=86401', 400, 20, "maxWaitTime='86401' is out of range; use a whole number of seconds from 0 to 86400, digits only"],
    ['v=1&skill=Sales&skill=Support', 400, 20, "parameter 'skill' is given 2 times; give it at most once"],
    ['v=1&skill=%ZZ', 400, 21, "malformed request: the query part 'skill=%ZZ' is not valid percent-encoding"],
    ['v=1&agent=Nobody', 404, 31, unknownAgent('Nobody')],
    ['v=1&agent=john', 404, 31, unknownAgent('john')],
    ['v=1&skill=Nope', 404, 30, unknownSkill('Nope')],
    ['v=1&skill=sales', 404, 30, unknownSkill('sales')],
    ['v=1&skill=Nope&maxWaitTime=0', 404, 30, unknownSkill('Nope')]
  ]
  for (const [query, status, code, message] of cases) {
    await expectAnswer(t, sim, visitorUrl('availability', query), asVisitor, status, JSON_TYPE, jsonError(code, message))
  }
  await expectAnswer(t, sim, visitorUrl('availability', 'v=1&skill=Nope', '.xml'), asVisitor, 404, XML_TYPE,
    xmlError(30, 'skill &apos;Nope&apos; does not exist in account 12345678; skill names are case-sensitive'))
  await expectAnswer(t, sim, visitorUrl('availability', 'v=1&agent=John&skill=Sales'), { ...asVisitor, accept: 'application/xml' }, 400, XML_TYPE,
    xmlError(20, 'parameter &apos;agent&apos; cannot be used with &apos;skill&apos; or &apos;maxWaitTime&apos;; ask for an agent alone, or for a skill and/or a wait'))
})

t.test('availability in JSON and XML', async (t) => {
  const sim = await build(t)
  const json = await expectAnswer(t, sim, visitorUrl('availability'), asVisitor, 200, JSON_TYPE, '{"availability":true}')
  t.equal(json.vary, 'Origin, Accept', 'the answer depends on the Origin (CORS) and on Accept')
  await expectAnswer(t, sim, visitorUrl('availability', 'v=1', '.json'), { ...asVisitor, accept: 'application/xml' }, 200, JSON_TYPE,
    '{"availability":true}')
  const xml = await expectAnswer(t, sim, visitorUrl('availability', 'v=1', '.xml'), asVisitor, 200, XML_TYPE,
    `${XML_HEAD}<availability>true</availability>`)
  t.equal(xml.vary, 'Origin', 'the suffix alone chooses the representation')
  await expectAnswer(t, sim, visitorUrl('availability', 'v=1&agent=Peter'), { ...asVisitor, accept: 'application/xml' }, 200, XML_TYPE,
    `${XML_HEAD}<availability>false</availability>`)
  await expectAnswer(t, sim, visitorUrl('availability', 'v=1&skill=Sales'), { ...asVisitor, accept: 'text/xml' }, 200, TEXT_XML_TYPE,
    `${XML_HEAD}<availability>true</availability>`)
  await expectAnswer(t, sim, visitorUrl('availability', 'v=1&skill=Support&maxWaitTime=0', '.xml'), asVisitor, 200, XML_TYPE,
    `${XML_HEAD}<availability>false</availability>`)
})

t.test('availability in the other scenarios', async (t) => {
  const afterHours = await build(t, 'after-hours')
  const [closed, closedKey] = AFTER_HOURS
  for (const query of ['v=1', 'v=1&skill=Support', 'v=1&skill=Sales&maxWaitTime=86400', 'v=1&agent=Ivy', 'v=1&agent=Kai']) {
    await expectAnswer(t, afterHours, visitorUrl('availability', `${query}&appKey=${closedKey}`, '', closed), {}, 200, JSON_TYPE,
      '{"availability":false}')
  }
  const unlimited = await build(t, 'unlimited')
  const [open, openKey] = UNLIMITED
  const cases: Array<[string, boolean]> = [
    ['v=1&skill=General&maxWaitTime=0', true], // Bot is unlimited: -1
    ['v=1&skill=VIP', true], // Nora is Online
    ['v=1&skill=VIP&maxWaitTime=0', false], // her one free slot goes to the one queued chat
    ['v=1&agent=Omar', false] // unlimited, but Away
  ]
  for (const [query, available] of cases) {
    await expectAnswer(t, unlimited, visitorUrl('availability', `${query}&appKey=${openKey}`, '', open), {}, 200, JSON_TYPE,
      `{"availability":${String(available)}}`)
  }
})

// 3. chat/availableSlots

/** Queries asked of both sides: the visitor's answer must be the agent side's, status, type and body. */
const SLOT_QUERIES = [
  'v=1', 'v=1&NC=true', 'v=1&maxWaitTime=0', 'v=1&maxWaitTime=120', 'v=1&maxWaitTime=600', 'v=1&maxWaitTime=86400',
  'v=1&skill=Sales', 'v=1&skill=Support', 'v=1&skill=Billing', 'v=1&skill=Sales&maxWaitTime=0', 'v=1&skill=Sales&maxWaitTime=300',
  'v=1&skill=Support&maxWaitTime=3600', 'v=1&skill=Billing&maxWaitTime=900', 'v=1&agent=John', 'v=1&agent=Mary',
  'v=1&agent=Ravi', 'v=1&agent=Peter', 'v=1&agent=Anna',
  // The errors are the same too.
  'v=1&skill=Nope', 'v=1&agent=Nobody', 'v=1&agent=John&skill=Sales', 'v=2', '', 'v=1&maxWaitTime=86401', 'v=1&skill=%ZZ'
]

async function compareSides (t: Test, sim: Simulator, label: string, agentSide = { acc: account, session: john.session, token: john.bearer },
  visitor: Record<string, string> = asVisitor): Promise<void> {
  for (const query of SLOT_QUERIES) {
    for (const [suffix, accept] of [['', undefined], ['.xml', undefined], ['', 'text/xml']] as const) {
      const extra = accept === undefined ? {} : { accept }
      const agentRes = await sim.request({ url: slotsUrl(agentSide.acc, agentSide.session, query, suffix), headers: { ...bearer(agentSide.token), ...extra } })
      const visitorRes = await sim.request({ url: visitorUrl('availableSlots', query, suffix, agentSide.acc), headers: { ...visitor, ...extra } })
      const what = `${label}: ${query}${suffix}${accept === undefined ? '' : ` (${accept})`}`
      t.equal(visitorRes.statusCode, agentRes.statusCode, what)
      t.equal(visitorRes.headers['content-type'], agentRes.headers['content-type'], what)
      t.equal(visitorRes.body, agentRes.body, what)
    }
  }
}

t.test('availableSlots: the agent side\'s answer, for every question and state', async (t) => {
  const sim = await build(t)
  await compareSides(t, sim, 'default')
  await patchAgent(t, sim, 'Ravi', { chatState: 'Away' })
  await patchAgent(t, sim, 'Peter', { chatState: 'Online', activeChats: 3 })
  await compareSides(t, sim, 'Ravi Away, Peter Online with 3 chats')
  await putAgent(t, sim, 'John', JOHN_TAKES_NONE)
  await compareSides(t, sim, 'John takes no chat')

  const unlimited = await build(t, 'unlimited')
  await compareSides(t, unlimited, 'unlimited', { acc: UNLIMITED[0], session: NORA.session, token: NORA.bearer },
    { authorization: `LivePerson appKey=${UNLIMITED[1]}` })
})

t.test('availableSlots: exact answers', async (t) => {
  const sim = await build(t)
  const cases: Array<[string, number]> = [
    ['v=1', 3], // F = 2 (John) + 0 (Mary) + 3 (Ravi), Q = 2
    ['v=1&skill=Sales', 2],
    ['v=1&skill=Support', 0], // F = 2, Q = 2
    ['v=1&skill=Billing', 3],
    ['v=1&maxWaitTime=600', 12],
    ['v=1&skill=Sales&maxWaitTime=300', 4],
    ['v=1&agent=John', 2],
    ['v=1&agent=Mary', 0],
    ['v=1&agent=Peter', 0]
  ]
  for (const [query, slots] of cases) {
    await expectAnswer(t, sim, visitorUrl('availableSlots', query), asVisitor, 200, JSON_TYPE, `{"availableSlots":${slots}}`)
  }
  await expectAnswer(t, sim, visitorUrl('availableSlots', 'v=1&skill=Sales', '.xml'), asVisitor, 200, XML_TYPE,
    `${XML_HEAD}<availableSlots>2</availableSlots>`)
  await expectAnswer(t, sim, visitorUrl('availableSlots', 'v=1&agent=Ravi'), { ...asVisitor, accept: 'application/xml' }, 200, XML_TYPE,
    `${XML_HEAD}<availableSlots>3</availableSlots>`)
})

// 4. chat/estimatedWaitTime

t.test('estimatedWaitTime: worked out by hand in the default scenario', async (t) => {
  const sim = await build(t)
  const ask = async (query: string, seconds: number): Promise<void> => {
    await expectAnswer(t, sim, visitorUrl('estimatedWaitTime', query), asVisitor, 200, JSON_TYPE, `{"estimatedWaitTime":${seconds}}`)
  }
  // estimatedWait: 0 when F > Q (or an Online agent is unlimited); else round(Σ_{i=0..j} 1/(R + i·θ)) with
  // j = max(0, Q − F) chats ahead, R = S/h, θ = 1/meanPatienceSec (0 without patience, and for the whole account).
  await ask('v=1&skill=Sales', 0) // F = 2 (John's free slots) > Q = 0
  // Support: F = 2 (John; Mary is full, Anna Occupied), Q = 2, so j = 0; S = 3 (John) + 2 (Mary) = 5, h = 420:
  // R = 5/420; 1/R = 84.
  await ask('v=1&skill=Support', 84)
  await ask('v=1&NC=false&skill=Support', 84)
  await ask('v=1&skill=Support&maxWaitTime=600&agentX=1', 84) // parameters the route does not take are ignored
  await ask('v=1&skill=Billing', 0) // F = 3 (Ravi) > Q = 0
  await ask('v=1', 0) // the whole account: F = 2 + 0 + 3 = 5 > Q = 2

  await patchAgent(t, sim, 'Ravi', { chatState: 'Away' })
  // The whole account without Ravi: F = 2 (John), Q = 2, j = 0, no patience. Each Online agent's slots free up at
  // maxChats·n/H (n skills, H the sum of their handle times): John 3·2/(300 + 420) = 1/120, Mary 2·1/420 = 1/210;
  // R = 1/120 + 1/210 = 11/840, 1/R = 840/11 = 76.36 → 76.
  await ask('v=1', 76)
  await ask('v=1&skill=Billing', -1) // Anna is Occupied: nobody with Billing is Online

  await putAgent(t, sim, 'John', JOHN_TAKES_NONE)
  // Sales: John is its one Online agent and takes no chat: F = 0 = Q, S = 0, R = 0: cannot be estimated.
  await ask('v=1&skill=Sales', -2)
  // Support: F = 0, Q = 2, j = 2; S = 2 (Mary), R = 2/420 = 1/210, θ = 1/180:
  // 1/(1/210) + 1/(1/210 + 1/180) + 1/(1/210 + 2/180) = 210 + 1260/13 + 63 = 369.92 → 370.
  await ask('v=1&skill=Support', 370)
  // The whole account: F = 0, Q = 2, j = 2, no patience; R = 2/420 (Mary; John counts no slot): 3·210 = 630.
  await ask('v=1', 630)

  await patchAgent(t, sim, 'Mary', { chatState: 'Away' })
  await ask('v=1&skill=Support', -2) // John is Online for Support, with no slot
  await ask('v=1', -2)
  await patchAgent(t, sim, 'John', { chatState: 'Offline' })
  await ask('v=1&skill=Support', -1)
  await ask('v=1&skill=Sales', -1)
  await ask('v=1', -1) // nobody is Online at all
})

t.test('estimatedWaitTime in the other scenarios', async (t) => {
  const afterHours = await build(t, 'after-hours')
  const [closed, closedKey] = AFTER_HOURS
  for (const query of ['v=1', 'v=1&skill=Support', 'v=1&skill=Sales']) {
    await expectAnswer(t, afterHours, visitorUrl('estimatedWaitTime', query, '', closed), { authorization: `LivePerson appKey=${closedKey}` },
      200, JSON_TYPE, '{"estimatedWaitTime":-1}')
  }
  await expectAnswer(t, afterHours, visitorUrl('estimatedWaitTime', 'v=1&skill=Nope', '', closed), { authorization: `LivePerson appKey=${closedKey}` },
    404, JSON_TYPE, jsonError(30, unknownSkill('Nope', closed)))

  const unlimited = await build(t, 'unlimited')
  const [open, openKey] = UNLIMITED
  const cases: Array<[string, number]> = [
    ['v=1', 0], // Bot is unlimited
    ['v=1&skill=General', 0],
    // VIP: Omar (unlimited) is Away; Nora's F = 1, Q = 1, j = 0, S = 2, h = 600, no patience: 1/R = 600/2 = 300.
    ['v=1&skill=VIP', 300]
  ]
  for (const [query, seconds] of cases) {
    await expectAnswer(t, unlimited, visitorUrl('estimatedWaitTime', query, '', open), { authorization: `LivePerson appKey=${openKey}` },
      200, JSON_TYPE, `{"estimatedWaitTime":${seconds}}`)
  }
})

t.test('estimatedWaitTime: bad queries, one agent, unknown skill', async (t) => {
  const sim = await build(t)
  const cases: Array<[string, number, number, string]> = [
    ['', 400, 20, "parameter 'v' is required; use v=1"],
    ['skill=Support', 400, 20, "parameter 'v' is required; use v=1"],
    ['v=1.0', 400, 20, "v='1.0' is not supported; use v=1"],
    ['v=1&agent=John', 400, 20, NO_AGENT],
    ['v=1&agent=Nobody', 400, 20, NO_AGENT], // refused before any name is looked up
    ['v=1&skill=Support&agent=John', 400, 20, NO_AGENT],
    ['v=1&agent=John&agent=Mary', 400, 20, "parameter 'agent' is given 2 times; give it at most once"],
    ['v=1&skill=Support&skill=Sales', 400, 20, "parameter 'skill' is given 2 times; give it at most once"],
    ['v=1&skill=', 400, 20, "skill='' is not a skill name; use letters and digits only (A-Z, a-z, 0-9)"],
    ['v=1&skill=Sup%20port', 400, 20, "skill='Sup port' is not a skill name; use letters and digits only (A-Z, a-z, 0-9)"],
    ['v=1&NC=yes', 400, 20, "NC='yes' is not allowed; use NC=true or NC=false, or leave it out"],
    ['v=1&%ZZ', 400, 21, "malformed request: the query part '%ZZ' is not valid percent-encoding"],
    ['v=1&skill=Nope', 404, 30, unknownSkill('Nope')],
    ['v=1&skill=support', 404, 30, unknownSkill('support')],
    ['v=1&skill=constructor', 404, 30, unknownSkill('constructor')]
  ]
  for (const [query, status, code, message] of cases) {
    await expectAnswer(t, sim, visitorUrl('estimatedWaitTime', query), asVisitor, status, JSON_TYPE, jsonError(code, message))
  }
  await expectAnswer(t, sim, visitorUrl('estimatedWaitTime', 'v=1&agent=John', '.xml'), asVisitor, 400, XML_TYPE,
    xmlError(20, 'estimatedWaitTime cannot be asked for one agent; leave out &apos;agent&apos; (ask chat/availability?agent= instead)'))
})

t.test('estimatedWaitTime in JSON and XML', async (t) => {
  const sim = await build(t)
  await expectAnswer(t, sim, visitorUrl('estimatedWaitTime', 'v=1&skill=Support', '.json'), asVisitor, 200, JSON_TYPE, '{"estimatedWaitTime":84}')
  await expectAnswer(t, sim, visitorUrl('estimatedWaitTime', 'v=1&skill=Support', '.xml'), asVisitor, 200, XML_TYPE,
    `${XML_HEAD}<estimatedWaitTime>84</estimatedWaitTime>`)
  await expectAnswer(t, sim, visitorUrl('estimatedWaitTime', 'v=1&skill=Support'), { ...asVisitor, accept: 'application/xml' }, 200, XML_TYPE,
    `${XML_HEAD}<estimatedWaitTime>84</estimatedWaitTime>`)
  await expectAnswer(t, sim, visitorUrl('estimatedWaitTime', 'v=1&skill=Sales'), { ...asVisitor, accept: 'text/xml' }, 200, TEXT_XML_TYPE,
    `${XML_HEAD}<estimatedWaitTime>0</estimatedWaitTime>`)
  await patchAgent(t, sim, 'Ravi', { chatState: 'Away' })
  await expectAnswer(t, sim, visitorUrl('estimatedWaitTime', 'v=1&skill=Billing', '.xml'), asVisitor, 200, XML_TYPE,
    `${XML_HEAD}<estimatedWaitTime>-1</estimatedWaitTime>`)
})

// 5. The key is masked in the journal and the log

t.test('the journal masks the app key, in the query and in Authorization', async (t) => {
  const sim = await build(t)
  const path = `/api/account/${account}/chat/availability`
  await expectAnswer(t, sim, `${path}?appKey=${APP_KEY}&v=1`, {}, 200, JSON_TYPE, '{"availability":true}')
  await expectAnswer(t, sim, `${path}?v=1&skill=Sales`, asVisitor, 200, JSON_TYPE, '{"availability":true}')
  await expectRefused(t, sim, `${path}?APPKEY=${APP_KEY}&v=1`, {}, MISSING, CHALLENGE) // names are case-sensitive, the masking is not
  // The same parameter with a percent-encoded name: accepted, so it must be masked as well.
  await expectAnswer(t, sim, `${path}?%61ppKey=${APP_KEY}&v=1`, {}, 200, JSON_TYPE, '{"availability":true}')

  const res = await sim.request({ url: '/__admin/requests' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], JSON_TYPE)
  t.notMatch(res.body, APP_KEY.slice(4), 'the key never shows beyond its first 4 characters')
  const listed = JSON.parse(res.body) as { requests: Array<Record<string, unknown>> }
  for (const entry of listed.requests) {
    t.type(entry.durationMs, 'number')
    entry.durationMs = 0
  }
  const injected = { 'user-agent': 'lightMyRequest', host: 'localhost:80' }
  const entry = (id: number, query: Record<string, string>, headers: Record<string, string>, status: number): Record<string, unknown> =>
    ({ id, time: NOW_ISO, method: 'GET', path, query, headers, status, durationMs: 0, account })
  t.strictSame(listed, {
    requests: [
      entry(1, { appKey: '…', v: '1' }, injected, 200),
      entry(2, { v: '1', skill: 'Sales' }, { authorization: 'LivePerson appK…', ...injected }, 200),
      entry(3, { APPKEY: '…', v: '1' }, injected, 401),
      entry(4, { appKey: '…', v: '1' }, injected, 200)
    ],
    matched: 4,
    dropped: 0,
    limit: 10000
  })
})

t.test('requestForLog masks the app key in the url', async (t) => {
  const logged = (url: string): Record<string, unknown> =>
    requestForLog({ method: 'GET', url, host: 'sim.example:8080', ip: '10.0.0.7', socket: { remotePort: 54321 } } as unknown as FastifyRequest)
  const path = `/api/account/${account}/chat/availableSlots`
  const cases: Array<[string, string]> = [
    [`${path}?appKey=${APP_KEY}&v=1`, `${path}?appKey=…&v=1`],
    [`${path}?v=1&appKey=${APP_KEY}&skill=Sales`, `${path}?v=1&appKey=…&skill=Sales`],
    [`${path}?v=1&APPKEY=${APP_KEY}`, `${path}?v=1&APPKEY=…`],
    [`${path}?appKey=${APP_KEY}&appKey=abc`, `${path}?appKey=…&appKey=…`],
    [`${path}?appKey=`, `${path}?appKey=…`],
    [`${path}?v=1&skill=Sales`, `${path}?v=1&skill=Sales`],
    [`${path}?`, `${path}?`],
    [path, path],
    // The visitor side takes the key under a percent-encoded name too: it must not reach the log.
    [`${path}?%61ppKey=${APP_KEY}&v=1`, `${path}?%61ppKey=…&v=1`]
  ]
  for (const [url, masked] of cases) {
    t.strictSame(logged(url), { method: 'GET', url: masked, host: 'sim.example:8080', remoteAddress: '10.0.0.7', remotePort: 54321 }, url)
  }
})

// 6. 406 and faults

t.test('nothing acceptable: 406 in JSON, before the app key is checked', async (t) => {
  const sim = await build(t)
  const message = "none of the media types in Accept 'text/html' can be served; this API answers in " +
    'application/json, application/xml, text/xml (or add .json or .xml to the path)'
  for (const route of ROUTES) {
    for (const headers of [{ ...asVisitor, accept: 'text/html' }, { accept: 'text/html' }]) {
      const got = await expectAnswer(t, sim, visitorUrl(route, 'v=1&skill=Support'), headers, 406, JSON_TYPE, jsonError(41, message))
      t.equal(got['www-authenticate'], undefined, `${route}: no challenge with a 406`)
      t.equal(got.vary, 'Origin, Accept')
    }
  }
})

t.test('faults injected with POST /__admin/faults apply to the visitor routes', async (t) => {
  const sim = await build(t)
  const addFault = async (spec: Record<string, unknown>, id: string): Promise<void> => {
    const res = await sim.request({ method: 'POST', url: '/__admin/faults', payload: spec })
    t.equal(res.statusCode, 201, JSON.stringify(spec))
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, JSON.stringify({ ...spec, id, fired: 0 }))
  }
  // `*` matches any run of characters: every visitor route of any account, with or without a suffix.
  await addFault({ match: { path: '/api/account/*/chat/availability*' }, effect: { type: 'error', status: 503 }, count: 2 }, 'fault-1')
  await expectAnswer(t, sim, visitorUrl('availability'), asVisitor, 503, JSON_TYPE, jsonError(60, 'fault fault-1 injected by the simulator: 503'))
  await expectAnswer(t, sim, visitorUrl('availability', 'v=1', '.xml'), asVisitor, 503, XML_TYPE,
    xmlError(60, 'fault fault-1 injected by the simulator: 503'))
  await expectAnswer(t, sim, visitorUrl('availableSlots'), asVisitor, 200, JSON_TYPE, '{"availableSlots":3}') // another path
  await expectAnswer(t, sim, visitorUrl('availability'), asVisitor, 200, JSON_TYPE, '{"availability":true}') // spent after 2

  await addFault({
    match: { account, method: 'GET', path: '*/chat/estimatedWaitTime' }, effect: { type: 'error', status: 429, message: "slow down; 'soon' <1 min>" }
  }, 'fault-2')
  await expectAnswer(t, sim, visitorUrl('estimatedWaitTime', 'v=1&skill=Support'), asVisitor, 429, JSON_TYPE,
    jsonError(60, "slow down; 'soon' <1 min>"))
  await expectAnswer(t, sim, visitorUrl('estimatedWaitTime', 'v=1&skill=Support'), { ...asVisitor, accept: 'application/xml' }, 429, XML_TYPE,
    xmlError(60, 'slow down; &apos;soon&apos; &lt;1 min&gt;'))
  // Neither the .xml path nor another route.
  await expectAnswer(t, sim, visitorUrl('estimatedWaitTime', 'v=1&skill=Support', '.xml'), asVisitor, 200, XML_TYPE,
    `${XML_HEAD}<estimatedWaitTime>84</estimatedWaitTime>`)
  await expectAnswer(t, sim, visitorUrl('availability', 'v=1&skill=Support'), asVisitor, 200, JSON_TYPE, '{"availability":true}')

  const listed = await sim.request({ url: '/__admin/faults' })
  t.equal(listed.statusCode, 200)
  t.equal(listed.body, JSON.stringify({
    seed: 1,
    faults: [{
      match: { account, method: 'GET', path: '*/chat/estimatedWaitTime' },
      effect: { type: 'error', status: 429, message: "slow down; 'soon' <1 min>" },
      id: 'fault-2',
      fired: 2
    }]
  }), 'fault-1 is gone once spent; fault-2 fired twice')
})
