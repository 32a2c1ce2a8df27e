/**
 * The agent side around availableSlots, rule by rule: starting agent sessions (with a login's bearer, or a scenario
 * session's, which is a login made in advance), the session resource and ending it (DELETE, or POST with
 * X-HTTP-Method-Override), the 400-second idle timeout on the simulator's clock, availability, info and availableAgents.
 */
import t from 'tap'
import { bearer, build, DEFAULT, JSON_TYPE, jsonError, NOW, slotsUrl, type Simulator, XML_TYPE } from '../helpers/app.js'

const ACCOUNT = `/api/account/${DEFAULT.account}`
const HOST = 'http://localhost:80'
const asJohn = bearer(DEFAULT.john.bearer)
const asMary = bearer(DEFAULT.mary.bearer)
const XML = '<?xml version="1.0" encoding="UTF-8"?>'

async function login (sim: Simulator, username = 'John', password = 'john123'): Promise<{ bearer: string, csrf: string }> {
  const res = await sim.request({ method: 'POST', url: `${ACCOUNT}/login?v=1.3`, payload: { username, password } })
  return JSON.parse(res.body)
}

/** Starts a session with the bearer; its id. */
async function start (sim: Simulator, token: string): Promise<string> {
  const res = await sim.request({ method: 'POST', url: `${ACCOUNT}/agentSession?v=1&NC=true`, headers: bearer(token), payload: { loginData: '' } })
  if (res.statusCode !== 201) throw new Error(res.body)
  return String(res.headers.location).split('/').at(-1) as string
}

t.test('starting a session: 401 → 403 → 400, in that order; any loginData', async (t) => {
  const sim = await build(t)
  const url = `${ACCOUNT}/agentSession?v=1`
  const none = await sim.request({ method: 'POST', url: `${ACCOUNT}/agentSession`, payload: { loginData: '' } })
  t.equal(none.statusCode, 401)
  t.equal(none.headers['www-authenticate'], 'Bearer realm="agent session"')
  t.equal(none.body, jsonError(10, "missing Authorization header; send 'Authorization: Bearer <token>' with the bearer of a login (POST /api/account/{accountId}/login)"))

  await sim.request({
    method: 'PUT',
    url: '/__admin/accounts/87654321',
    payload: {
      skills: { Sales: { meanHandleTimeSec: 300 } },
      agents: { Zoe: { chatState: 'Online', maxChats: 2, skills: ['Sales'] } },
      sessions: { z1: { agent: 'Zoe', bearer: 'a'.repeat(64) } }
    }
  })
  const elsewhere = await sim.request({ method: 'POST', url, headers: bearer('a'.repeat(64)), payload: { loginData: '' } })
  t.equal(elsewhere.statusCode, 403)
  t.equal(elsewhere.body, jsonError(11, 'the bearer token belongs to a login of account 87654321; it may only be used on that account'))

  const noV = await sim.request({ method: 'POST', url: `${ACCOUNT}/agentSession`, headers: asJohn, payload: { loginData: '' } })
  t.equal(noV.statusCode, 400)
  t.equal(noV.body, jsonError(20, "parameter 'v' is required; use v=1"))
  const noBody = await sim.request({ method: 'POST', url, headers: asJohn })
  t.equal(noBody.statusCode, 400)
  t.equal(noBody.body, jsonError(20, 'a body is required: send {"loginData": ""} as JSON or XML'))
  const notObject = await sim.request({ method: 'POST', url, headers: { ...asJohn, 'content-type': 'application/json' }, payload: '[]' })
  t.equal(notObject.statusCode, 400)
  t.equal(notObject.body, jsonError(20, 'invalid body: $: must be object; send {"loginData": ""}'))
  const badXml = await sim.request({ method: 'POST', url, headers: { ...asJohn, 'content-type': 'application/xml' }, payload: '<loginData>' })
  t.equal(badXml.statusCode, 400)
  t.equal(badXml.body, jsonError(21, 'malformed request: the body is not well-formed XML'))
  const doctype = await sim.request({
    method: 'POST', url, headers: { ...asJohn, 'content-type': 'text/xml' }, payload: '<!DOCTYPE x [<!ENTITY a "aaaa">]><loginData>&a;</loginData>'
  })
  t.equal(doctype.statusCode, 400)
  t.equal(doctype.body, jsonError(21, 'malformed request: an XML body may not declare a DOCTYPE'))
  const proto = await sim.request({ method: 'POST', url, headers: { ...asJohn, 'content-type': 'application/xml' }, payload: '<loginData><constructor>x</constructor></loginData>' })
  t.equal(proto.statusCode, 400)
  t.equal(proto.body, jsonError(21, 'malformed request: the XML body cannot be read: [SECURITY] Invalid name: "constructor" is a reserved JavaScript keyword that could cause prototype pollution'))
  const deep = await sim.request({ method: 'POST', url, headers: { ...asJohn, 'content-type': 'application/xml' }, payload: '<a>'.repeat(1000) + '</a>'.repeat(1000) })
  t.equal(deep.statusCode, 400)
  t.equal(deep.body, jsonError(21, 'malformed request: the XML body cannot be read: Maximum nested tags exceeded'))
  const text = await sim.request({ method: 'POST', url, headers: { ...asJohn, 'content-type': 'text/plain' }, payload: 'hello' })
  t.equal(text.statusCode, 415)
  t.equal(text.body, jsonError(21, "malformed request: a body of type 'text/plain' is not taken here; send application/json, application/xml or text/xml"))

  for (const loginData of ['', {}, { userName: 'John', password: 'x' }]) {
    const res = await sim.request({ method: 'POST', url, headers: asJohn, payload: { loginData } })
    t.equal(res.statusCode, 201, JSON.stringify(loginData))
    t.equal(res.headers['content-type'], JSON_TYPE)
  }
})

