/**
 * The Login Service: POST /api/account/{accountId}/login (credentials → bearer and csrf, valid 8 hours on the
 * simulator's clock), …/refresh (8 more hours from now) and …/logout (the bearer is refused from then on). Checked:
 * the exact answers in JSON and XML, the order of refusals (406 → 400 query → 400/413/415 body → 401), the bearer's
 * lifetime on the frozen clock, tenants kept apart, and the journal never keeping a password.
 */
import t, { type Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { bearer, build, DEFAULT, JSON_TYPE, jsonError, loginAnswer, NOW, slotsUrl, XML_TYPE, xmlError, type Simulator } from '../helpers/app.js'

const { account } = DEFAULT
const LOGIN = `/api/account/${account}/login`
const LOGOUT = `/api/account/${account}/logout`
const REFRESH = `/api/account/${account}/refresh`
const SESSIONS = `/api/account/${account}/agentSession`
const JOHN = { username: 'John', password: 'john123' }

const HOUR = 3_600_000
const TTL = 8 * HOUR
const HEX64 = /^[0-9a-f]{64}$/
const WSUK = /^[0-9]{10}$/

const HOW = "send 'Authorization: Bearer <token>' with the bearer of a login (POST /api/account/{accountId}/login)"
const NOT_RECOGNISED = `the bearer token is not recognised; ${HOW}`
const WRONG = 'the username or password is wrong, or the account has no such agent (invalid site or agent); agents log in with ' +
  'the password the scenario gives them (README: "As your client does it")'
const CSRF_INVALID = 'CSRF token invalid! The CSRF token on request does not match the CSRF token on the session'
const EXAMPLE = '{"username": "John", "password": "…"}'
const CHALLENGE = 'Bearer realm="agent session"'
const INVALID_TOKEN = 'Bearer realm="agent session", error="invalid_token"'

const iso = (time: number): string => new Date(time).toISOString()

/** The error body at `ms` after NOW (the error's `time` is the simulator's clock). */
const jsonErrorAt = (ms: number, internalCode: number, message: string): string =>
  JSON.stringify({ error: { time: iso(NOW + ms), message, internalCode } })

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

interface LoginAnswer { bearer: string, csrf: string, wsuk: string }

/** Checks a JSON login answer exactly (its random parts by pattern) and returns it. */
function expectLogin (t: Test, res: LightMyRequestResponse, loginName: string, userId: string, accountId = account, time = NOW): LoginAnswer {
  t.equal(res.statusCode, 200, `login of ${loginName}`)
  t.equal(res.headers['content-type'], JSON_TYPE)
  const answer = JSON.parse(res.body) as LoginAnswer
  t.match(answer.bearer, HEX64)
  t.match(answer.csrf, HEX64)
  t.match(answer.wsuk, WSUK)
  t.not(answer.bearer, answer.csrf, 'the bearer and the csrf are different tokens')
  t.strictSame(answer, loginAnswer(answer, loginName, userId, accountId, time))
  return answer
}

async function login (t: Test, sim: Simulator, credentials: object = JOHN, accountId = account): Promise<LoginAnswer> {
  const res = await sim.request({ method: 'POST', url: `/api/account/${accountId}/login?v=1.3`, payload: credentials })
  const { username } = credentials as { username: string }
  const ids: Record<string, string> = { John: '1', Mary: '2', Sam: accountId === '50000001' ? '51' : '61' }
  return expectLogin(t, res, username, ids[username] as string, accountId, NOW + elapsed(sim))
}

/** How far the test's clock has moved from NOW. */
const elapsed = (sim: Simulator): number => sim.clock.now() - NOW

/** POST …/agentSession with the bearer: its answer. */
const openSession = async (sim: Simulator, token: string, accountId = account): Promise<LightMyRequestResponse> =>
  await sim.request({ method: 'POST', url: `/api/account/${accountId}/agentSession?v=1`, headers: bearer(token), payload: { loginData: '' } })

/** Asserts that the bearer opens an agent session (201) and returns the session's id. */
async function expectBearerWorks (t: Test, sim: Simulator, token: string, what: string): Promise<string> {
  const res = await openSession(sim, token)
  t.equal(res.statusCode, 201, what)
  t.equal(res.headers['content-type'], JSON_TYPE, what)
  const location = String(res.headers.location)
  t.match(location, new RegExp(`^http://localhost:80${SESSIONS}/[0-9]{10}$`), what)
  t.equal(res.body, JSON.stringify({ agentSessionLocation: { link: { '@href': location, '@rel': 'location' } } }), what)
  return location.split('/').at(-1) as string
}

/** Asserts an exact 401 (internalCode 10) in JSON, with the challenge for a sent or an absent credential. */
function expect401 (t: Test, res: LightMyRequestResponse, message: string, { sent = false, at = 0, what = message } = {}): void {
  t.equal(res.statusCode, 401, what)
  t.equal(res.headers['content-type'], JSON_TYPE, what)
  t.equal(res.headers['www-authenticate'], sent ? INVALID_TOKEN : CHALLENGE, what)
  t.equal(res.body, jsonErrorAt(at, 10, message), what)
}

/** Asserts an exact error in JSON at NOW. */
function expectError (t: Test, res: LightMyRequestResponse, status: number, internalCode: number, message: string): void {
  t.equal(res.statusCode, status, message)
  t.equal(res.headers['content-type'], JSON_TYPE, message)
  t.equal(res.body, jsonError(internalCode, message), message)
}

/** Asserts the empty 200 of logout and refresh. */
function expectEmpty200 (t: Test, res: LightMyRequestResponse, what: string): void {
  t.equal(res.statusCode, 200, what)
  t.equal(res.body, '', what)
  t.equal(res.headers['content-type'], undefined, `${what}: no body, no type`)
}

// ---------------------------------------------------------------------------------------------------------------------
// Login: the answers

t.test('login: the right credentials give the full answer in JSON, by default and by the .json suffix', async (t) => {
  const sim = await build(t)
  const plain = expectLogin(t, await sim.request({ method: 'POST', url: `${LOGIN}?v=1.3`, payload: JOHN }), 'John', '1')
  const suffixed = expectLogin(t, await sim.request({
    method: 'POST', url: `${LOGIN}.json?v=1.3`, headers: { accept: 'application/xml' }, payload: JOHN
  }), 'John', '1')
  t.not(plain.bearer, suffixed.bearer, 'each login has a bearer of its own')
  t.not(plain.csrf, suffixed.csrf, 'and a csrf of its own')
  expectLogin(t, await sim.request({ method: 'POST', url: `${LOGIN}?v=1.2`, payload: { username: 'Mary', password: 'mary123' } }), 'Mary', '2')
  const charset = await sim.request({
    method: 'POST', url: `${LOGIN}?v=1.3`, headers: { 'content-type': 'Application/JSON; charset=utf-8' }, payload: JSON.stringify(JOHN)
  })
  expectLogin(t, charset, 'John', '1')
})

t.test('login: XML by Accept and by the .xml suffix, root <login>', async (t) => {
  const sim = await build(t)
  const xmlAnswer = ({ csrf, wsuk, bearer }: LoginAnswer): string => '<?xml version="1.0" encoding="UTF-8"?><login>' +
    `<csrf>${csrf}</csrf><wsuk>${wsuk}</wsuk>` +
    '<config><loginName>John</loginName><userId>1</userId><serverCurrentTime>' + String(NOW) + '</serverCurrentTime>' +
    '<timeDiff>0</timeDiff><serverTimeZoneName>UTC</serverTimeZoneName><serverTimeGMTDiff>0</serverTimeGMTDiff>' +
    '<isLPA>false</isLPA><isAdmin>false</isAdmin><accountTimeZoneId>UTC</accountTimeZoneId></config>' +
    '<csdsCollectionResponse>' +
    `<baseURIs><account>${account}</account><baseURI>localhost:80</baseURI><service>agentVep</service></baseURIs>` +
    `<baseURIs><account>${account}</account><baseURI>localhost:80</baseURI><service>conversationVep</service></baseURIs>` +
    '</csdsCollectionResponse>' +
    '<accountData><agentGroupsData><items><id>-1</id><deleted>false</deleted><name>Main Group</name></items>' +
    '<revision>1</revision></agentGroupsData></accountData>' +
    `<sessionTTl>28800000</sessionTTl><bearer>${bearer}</bearer></login>`
  for (const [url, headers] of [[`${LOGIN}?v=1.3`, { accept: 'application/xml' }], [`${LOGIN}.xml?v=1.3`, {}]] as const) {
    const res = await sim.request({ method: 'POST', url, headers, payload: JOHN })
    t.equal(res.statusCode, 200, url)
    t.equal(res.headers['content-type'], XML_TYPE, url)
    const random = /<csrf>([0-9a-f]{64})<\/csrf><wsuk>([0-9]{10})<\/wsuk>.*<bearer>([0-9a-f]{64})<\/bearer>/.exec(res.body)
    t.ok(random !== null, `${url}: csrf, wsuk and bearer in their form`)
    if (random === null) continue
    const [, csrf, wsuk, token] = random as unknown as [string, string, string, string]
    t.equal(res.body, xmlAnswer({ csrf, wsuk, bearer: token }), `${url}: exactly (no <userPrivileges>: an empty list has no element)`)
    await expectBearerWorks(t, sim, token, `${url}: the bearer of an XML answer works`)
  }
})

t.test('login: extra fields (an application login\'s appKey, secret) are ignored', async (t) => {
  const sim = await build(t)
  expectLogin(t, await sim.request({
    method: 'POST', url: `${LOGIN}?v=1.3`, payload: { ...JOHN, appKey: '5ccd8aaa1646eb9da7bc166d349a1502', secret: 's3cr3t', userId: 99 }
  }), 'John', '1')
})

// ---------------------------------------------------------------------------------------------------------------------
// Login: refusals

t.test('login: the version is required, 1.3 or 1.2', async (t) => {
  const sim = await build(t)
  const cases: Array<[string, string]> = [
    ['', "parameter 'v' is required; use v=1.3 or v=1.2"],
    ['?v=1', "v='1' is not supported; use v=1.3 or v=1.2"],
    ['?v=1.1', "v='1.1' is not supported; use v=1.3 or v=1.2"],
    ['?v=', "v='' is not supported; use v=1.3 or v=1.2"],
    ['?v=1.3&v=1.3', "parameter 'v' is given 2 times; give it at most once"]
  ]
  for (const [query, message] of cases) {
    expectError(t, await sim.request({ method: 'POST', url: `${LOGIN}${query}`, payload: JOHN }), 400, 20, message)
  }
})

t.test('login: wrong credentials, in every form, get one 401 with one message', async (t) => {
  const sim = await build(t)
  const zed = { id: 99, nickname: 'Zed', chatState: 'Online', maxChats: 1, activeChats: 0, skills: ['Sales'] }
  const added = await sim.request({ method: 'PUT', url: `/__admin/accounts/${account}/agents/Zed`, payload: zed })
  t.equal(added.statusCode, 201, 'Zed is added, without a password')
  t.strictSame(JSON.parse(added.body), zed)
  const cases: Array<[string, string, object]> = [
    ['a wrong password', account, { username: 'John', password: 'mary123' }],
    ['the password in another case', account, { username: 'John', password: 'JOHN123' }],
    ['a prefix of the password', account, { username: 'John', password: 'john12' }],
    ['the password with more', account, { username: 'John', password: 'john1234' }],
    ['the login name in another case', account, { username: 'john', password: 'john123' }],
    ['an unknown user', account, { username: 'Nobody', password: 'john123' }],
    ['an unknown user, with the NUL the comparison stands in with', account, { username: 'Nobody', password: '\u0000' }],
    ['an agent without a password', account, { username: 'Zed', password: 'zed123' }],
    ['an agent without a password, with NUL', account, { username: 'Zed', password: '\u0000' }],
    ['an unknown account', '99999999', JOHN],
    ['an account of letters', 'abc', JOHN]
  ]
  for (const [what, accountId, credentials] of cases) {
    const res = await sim.request({ method: 'POST', url: `/api/account/${accountId}/login?v=1.3`, payload: credentials })
    t.equal(res.statusCode, 401, what)
    t.equal(res.headers['content-type'], JSON_TYPE, what)
    t.equal(res.headers['www-authenticate'], CHALLENGE, what)
    t.equal(res.body, jsonError(10, WRONG), what)
  }
  const xml = await sim.request({ method: 'POST', url: `${LOGIN}.xml?v=1.3`, payload: { username: 'John', password: 'nope' } })
  t.equal(xml.statusCode, 401)
  t.equal(xml.headers['content-type'], XML_TYPE)
  t.equal(xml.body, xmlError(10, escapeXml(WRONG)), 'in XML, its quotes escaped')
})

t.test('login: the body — required, JSON only, valid, the fields of the schema, at most 16 KiB', async (t) => {
  const sim = await build(t)
  const post = async (payload: string | undefined, contentType?: string): Promise<LightMyRequestResponse> => await sim.request({
    method: 'POST',
    url: `${LOGIN}?v=1.3`,
    ...(contentType === undefined ? {} : { headers: { 'content-type': contentType } }),
    ...(payload === undefined ? {} : { payload })
  })
  const json = 'application/json'
  const required = `a body is required: send ${EXAMPLE} as JSON`
  expectError(t, await post(undefined), 400, 20, required)
  expectError(t, await post('', json), 400, 20, required)
  expectError(t, await post('{', json), 400, 21, 'malformed request: the body is not valid JSON')
  expectError(t, await post('{"username": "John", "password": "john123",}', json), 400, 21, 'malformed request: the body is not valid JSON')
  expectError(t, await post('<credentials><username>John</username><password>john123</password></credentials>', 'application/xml'),
    415, 21, "malformed request: a body of type 'application/xml' is not taken here; send application/json")
  expectError(t, await post('<username>John</username>', 'text/xml'),
    415, 21, "malformed request: a body of type 'text/xml' is not taken here; send application/json")
  expectError(t, await post('username=John&password=john123', 'application/x-www-form-urlencoded'),
    415, 21, "malformed request: a body of type 'application/x-www-form-urlencoded' is not taken here; send application/json")
  expectError(t, await post(JSON.stringify(JOHN), 'text/plain'),
    415, 21, "malformed request: a body of type 'text/plain' is not taken here; send application/json")
  const invalid: Array<[unknown, string]> = [
    [{ username: 'John' }, '$.password: is required'],
    [{ password: 'john123' }, '$.username: is required'],
    [{ username: 'John', password: '' }, '$.password: must NOT have fewer than 1 characters'],
    [{ username: 'John', password: 123 }, '$.password: must be string'],
    [{ username: 'x'.repeat(201), password: 'john123' }, '$.username: must NOT have more than 200 characters'],
    [[], '$: must be object'],
    [null, '$: must be object']
  ]
  for (const [body, problem] of invalid) {
    expectError(t, await post(JSON.stringify(body), json), 400, 20, `invalid body: ${problem}; send ${EXAMPLE}`)
  }

  // 16 KiB is taken (the extra field is ignored); a byte more is not.
  const padded = (bytes: number): string => {
    const bare = JSON.stringify({ ...JOHN, pad: '' })
    return JSON.stringify({ ...JOHN, pad: 'x'.repeat(bytes - bare.length) })
  }
  t.equal(Buffer.byteLength(padded(16 * 1024)), 16 * 1024)
  expectLogin(t, await post(padded(16 * 1024), json), 'John', '1')
  const over = await post(padded(16 * 1024 + 1), json)
  expectError(t, over, 413, 21, 'malformed request: the body is over 16 KiB, the most this route reads')
  const huge = await post(JSON.stringify({ ...JOHN, pad: 'x'.repeat(100_000) }), json)
  expectError(t, huge, 413, 21, 'malformed request: the body is over 16 KiB, the most this route reads')
})

t.test('login: the order of refusals is 406 → 400 (query) → 400 (body) → 401', async (t) => {
  const sim = await build(t)
  const accept406 = "none of the media types in Accept 'text/html' can be served; this API answers in " +
    'application/json, application/xml, text/xml (or add .json or .xml to the path)'
  const wrong = { username: 'John', password: 'wrong' }
  expectError(t, await sim.request({ method: 'POST', url: '/api/account/99999999/login', headers: { accept: 'text/html' }, payload: '{' }),
    406, 41, accept406)
  expectError(t, await sim.request({ method: 'POST', url: '/api/account/99999999/login', headers: { 'content-type': 'application/json' }, payload: '{' }),
    400, 20, "parameter 'v' is required; use v=1.3 or v=1.2")
  expectError(t, await sim.request({ method: 'POST', url: '/api/account/99999999/login?v=1.3', headers: { 'content-type': 'application/json' }, payload: '{' }),
    400, 21, 'malformed request: the body is not valid JSON')
  expect401(t, await sim.request({ method: 'POST', url: '/api/account/99999999/login?v=1.3', payload: wrong }), WRONG)
})

t.test('login, logout, refresh: 406 for an Accept none can serve, always in JSON', async (t) => {
  const sim = await build(t)
  for (const url of [`${LOGIN}?v=1.3`, LOGOUT, REFRESH]) {
    for (const accept of ['text/html', 'application/json;q=0']) {
      const res = await sim.request({ method: 'POST', url, headers: { accept }, payload: JOHN })
      expectError(t, res, 406, 41, `none of the media types in Accept '${accept}' can be served; this API answers in ` +
        'application/json, application/xml, text/xml (or add .json or .xml to the path)')
    }
  }
})

t.test('login, logout, refresh: 405 for another method, with Allow: POST', async (t) => {
  const sim = await build(t)
  for (const path of [LOGIN, `${LOGIN}.json`, `${LOGIN}.xml`, LOGOUT, REFRESH]) {
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const res = await sim.request({ method, url: `${path}?v=1.3` })
      t.equal(res.statusCode, 405, `${method} ${path}`)
      t.equal(res.headers.allow, 'POST', `${method} ${path}`)
      t.equal(res.headers['content-type'], path.endsWith('.xml') ? XML_TYPE : JSON_TYPE, `${method} ${path}`)
      const message = `method ${method} is not allowed here; this resource allows POST`
      t.equal(res.body, path.endsWith('.xml') ? xmlError(40, message) : jsonError(40, message), `${method} ${path}`)
    }
  }
})