t.test('a scenario session\'s bearer is a login made in advance: it opens more sessions, and keeps its own', async (t) => {
  const sim = await build(t)
  const id = await start(sim, DEFAULT.john.bearer)
  t.match(id, /^[0-9]{10}$/)
  const own = await sim.request({ url: slotsUrl(DEFAULT.account, id, 'v=1&skill=Sales'), headers: asJohn })
  t.equal(own.statusCode, 200)
  t.equal(own.body, '{"availableSlots":2}')
  t.equal((await sim.request({ url: slotsUrl(DEFAULT.account, DEFAULT.john.session, 'v=1&skill=Sales'), headers: asJohn })).body, '{"availableSlots":2}')
  const notMary = await sim.request({ url: `${ACCOUNT}/agentSession/${id}?v=1`, headers: asMary })
  t.equal(notMary.statusCode, 403)
  t.equal(notMary.body, jsonError(11, 'the bearer token belongs to agent session sessMary of account 12345678; it may only be used on that account and agent session'))
  const expired = await sim.request({ method: 'POST', url: `${ACCOUNT}/agentSession?v=1`, headers: bearer(DEFAULT.expired.bearer), payload: { loginData: '' } })
  t.equal(expired.statusCode, 401)
  t.equal(expired.body, jsonError(10, 'the bearer token expired at 2024-01-01T00:00:00.000Z; start a new agent session'))
})

t.test('a login may open several sessions; its bearer is refused on another login\'s', async (t) => {
  const sim = await build(t)
  const john = await login(sim)
  const first = await start(sim, john.bearer)
  const second = await start(sim, john.bearer)
  t.not(first, second)
  for (const id of [first, second]) t.equal((await sim.request({ url: `${ACCOUNT}/agentSession/${id}?v=1`, headers: bearer(john.bearer) })).statusCode, 200)
  const mary = await login(sim, 'Mary', 'mary123')
  const refused = await sim.request({ url: `${ACCOUNT}/agentSession/${first}/availability?v=1`, headers: bearer(mary.bearer) })
  t.equal(refused.statusCode, 403)
  t.equal(refused.body, jsonError(11, 'the bearer token belongs to a login of agent Mary in account 12345678; it may only be used on that ' +
    'account and on the agent sessions the login opened (none is open now)'))
  const onScenario = await sim.request({ url: slotsUrl(DEFAULT.account, DEFAULT.john.session), headers: bearer(john.bearer) })
  t.equal(onScenario.statusCode, 403)
  t.equal(onScenario.body, jsonError(11, 'the bearer token belongs to a login of agent John in account 12345678; it may only be used on that ' +
    `account and on the agent sessions the login opened (those open now: ${first}, ${second})`))
})

t.test('the session resource, and ending it: DELETE, or POST with X-HTTP-Method-Override', async (t) => {
  const sim = await build(t)
  const john = await login(sim)
  const auth = bearer(john.bearer)
  const id = await start(sim, john.bearer)
  const self = `${HOST}${ACCOUNT}/agentSession/${id}`
  const xml = await sim.request({ url: `${ACCOUNT}/agentSession/${id}.xml?v=1`, headers: auth })
  t.equal(xml.statusCode, 200)
  t.equal(xml.headers['content-type'], XML_TYPE)
  t.equal(xml.body, `${XML}<agentSession id="${id}"><link href="${self}" rel="self"></link><link href="${self}/info" rel="info"></link>` +
    `<link href="${self}/availability" rel="availability"></link><link href="${self}/availableAgents" rel="available-agents"></link>` +
    `<link href="${self}/chat/availableSlots" rel="chat-available-slots"></link></agentSession>`)

  const post = await sim.request({ method: 'POST', url: `${ACCOUNT}/agentSession/${id}?v=1`, headers: auth })
  t.equal(post.statusCode, 405)
  t.equal(post.headers.allow, 'GET, HEAD, POST, DELETE')
  t.equal(post.body, jsonError(40, 'method POST is allowed here only with X-HTTP-Method-Override: DELETE; this resource allows GET, HEAD, POST, DELETE'))
  const patch = await sim.request({ method: 'POST', url: `${ACCOUNT}/agentSession/${id}?v=1`, headers: { ...auth, 'x-http-method-override': 'PATCH' } })
  t.equal(patch.statusCode, 400)
  t.equal(patch.body, jsonError(20, "X-HTTP-Method-Override 'PATCH' is not allowed here; use DELETE"))
  const put = await sim.request({ method: 'PUT', url: `${ACCOUNT}/agentSession/${id}?v=1`, headers: auth })
  t.equal(put.statusCode, 405)
  t.equal(put.body, jsonError(40, 'method PUT is not allowed here; this resource allows GET, HEAD, POST, DELETE'))

  const ended = await sim.request({ method: 'POST', url: `${ACCOUNT}/agentSession/${id}?v=1`, headers: { ...auth, 'x-http-method-override': 'delete' } })
  t.equal(ended.statusCode, 204)
  t.equal(ended.body, '')
  const gone = await sim.request({ url: `${ACCOUNT}/agentSession/${id}?v=1`, headers: auth })
  t.equal(gone.statusCode, 403)
  t.equal(gone.body, jsonError(11, 'the bearer token belongs to a login of agent John in account 12345678; it may only be used on that ' +
    'account and on the agent sessions the login opened (none is open now)'))

  const other = await start(sim, john.bearer)
  const deleted = await sim.request({ method: 'DELETE', url: `${ACCOUNT}/agentSession/${other}.json?v=1`, headers: auth })
  t.equal(deleted.statusCode, 204)
  t.equal((await sim.request({ url: `${ACCOUNT}/agentSession/${other}/info?v=1`, headers: auth })).statusCode, 403)

  const scenario = await sim.request({ method: 'DELETE', url: `${ACCOUNT}/agentSession/${DEFAULT.mary.session}?v=1`, headers: asMary })
  t.equal(scenario.statusCode, 204, 'a scenario session ends, and with it its login')
  const after = await sim.request({ url: slotsUrl(DEFAULT.account, DEFAULT.mary.session), headers: asMary })
  t.equal(after.statusCode, 401)
  t.equal(after.body, jsonError(10, "the bearer token is not recognised; send 'Authorization: Bearer <token>' with the bearer of a login (POST /api/account/{accountId}/login)"))
})

t.test('a session ends after 400 s without a call, on the simulator\'s clock; each call keeps it alive', async (t) => {
  const sim = await build(t)
  const john = await login(sim)
  const auth = bearer(john.bearer)
  const id = await start(sim, john.bearer)
  const url = slotsUrl(DEFAULT.account, id, 'v=1&agent=John')
  sim.clock.advance(399_000)
  t.equal((await sim.request({ url, headers: auth })).statusCode, 200, 'at 399 s')
  sim.clock.advance(399_000)
  t.equal((await sim.request({ url, headers: auth })).statusCode, 200, '399 s after the last call')
  sim.clock.advance(400_000)
  const ended = await sim.request({ url, headers: auth })
  t.equal(ended.statusCode, 401)
  t.equal(ended.body, JSON.stringify({
    error: {
      time: new Date(NOW + 1_198_000).toISOString(),
      message: `agent session ${id} ended at ${new Date(NOW + 1_198_000).toISOString()}, after 400 s without a call; start a new one with POST /api/account/{accountId}/agentSession`,
      internalCode: 10
    }
  }))
  t.equal((await sim.request({ url: `${ACCOUNT}/agentSession/${id}?v=1`, headers: auth })).statusCode, 401, 'for good')
  t.equal((await sim.request({ url: slotsUrl(DEFAULT.account, DEFAULT.john.session), headers: asJohn })).statusCode, 200,
    'a scenario session has no idle timeout')
  const next = await start(sim, john.bearer)
  t.equal((await sim.request({ url: slotsUrl(DEFAULT.account, next), headers: auth })).statusCode, 200, 'the login starts another')
})