// ---------------------------------------------------------------------------------------------------------------------
// The bearer of a login, on the simulator's clock

t.test('the bearer opens agent sessions for 8 hours, then expires', async (t) => {
  const sim = await build(t)
  const { bearer: token } = await login(t, sim)
  await expectBearerWorks(t, sim, token, 'at once')
  sim.clock.advance(TTL - 1)
  await expectBearerWorks(t, sim, token, 'a millisecond before 8 hours')
  sim.clock.advance(1)
  t.equal(elapsed(sim), 28_800_000)
  const expired = await openSession(sim, token)
  expect401(t, expired, `the bearer token expired at ${iso(NOW + 28_800_000)}; log in again`, { sent: true, at: TTL })
  t.equal(iso(NOW + 28_800_000), '2026-06-01T20:00:00.000Z')
})

t.test('an expired login\'s sessions are refused too; a new login works again', async (t) => {
  const sim = await build(t)
  const { bearer: token } = await login(t, sim)
  const id = await expectBearerWorks(t, sim, token, 'a session is opened')
  const url = `${SESSIONS}/${id}?v=1`
  const fresh = await sim.request({ url, headers: bearer(token) })
  t.equal(fresh.statusCode, 200, 'the session answers')
  // The session is kept alive by a call every 5 minutes (it ends after 400 s without one), until the login expires.
  let answered = 0
  while (elapsed(sim) + 300_000 < TTL) {
    sim.clock.advance(300_000)
    if ((await sim.request({ url, headers: bearer(token) })).statusCode === 200) answered++
  }
  t.equal(answered, 95, 'every call of the 8 hours is answered')
  sim.clock.advance(TTL - elapsed(sim))
  expect401(t, await sim.request({ url, headers: bearer(token) }), `the bearer token expired at ${iso(NOW + TTL)}; log in again`,
    { sent: true, at: TTL })
  const again = await login(t, sim)
  t.not(again.bearer, token)
  await expectBearerWorks(t, sim, again.bearer, 'the new login opens sessions')
})

// ---------------------------------------------------------------------------------------------------------------------
// Refresh

t.test('refresh: 200 with no body; the login is valid for 8 hours from the refresh', async (t) => {
  const sim = await build(t)
  const { bearer: token, csrf } = await login(t, sim)
  sim.clock.advance(7 * HOUR)
  expectEmpty200(t, await sim.request({ method: 'POST', url: REFRESH, payload: { csrf } }), 'refresh at 7 h')
  sim.clock.advance(2 * HOUR)
  await expectBearerWorks(t, sim, token, '9 h after the login, 2 h after the refresh')
  sim.clock.advance(6 * HOUR - 1)
  await expectBearerWorks(t, sim, token, 'a millisecond before 8 h after the refresh')
  sim.clock.advance(1)
  t.equal(elapsed(sim), 15 * HOUR)
  expect401(t, await openSession(sim, token), `the bearer token expired at ${iso(NOW + 15 * HOUR)}; log in again`, { sent: true, at: 15 * HOUR })
})

t.test('refresh: the version may be left out, or be 1.3 or 1.2; suffixes answer the same', async (t) => {
  const sim = await build(t)
  const { csrf } = await login(t, sim)
  for (const url of [REFRESH, `${REFRESH}?v=1.3`, `${REFRESH}?v=1.2`, `${REFRESH}.json`, `${REFRESH}.xml?v=1.3`]) {
    expectEmpty200(t, await sim.request({ method: 'POST', url, payload: { csrf } }), url)
  }
  expectError(t, await sim.request({ method: 'POST', url: `${REFRESH}?v=1`, payload: { csrf } }), 400, 20, "v='1' is not supported; use v=1.3 or v=1.2")
  expectError(t, await sim.request({ method: 'POST', url: `${LOGOUT}?v=1`, payload: { csrf } }), 400, 20, "v='1' is not supported; use v=1.3 or v=1.2")
})