t.test('availability: read it, set it (PUT, or POST with X-HTTP-Method-Override: PUT), and the model follows', async (t) => {
  const sim = await build(t)
  const url = `${ACCOUNT}/agentSession/${DEFAULT.john.session}/availability?v=1`
  const read = await sim.request({ url: `${ACCOUNT}/agentSession/${DEFAULT.john.session}/availability.xml?v=1`, headers: asJohn })
  t.equal(read.statusCode, 200)
  t.equal(read.body, `${XML}<availability><chat>Online</chat><voice>Offline</voice></availability>`)
  for (const [chat, slots] of [['Occupied', 0], ['Offline', 0], ['Away', 0], ['Online', 2]] as const) {
    const res = await sim.request({ method: 'PUT', url, headers: asJohn, payload: { availability: { chat } } })
    t.equal(res.statusCode, 200)
    t.equal(res.body, `{"availability":{"chat":"${chat}","voice":"Offline"}}`)
    t.equal((await sim.request({ url: slotsUrl(DEFAULT.account, DEFAULT.john.session, 'v=1&agent=John'), headers: asJohn })).body, `{"availableSlots":${slots}}`)
  }
  t.equal(JSON.parse((await sim.request({ url: '/__admin/accounts/12345678' })).body).agents.John.chatState, 'Online', 'the control API sees it')

  const busy = await sim.request({ method: 'PUT', url, headers: asJohn, payload: { availability: { chat: 'Busy' } } })
  t.equal(busy.statusCode, 400)
  t.equal(busy.body, jsonError(20, 'invalid body: $.availability.chat: must be one of Online, Occupied, Away, Offline; send {"availability": {"chat": "Away"}}'))
  const extra = await sim.request({ method: 'PUT', url, headers: asJohn, payload: { availability: { chat: 'Away', mood: 'good' } } })
  t.equal(extra.statusCode, 400)
  t.equal(extra.body, jsonError(20, 'invalid body: $.availability.mood: is not a known property; send {"availability": {"chat": "Away"}}'))
  const flat = await sim.request({ method: 'PUT', url, headers: asJohn, payload: { chat: 'Away' } })
  t.equal(flat.statusCode, 400)
  t.equal(flat.body, jsonError(20, 'invalid body: $.availability: is required; send {"availability": {"chat": "Away"}}'))
  const noOverride = await sim.request({ method: 'POST', url, headers: asJohn, payload: { availability: { chat: 'Away' } } })
  t.equal(noOverride.statusCode, 405)
  t.equal(noOverride.headers.allow, 'GET, HEAD, POST, PUT')
  const reason = await sim.request({
    method: 'POST', url, headers: { ...asJohn, 'x-http-method-override': 'PUT' }, payload: { availability: { chat: 'Away', chatReasonId: '7' } }
  })
  t.equal(reason.statusCode, 200)
  t.equal(reason.body, '{"availability":{"chat":"Away","voice":"Offline"}}')
  const other = await sim.request({ method: 'PUT', url, headers: asMary, payload: { availability: { chat: 'Online' } } })
  t.equal(other.statusCode, 403, 'Mary cannot set John\'s')
  t.equal((await sim.request({ url, headers: asJohn })).body, '{"availability":{"chat":"Away","voice":"Offline"}}', 'refusals changed nothing')
})

t.test('info: the agent as the vendor writes it', async (t) => {
  const sim = await build(t)
  const self = `${HOST}${ACCOUNT}/agentSession/${DEFAULT.john.session}/info`
  const john = await sim.request({ url: `${ACCOUNT}/agentSession/${DEFAULT.john.session}/info?v=1`, headers: asJohn })
  t.equal(john.statusCode, 200)
  t.equal(john.headers['content-type'], JSON_TYPE)
  t.strictSame(JSON.parse(john.body), {
    info: {
      link: { '@href': self, '@rel': 'self' },
      agentName: 'John S.',
      displayName: 'John S.',
      loginName: 'John',
      id: '1',
      maxChats: '3',
      availability: { chat: 'Online', voice: 'Offline' },
      skillsInfo: { skillInfo: [{ id: '1001', name: 'Sales' }, { id: '1002', name: 'Support' }] }
    }
  })
  const mary = await sim.request({ url: `${ACCOUNT}/agentSession/${DEFAULT.mary.session}/info.xml?v=1`, headers: asMary })
  t.equal(mary.headers['content-type'], XML_TYPE)
  t.equal(mary.body, `${XML}<info><link href="${HOST}${ACCOUNT}/agentSession/${DEFAULT.mary.session}/info" rel="self"></link>` +
    '<agentName>Mary K.</agentName><displayName>Mary K.</displayName><loginName>Mary</loginName><id>2</id><maxChats>2</maxChats>' +
    '<availability><chat>Online</chat><voice>Offline</voice></availability><skillsInfo><skillInfo><id>1002</id><name>Support</name></skillInfo></skillsInfo></info>')
})