t.test('refresh: a csrf that is not the login\'s, or a login that has expired, is refused', async (t) => {
  const sim = await build(t)
  const { csrf, bearer: token } = await login(t, sim)
  const wrongs: Array<[string, string]> = [
    ['an unknown csrf', '0'.repeat(64)],
    ['the csrf in capitals', csrf.toUpperCase()],
    ['the csrf cut short', csrf.slice(0, -1)],
    ['the bearer instead of the csrf', token],
    ['the scenario\'s bearer', DEFAULT.john.bearer]
  ]
  for (const [what, wrong] of wrongs) {
    expect401(t, await sim.request({ method: 'POST', url: REFRESH, payload: { csrf: wrong } }), CSRF_INVALID, { what })
  }
  const xml = await sim.request({ method: 'POST', url: `${REFRESH}.xml`, payload: { csrf: 'nope' } })
  t.equal(xml.statusCode, 401)
  t.equal(xml.headers['content-type'], XML_TYPE)
  t.equal(xml.body, xmlError(10, escapeXml(CSRF_INVALID)))
  expectError(t, await sim.request({ method: 'POST', url: REFRESH }), 400, 20, 'a body is required: send {"csrf": "<the csrf of the login>"} as JSON')
  expectError(t, await sim.request({ method: 'POST', url: REFRESH, payload: { token: csrf } }), 400, 20,
    'invalid body: $.csrf: is required; send {"csrf": "<the csrf of the login>"}')
  expectError(t, await sim.request({ method: 'POST', url: REFRESH, headers: { 'content-type': 'application/xml' }, payload: `<csrf>${csrf}</csrf>` }),
    415, 21, "malformed request: a body of type 'application/xml' is not taken here; send application/json")

  // The wrong tries did not end the login: it refreshes still, until it has expired.
  expectEmpty200(t, await sim.request({ method: 'POST', url: REFRESH, payload: { csrf } }), 'the login is still there')
  sim.clock.advance(TTL)
  const late = await sim.request({ method: 'POST', url: REFRESH, payload: { csrf } })
  expect401(t, late, `the login expired at ${iso(NOW + TTL)}; log in again`, { at: TTL })
  sim.clock.advance(HOUR)
  expect401(t, await sim.request({ method: 'POST', url: REFRESH, payload: { csrf } }), `the login expired at ${iso(NOW + TTL)}; log in again`,
    { at: TTL + HOUR })
  expect401(t, await openSession(sim, token), `the bearer token expired at ${iso(NOW + TTL)}; log in again`, { sent: true, at: TTL + HOUR })
})