t.test('availableAgents: every agent, or those of a skill and a chat state', async (t) => {
  const sim = await build(t)
  const url = (query: string): string => `${ACCOUNT}/agentSession/${DEFAULT.john.session}/availableAgents?v=1${query}`
  const self = { '@href': `${HOST}${ACCOUNT}/agentSession/${DEFAULT.john.session}/availableAgents`, '@rel': 'self' }
  const entry = (id: number, state: string, max: number, chats: number, nickname: string, skills: string | string[], userName: string): Record<string, unknown> =>
    ({ '@id': String(id), '@chatState': state, '@maxChats': String(max), '@voiceState': '1', chats: String(chats), nickname, skills: { skill: skills }, userName })
  const cases: Array<[string, unknown]> = [
    ['&chatState=Online', { agents: { agent: [entry(1, '2', 3, 1, 'John S.', ['1001', '1002'], 'John'), entry(2, '2', 2, 2, 'Mary K.', '1002', 'Mary'), entry(3, '2', 4, 1, 'Ravi P.', '1003', 'Ravi')] }, link: self }],
    ['&skill=Billing&chatState=Occupied', { agents: { agent: entry(4, '3', 3, 3, 'Anna L.', ['1003', '1002'], 'Anna') }, link: self }],
    ['&skill=Sales&chatState=Occupied', { link: self }],
    ['&skill=Sales', { agents: { agent: [entry(1, '2', 3, 1, 'John S.', ['1001', '1002'], 'John'), entry(5, '4', 4, 0, 'Peter O.', '1001', 'Peter'), entry(6, '1', 2, 0, 'Lena M.', '1001', 'Lena')] }, link: self }]
  ]
  for (const [query, content] of cases) {
    const res = await sim.request({ url: url(query), headers: asJohn })
    t.equal(res.statusCode, 200, query)
    t.strictSame(JSON.parse(res.body), { availableAgents: content }, query)
  }
  const all = JSON.parse((await sim.request({ url: url(''), headers: asJohn })).body)
  t.strictSame(all.availableAgents.agents.agent.map((a: { userName: string }) => a.userName), ['John', 'Mary', 'Ravi', 'Anna', 'Peter', 'Lena'])
  const xml = await sim.request({ url: url('&skill=Billing&chatState=Occupied').replace('availableAgents?', 'availableAgents.xml?'), headers: asJohn })
  t.equal(xml.body, `${XML}<availableAgents><agents><agent id="4" chatState="3" maxChats="3" voiceState="1"><chats>3</chats><nickname>Anna L.</nickname>` +
    `<skills><skill>1003</skill><skill>1002</skill></skills><userName>Anna</userName></agent></agents><link href="${self['@href']}" rel="self"></link></availableAgents>`)

  const refusals: Array<[string, number, number, string]> = [
    ['&chatState=Busy', 400, 20, "chatState='Busy' is not a chat state; use Online, Occupied, Away, Offline"],
    ['&skill=Sa-les', 400, 20, "skill='Sa-les' is not a skill name; use letters and digits only (A-Z, a-z, 0-9)"],
    ['&skill=Sales&skill=Billing', 400, 20, "parameter 'skill' is given 2 times; give it at most once"],
    ['&skill=Chess', 404, 30, "skill 'Chess' does not exist in account 12345678; skill names are case-sensitive"]
  ]
  for (const [query, status, code, message] of refusals) {
    const res = await sim.request({ url: url(query), headers: asJohn })
    t.equal(res.statusCode, status, query)
    t.equal(res.body, jsonError(code, message), query)
  }
})

t.test('an agent removed through the control API takes its logins and sessions with it', async (t) => {
  const sim = await build(t)
  const john = await login(sim)
  const id = await start(sim, john.bearer)
  t.equal((await sim.request({ method: 'DELETE', url: '/__admin/accounts/12345678/agents/John' })).statusCode, 204)
  for (const [token, session] of [[john.bearer, id], [DEFAULT.john.bearer, DEFAULT.john.session]]) {
    const res = await sim.request({ url: `${ACCOUNT}/agentSession/${session}?v=1`, headers: bearer(token as string) })
    t.equal(res.statusCode, 401)
    t.equal(res.body, jsonError(10, "the bearer token is not recognised; send 'Authorization: Bearer <token>' with the bearer of a login (POST /api/account/{accountId}/login)"))
  }
})