t.test('refresh and logout: a csrf of another account\'s login is refused, and that login is untouched', async (t) => {
  const sim = await build(t, 'multi-tenant')
  const sam = { username: 'Sam', password: 'sam123' }
  const first = await login(t, sim, sam, '50000001')
  const second = await login(t, sim, sam, '50000002')
  for (const path of ['refresh', 'logout']) {
    expect401(t, await sim.request({ method: 'POST', url: `/api/account/50000002/${path}`, payload: { csrf: first.csrf } }), CSRF_INVALID)
    expect401(t, await sim.request({ method: 'POST', url: `/api/account/50000003/${path}`, payload: { csrf: second.csrf } }), CSRF_INVALID)
  }
  expectEmpty200(t, await sim.request({ method: 'POST', url: '/api/account/50000001/refresh', payload: { csrf: first.csrf } }), 'its own account')
  const opened = await openSession(sim, first.bearer, '50000001')
  t.equal(opened.statusCode, 201, 'the first login still opens sessions in its account')
  const elsewhere = await openSession(sim, first.bearer, '50000002')
  expectError(t, elsewhere, 403, 11,
    'the bearer token belongs to a login of account 50000001; it may only be used on that account')
  expectEmpty200(t, await sim.request({ method: 'POST', url: '/api/account/50000002/logout', payload: { csrf: second.csrf } }), 'the second logs out')
  t.equal((await openSession(sim, first.bearer, '50000001')).statusCode, 201, 'the first is not logged out with it')
})

// ---------------------------------------------------------------------------------------------------------------------
// Logout

t.test('logout: 200 with no body; the bearer and the sessions it opened are refused from then on', async (t) => {
  const sim = await build(t)
  const { bearer: token, csrf } = await login(t, sim)
  const id = await expectBearerWorks(t, sim, token, 'before the logout')
  const sessionUrl = `${SESSIONS}/${id}?v=1`
  t.equal((await sim.request({ url: sessionUrl, headers: bearer(token) })).statusCode, 200, 'its session answers')
  const other = await login(t, sim)

  expectEmpty200(t, await sim.request({ method: 'POST', url: LOGOUT, payload: { csrf } }), 'logout')
  expect401(t, await openSession(sim, token), NOT_RECOGNISED, { sent: true })
  expect401(t, await sim.request({ url: sessionUrl, headers: bearer(token) }), NOT_RECOGNISED, { sent: true })
  expect401(t, await sim.request({ url: `${SESSIONS}/${id}/chat/availableSlots?v=1`, headers: bearer(token) }), NOT_RECOGNISED, { sent: true })

  // Twice: the csrf is no longer a login's; nor does it refresh.
  expect401(t, await sim.request({ method: 'POST', url: LOGOUT, payload: { csrf } }), CSRF_INVALID)
  expect401(t, await sim.request({ method: 'POST', url: REFRESH, payload: { csrf } }), CSRF_INVALID)

  // Another login of the same agent is its own: it goes on, but the ended session was never its.
  const otherId = await expectBearerWorks(t, sim, other.bearer, 'another login of John is not logged out')
  expectError(t, await sim.request({ url: sessionUrl, headers: bearer(other.bearer) }), 403, 11,
    `the bearer token belongs to a login of agent John in account ${account}; it may only be used on that account and on the agent ` +
    `sessions the login opened (those open now: ${otherId})`)
})

t.test('logout does not touch the scenario\'s own sessions of the agent', async (t) => {
  const sim = await build(t)
  const { csrf } = await login(t, sim)
  expectEmpty200(t, await sim.request({ method: 'POST', url: `${LOGOUT}?v=1.2`, payload: { csrf } }), 'logout')
  const slots = await sim.request({ url: slotsUrl(account, DEFAULT.john.session), headers: bearer(DEFAULT.john.bearer) })
  t.equal(slots.statusCode, 200)
  t.equal(slots.headers['content-type'], JSON_TYPE)
  t.equal(slots.body, '{"availableSlots":3}')
})

t.test('logout: an expired login may still log out; then its csrf is gone', async (t) => {
  const sim = await build(t)
  const { csrf } = await login(t, sim)
  sim.clock.advance(TTL + HOUR)
  expectEmpty200(t, await sim.request({ method: 'POST', url: LOGOUT, payload: { csrf } }), 'logout after expiry')
  expect401(t, await sim.request({ method: 'POST', url: REFRESH, payload: { csrf } }), CSRF_INVALID, { at: TTL + HOUR })
})

// ---------------------------------------------------------------------------------------------------------------------
// The journal

t.test('the journal records login, refresh and logout requests, and never a password or a token of theirs', async (t) => {
  const sim = await build(t)
  const secret = { username: 'John', password: 'john123-secret-in-the-body' }
  const wrong = await sim.request({ method: 'POST', url: `${LOGIN}?v=1.3`, payload: secret })
  t.equal(wrong.statusCode, 401)
  const { csrf, bearer: token } = await login(t, sim)
  expectEmpty200(t, await sim.request({ method: 'POST', url: REFRESH, payload: { csrf } }), 'refresh')
  expectEmpty200(t, await sim.request({ method: 'POST', url: LOGOUT, payload: { csrf } }), 'logout')

  const res = await sim.request({ url: '/__admin/requests' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], JSON_TYPE)
  const journal = JSON.parse(res.body) as { requests: Array<Record<string, unknown>>, matched: number, dropped: number, limit: number }
  const headers = (length: number): Record<string, string> =>
    ({ 'user-agent': 'lightMyRequest', host: 'localhost:80', 'content-type': 'application/json', 'content-length': String(length) })
  const records = journal.requests.map(({ durationMs, ...rest }) => {
    t.ok(typeof durationMs === 'number' && durationMs >= 0, 'durationMs is a number of milliseconds')
    return rest
  })
  t.strictSame(records, [
    { id: 1, time: iso(NOW), method: 'POST', path: LOGIN, query: { v: '1.3' }, headers: headers(JSON.stringify(secret).length), status: 401, account },
    { id: 2, time: iso(NOW), method: 'POST', path: LOGIN, query: { v: '1.3' }, headers: headers(JSON.stringify(JOHN).length), status: 200, account },
    { id: 3, time: iso(NOW), method: 'POST', path: REFRESH, query: {}, headers: headers(JSON.stringify({ csrf }).length), status: 200, account },
    { id: 4, time: iso(NOW), method: 'POST', path: LOGOUT, query: {}, headers: headers(JSON.stringify({ csrf }).length), status: 200, account }
  ])
  t.strictSame({ matched: journal.matched, dropped: journal.dropped, limit: journal.limit }, { matched: 4, dropped: 0, limit: 10000 })
  const text = JSON.stringify(journal)
  for (const [what, value] of [['the wrong password', secret.password], ['the password', 'john123'], ['the csrf', csrf], ['the bearer', token]]) {
    t.notOk(text.includes(value as string), `the journal has no trace of ${what as string}`)
  }
})
