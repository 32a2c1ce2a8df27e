import t from 'tap'
import {
  bearer, build, DEFAULT, JSON_TYPE, jsonError, slotsUrl, TEXT_XML_TYPE, XML_TYPE, xmlError, xmlSlots
} from '../helpers/app.js'

const { account, john, mary } = DEFAULT
const johnUrl = (query = 'v=1', suffix = ''): string => slotsUrl(account, john.session, query, suffix)
const asJohn = bearer(john.bearer)

// Some thirty apps are built, each compiling every route's schemas: 25–28 s with the suite running beside it, and one
// run in a slow phase of this VM passed tap's default 30 s.
t.setTimeout(120_000)

t.test('answers of the default scenario, in JSON', async (t) => {
  const sim = await build(t)
  const cases: Array<[string, number]> = [
    ['v=1', 3], // whole account: F = 2 (John) + 0 (Mary) + 3 (Ravi), Q = 2
    ['v=1&NC=true', 3],
    ['v=1&NC=false&maxWaitTime=0', 3],
    // All slots free up at R = 6/720 (John: 3 at the mean of 300 and 420 s) + 2/420 (Mary) + 4/600 (Ravi): R·600 = 11.86;
    // nobody is ahead of a waiting chat (F = 5 > Q = 2), and the 9th starts in time with 0.835, the 10th with 0.745.
    ['v=1&maxWaitTime=600', 12],
    ['v=1&skill=Sales', 2],
    ['v=1&skill=Billing', 3], // Anna is Occupied: only Ravi counts
    ['v=1&skill=Support', 0], // F = 2, Q = 2
    // 5 slots at 420 s, patience 180 s: a = R/θ = 2.14, so even the first waiting chat starts at all with only
    // a/(a + 1) = 0.68 < 0.8: no chat can be promised, whatever the wait.
    ['v=1&skill=Support&maxWaitTime=120', 0],
    ['v=1&skill=Support&maxWaitTime=3600', 0],
    // John's 3 slots at 300 s: R·300 = 3; the 2nd waiting chat starts in time with P(Poisson(3) ≥ 2) = 0.801.
    ['v=1&skill=Sales&maxWaitTime=300', 4],
    ['v=1&skill=Sales&maxWaitTime=0300', 4],
    ['v=1&agent=John', 2],
    ['v=1&agent=Mary', 0],
    ['v=1&agent=Peter', 0], // Away
    ['v=1&agent=Anna', 0] // Occupied
  ]
  for (const [query, slots] of cases) {
    const res = await sim.request({ url: johnUrl(query), headers: asJohn })
    t.equal(res.statusCode, 200, query)
    t.equal(res.headers['content-type'], JSON_TYPE, query)
    t.equal(res.body, `{"availableSlots":${slots}}`, query)
  }
})

t.test('the same answers in XML, by suffix or by Accept', async (t) => {
  const sim = await build(t)
  const xmlBySuffix = await sim.request({ url: johnUrl('v=1&skill=Sales', '.xml'), headers: asJohn })
  t.equal(xmlBySuffix.statusCode, 200)
  t.equal(xmlBySuffix.headers['content-type'], XML_TYPE)
  t.equal(xmlBySuffix.body, xmlSlots(2))
  const xmlByAccept = await sim.request({ url: johnUrl('v=1'), headers: { ...asJohn, accept: 'application/xml' } })
  t.equal(xmlByAccept.headers['content-type'], XML_TYPE)
  t.equal(xmlByAccept.body, xmlSlots(3))
  const textXml = await sim.request({ url: johnUrl('v=1&agent=John'), headers: { ...asJohn, accept: 'text/xml' } })
  t.equal(textXml.headers['content-type'], TEXT_XML_TYPE)
  t.equal(textXml.body, xmlSlots(2))
  const jsonBySuffix = await sim.request({ url: johnUrl('v=1', '.json'), headers: { ...asJohn, accept: 'application/xml' } })
  t.equal(jsonBySuffix.headers['content-type'], JSON_TYPE, 'the suffix wins over Accept')
  t.equal(jsonBySuffix.body, '{"availableSlots":3}')
})

t.test('content negotiation by Accept', async (t) => {
  const sim = await build(t)
  const cases: Array<[string | undefined, string]> = [
    [undefined, JSON_TYPE],
    ['*/*', JSON_TYPE],
    ['application/*', JSON_TYPE],
    ['application/json', JSON_TYPE],
    ['application/xml', XML_TYPE],
    ['text/xml', TEXT_XML_TYPE],
    ['text/*', TEXT_XML_TYPE],
    ['application/xml, */*', XML_TYPE],
    ['*/*, text/xml', TEXT_XML_TYPE],
    ['application/xml, application/json', JSON_TYPE],
    ['application/json;q=0.5, application/xml', XML_TYPE],
    ['application/xml;q=0.9, */*;q=0.9', XML_TYPE],
    ['application/json;q=0, */*', XML_TYPE],
    ['text/html, application/xml;q=0.1', XML_TYPE],
    ['APPLICATION/XML', XML_TYPE]
  ]
  for (const [accept, type] of cases) {
    const headers = accept === undefined ? asJohn : { ...asJohn, accept }
    const res = await sim.request({ url: johnUrl('v=1&agent=Ravi'), headers })
    t.equal(res.statusCode, 200, String(accept))
    t.equal(res.headers['content-type'], type, String(accept))
    t.equal(res.body, type === JSON_TYPE ? '{"availableSlots":3}' : xmlSlots(3), String(accept))
  }
})

t.test('nothing acceptable: 406, in JSON', async (t) => {
  const sim = await build(t)
  for (const accept of ['text/html', 'application/json;q=0', 'image/*, text/plain']) {
    const res = await sim.request({ url: johnUrl(), headers: { ...asJohn, accept } })
    t.equal(res.statusCode, 406, accept)
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, jsonError(41, `none of the media types in Accept '${accept}' can be served; this API answers in ` +
      'application/json, application/xml, text/xml (or add .json or .xml to the path)'))
  }
})

t.test('bearer tokens', async (t) => {
  const sim = await build(t)
  const how = "send 'Authorization: Bearer <token>' with the bearer of a login (POST /api/account/{accountId}/login)"
  const cases: Array<[string | undefined, string]> = [
    [undefined, `missing Authorization header; ${how}`],
    ['', `missing Authorization header; ${how}`],
    [john.bearer, `malformed Authorization header; ${how}`],
    [`Basic ${john.bearer}`, `malformed Authorization header; ${how}`],
    ['Bearer', `malformed Authorization header; ${how}`],
    [`Bearer ${john.bearer} extra`, `malformed Authorization header; ${how}`],
    [`Bearer ${john.bearer.toUpperCase()}`, `the bearer token is not recognised; ${how}`],
    [`Bearer ${john.bearer.slice(0, -1)}`, `the bearer token is not recognised; ${how}`],
    [`Bearer ${'0'.repeat(64)}`, `the bearer token is not recognised; ${how}`],
    [`Bearer ${DEFAULT.expired.bearer}`, 'the bearer token expired at 2024-01-01T00:00:00.000Z; start a new agent session']
  ]
  for (const [authorization, message] of cases) {
    const url = slotsUrl(account, authorization?.includes(DEFAULT.expired.bearer) === true ? DEFAULT.expired.session : john.session)
    const res = await sim.request({ url, headers: authorization === undefined ? {} : { authorization } })
    t.equal(res.statusCode, 401, String(authorization))
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, jsonError(10, message))
  }
  for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
    const res = await sim.request({ url: johnUrl(), headers: { authorization: `${scheme} ${john.bearer}` } })
    t.equal(res.statusCode, 200, `the scheme name ${scheme} is case-insensitive`)
    t.equal(res.body, '{"availableSlots":3}')
  }
})

t.test('a token expires when the clock reaches expiresAt', async (t) => {
  const sim = await build(t, {
    description: 'one session expiring at noon',
    accounts: {
      1: {
        skills: { S: { id: 1, queued: 0, meanHandleTimeSec: 60 } },
        agents: { A: { id: 1, nickname: 'A', chatState: 'Online', maxChats: 1, activeChats: 0, skills: ['S'] } },
        sessions: { s: { agent: 'A', bearer: 'a'.repeat(64), expiresAt: '2026-06-01T12:00:01Z' } }
      }
    }
  })
  const ask = async (): Promise<number> => (await sim.request({ url: slotsUrl('1', 's'), headers: bearer('a'.repeat(64)) })).statusCode
  t.equal(await ask(), 200, 'a second before')
  sim.clock.advance(1000)
  t.equal(await ask(), 401, 'at expiresAt')
})

t.test('a valid token on another account or session: 403', async (t) => {
  const sim = await build(t)
  const cases: Array<[string, string]> = [
    [account, mary.session], // a session that exists, but is Mary's
    [account, 'noSuchSession'],
    ['87654321', john.session], // an account that does not exist
    ['99999999', 'whatever']
  ]
  for (const [acc, session] of cases) {
    const res = await sim.request({ url: slotsUrl(acc, session), headers: asJohn })
    t.equal(res.statusCode, 403, `${acc}/${session}`)
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, jsonError(11, 'the bearer token belongs to agent session sessJohn of account 12345678; ' +
      'it may only be used on that account and agent session'))
  }
})

t.test('query parameters are checked like the real service', async (t) => {
  const sim = await build(t)
  const range = 'use a whole number of seconds from 0 to 86400, digits only'
  const alnum = 'use letters and digits only (A-Z, a-z, 0-9)'
  const cases: Array<[string, string]> = [
    ['', "parameter 'v' is required; use v=1"],
    ['V=1', "parameter 'v' is required; use v=1"],
    ['v=2', "v='2' is not supported; use v=1"],
    ['v=1.0', "v='1.0' is not supported; use v=1"],
    ['v=', "v='' is not supported; use v=1"],
    ['v=1&v=1', "parameter 'v' is given 2 times; give it at most once"],
    ['v=1&NC=TRUE', "NC='TRUE' is not allowed; use NC=true or NC=false, or leave it out"],
    ['v=1&NC=', "NC='' is not allowed; use NC=true or NC=false, or leave it out"],
    ['v=1&NC=true&NC=true', "parameter 'NC' is given 2 times; give it at most once"],
    ['v=1&skill=Sales&skill=Sales', "parameter 'skill' is given 2 times; give it at most once"],
    ['v=1&agent=John&agent=Mary&agent=Ravi', "parameter 'agent' is given 3 times; give it at most once"],
    ['v=1&maxWaitTime=1&maxWaitTime=2', "parameter 'maxWaitTime' is given 2 times; give it at most once"],
    ['v=1&agent=John&skill=Sales', "parameter 'agent' cannot be used with 'skill' or 'maxWaitTime'; ask for an agent alone, or for a skill and/or a wait"],
    ['v=1&agent=John&maxWaitTime=0', "parameter 'agent' cannot be used with 'skill' or 'maxWaitTime'; ask for an agent alone, or for a skill and/or a wait"],
    ['v=1&skill=', `skill='' is not a skill name; ${alnum}`],
    ['v=1&skill=Sa-les', `skill='Sa-les' is not a skill name; ${alnum}`],
    ['v=1&skill=Sales%20', `skill='Sales ' is not a skill name; ${alnum}`],
    ['v=1&agent=', `agent='' is not a login name; ${alnum}`],
    ['v=1&agent=john.s', `agent='john.s' is not a login name; ${alnum}`],
    ['v=1&maxWaitTime=-1', `maxWaitTime='-1' is not a number of seconds; ${range}`],
    ['v=1&maxWaitTime=%2B5', `maxWaitTime='+5' is not a number of seconds; ${range}`],
    ['v=1&maxWaitTime=+5', `maxWaitTime=' 5' is not a number of seconds; ${range}`],
    ['v=1&maxWaitTime=1.5', `maxWaitTime='1.5' is not a number of seconds; ${range}`],
    ['v=1&maxWaitTime=1e3', `maxWaitTime='1e3' is not a number of seconds; ${range}`],
    ['v=1&maxWaitTime=abc', `maxWaitTime='abc' is not a number of seconds; ${range}`],
    ['v=1&maxWaitTime=', `maxWaitTime='' is not a number of seconds; ${range}`],
    ['v=1&maxWaitTime', `maxWaitTime='' is not a number of seconds; ${range}`],
    ['v=1&maxWaitTime=86401', `maxWaitTime='86401' is out of range; ${range}`],
    ['v=1&maxWaitTime=99999999999999999999', `maxWaitTime='99999999999999999999' is out of range; ${range}`]
  ]
  for (const [query, message] of cases) {
    const res = await sim.request({ url: johnUrl(query), headers: asJohn })
    t.equal(res.statusCode, 400, query)
    t.equal(res.headers['content-type'], JSON_TYPE, query)
    t.equal(res.body, jsonError(20, message), query)
  }
})

t.test('accepted query forms', async (t) => {
  const sim = await build(t)
  const cases: Array<[string, number]> = [
    // R·86400 = 1707.4 releases: the 1673rd waiting chat starts in time with P(Poisson(1707.4) ≥ 1673) = 0.8007, the next with 0.7938.
    ['v=1&maxWaitTime=86400', 1676],
    ['v=1&maxWaitTime=0000000000000120', 4], // leading zeros: 120; R·120 = 2.37, P(Poisson(2.37) ≥ 1) = 0.907, ≥ 2: 0.685
    ['v=1&foo=1&foo=2&Skill=Nope&AGENT=x', 3], // unknown parameters, repeated or not, are ignored; names are case-sensitive
    ['NC=true&v=1&skill=Sales', 2], // order does not matter
    ['v=1&skill=Sales&maxWaitTime=0', 2],
    ['%76=1&%73kill=Sales', 2], // percent-encoded names
    ['v=1&agent=John&NC=true', 2] // NC may go with agent
  ]
  for (const [query, slots] of cases) {
    const res = await sim.request({ url: johnUrl(query), headers: asJohn })
    t.equal(res.statusCode, 200, query)
    t.equal(res.body, `{"availableSlots":${slots}}`, query)
  }
})

t.test('unknown skill or agent: 404, names matched exactly and safely', async (t) => {
  const sim = await build(t)
  const cases: Array<[string, number, string]> = [
    ['skill=sales', 30, "skill 'sales' does not exist in account 12345678; skill names are case-sensitive"],
    ['skill=constructor', 30, "skill 'constructor' does not exist in account 12345678; skill names are case-sensitive"],
    ['skill=toString&maxWaitTime=5', 30, "skill 'toString' does not exist in account 12345678; skill names are case-sensitive"],
    ['agent=john', 31, "agent 'john' does not exist in account 12345678; login names are case-sensitive"],
    ['agent=hasOwnProperty', 31, "agent 'hasOwnProperty' does not exist in account 12345678; login names are case-sensitive"]
  ]
  for (const [query, code, message] of cases) {
    const res = await sim.request({ url: johnUrl(`v=1&${query}`), headers: asJohn })
    t.equal(res.statusCode, 404, query)
    t.equal(res.body, jsonError(code, message), query)
  }
  const xml = await sim.request({ url: johnUrl('v=1&skill=Nope', '.xml'), headers: asJohn })
  t.equal(xml.statusCode, 404)
  t.equal(xml.headers['content-type'], XML_TYPE)
  t.equal(xml.body, xmlError(30, 'skill &apos;Nope&apos; does not exist in account 12345678; skill names are case-sensitive'))
})

t.test('errors are negotiated like answers', async (t) => {
  const sim = await build(t)
  const bySuffix = await sim.request({ url: johnUrl('v=1', '.xml') })
  t.equal(bySuffix.statusCode, 401)
  t.equal(bySuffix.headers['content-type'], XML_TYPE)
  t.equal(bySuffix.body, xmlError(10, 'missing Authorization header; send &apos;Authorization: Bearer &lt;token&gt;&apos; with the bearer of a login (POST /api/account/{accountId}/login)'))
  const byAccept = await sim.request({ url: johnUrl('v=2'), headers: { ...asJohn, accept: 'text/xml' } })
  t.equal(byAccept.statusCode, 400)
  t.equal(byAccept.headers['content-type'], TEXT_XML_TYPE)
  t.equal(byAccept.body, xmlError(20, 'v=&apos;2&apos; is not supported; use v=1'))
})

t.test('echoed text is escaped in XML, and characters XML cannot carry become U+FFFD', async (t) => {
  const sim = await build(t)
  const res = await sim.request({ url: johnUrl('v=%3C%2Fmessage%3E%26%01%EF%BF%BF', '.xml'), headers: asJohn })
  t.equal(res.statusCode, 400)
  t.equal(res.body, xmlError(20, 'v=&apos;&lt;/message&gt;&amp;\uFFFD\uFFFD&apos; is not supported; use v=1'))
  const json = await sim.request({ url: johnUrl('v=%3C%2Fmessage%3E%26%01'), headers: asJohn })
  t.equal(json.body, jsonError(20, "v='</message>&\u0001' is not supported; use v=1"))
  const long = await sim.request({ url: johnUrl(`v=${'9'.repeat(500)}`), headers: asJohn })
  t.equal(long.body, jsonError(20, `v='${'9'.repeat(80)}…' is not supported; use v=1`), 'echoes are cut short')
})

t.test('the order of checks: 404/405 → 406 → 401 → 403 → 400 → 404', async (t) => {
  const sim = await build(t)
  const everythingWrong = { accept: 'text/html', authorization: 'Basic x' }
  const status = async (method: 'GET' | 'POST', url: string, headers: Record<string, string>): Promise<number> =>
    (await sim.request({ method, url, headers })).statusCode
  t.equal(await status('GET', '/api/account/12345678/agentSession/x/chat/nothing?v=2', everythingWrong), 404)
  t.equal(await status('POST', johnUrl('v=2'), everythingWrong), 405)
  t.equal(await status('GET', johnUrl('v=2&skill=Nope'), everythingWrong), 406)
  t.equal(await status('GET', slotsUrl('1', 'x', 'v=2&skill=Nope'), { authorization: 'Basic x' }), 401)
  t.equal(await status('GET', slotsUrl('1', 'x', 'v=2&skill=Nope'), asJohn), 403)
  t.equal(await status('GET', johnUrl('v=2&skill=Nope'), asJohn), 400)
  t.equal(await status('GET', johnUrl('v=1&skill=Nope'), asJohn), 404)
})

t.test('wrong method: 405 with Allow, before the body is read', async (t) => {
  const sim = await build(t)
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const) {
    const res = await sim.request({
      method, url: johnUrl(), headers: { ...asJohn, 'content-type': 'application/json' }, payload: '{not json'
    })
    t.equal(res.statusCode, 405, method)
    t.equal(res.headers.allow, 'GET, HEAD')
    t.equal(res.headers['content-type'], JSON_TYPE)
    t.equal(res.body, jsonError(40, `method ${method} is not allowed here; this resource allows GET, HEAD`))
  }
  const xml = await sim.request({ method: 'DELETE', url: johnUrl('v=1', '.xml') })
  t.equal(xml.statusCode, 405)
  t.equal(xml.body, xmlError(40, 'method DELETE is not allowed here; this resource allows GET, HEAD'))
})

t.test('HEAD answers with the headers of GET', async (t) => {
  const sim = await build(t)
  const res = await sim.request({ method: 'HEAD', url: johnUrl('v=1&skill=Sales'), headers: asJohn })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], JSON_TYPE)
  t.equal(res.headers['content-length'], String('{"availableSlots":2}'.length))
  t.equal(res.body, '')
})

t.test('unknown routes: 404 in the product\'s error body', async (t) => {
  const sim = await build(t)
  const served = 'this API serves GET /api/account/{accountId}/agentSession/{agentSessionId}/chat/availableSlots, the login, agent session and visitor routes around it, each optionally ending .json or .xml; openapi.yaml and /documentation list them'
  const cases: Array<[string, string | undefined, string, string]> = [
    ['/', undefined, JSON_TYPE, jsonError(32, `no route GET '/'; ${served}`)],
    [`${johnUrl('')}/`, undefined, JSON_TYPE, jsonError(32, `no route GET '${johnUrl('')}/'; ${served}`)],
    ['/api/account/1/agentSession/2/chat/AVAILABLESLOTS?v=1', undefined, JSON_TYPE,
      jsonError(32, `no route GET '/api/account/1/agentSession/2/chat/AVAILABLESLOTS'; ${served}`)],
    ['/nothing.xml', undefined, XML_TYPE, xmlError(32, `no route GET &apos;/nothing.xml&apos;; ${served}`)],
    ['/a&b', 'text/xml', TEXT_XML_TYPE, xmlError(32, `no route GET &apos;/a&amp;b&apos;; ${served}`)]
  ]
  for (const [url, accept, type, body] of cases) {
    const res = await sim.request({ url, headers: accept === undefined ? {} : { accept } })
    t.equal(res.statusCode, 404, url)
    t.equal(res.headers['content-type'], type, url)
    t.equal(res.body, body, url)
  }
})

t.test('malformed requests get 400 in the product\'s error body', async (t) => {
  const sim = await build(t)
  const path = await sim.request({ url: '/api/account/%E0%A4%A/agentSession/s/chat/availableSlots?v=1', headers: asJohn })
  t.equal(path.statusCode, 400)
  t.equal(path.headers['content-type'], JSON_TYPE)
  t.equal(path.body, jsonError(21, "malformed request: the path '/api/account/%E0%A4%A/agentSession/s/chat/availableSlots' is not valid percent-encoding"))
  const query = await sim.request({ url: johnUrl('v=1&skill=%ZZ'), headers: asJohn })
  t.equal(query.statusCode, 400)
  t.equal(query.body, jsonError(21, "malformed request: the query part 'skill=%ZZ' is not valid percent-encoding"))
  const queryXml = await sim.request({ url: johnUrl('v=1&%ZZ=1', '.xml'), headers: asJohn })
  t.equal(queryXml.statusCode, 400)
  t.equal(queryXml.body, xmlError(21, 'malformed request: the query part &apos;%ZZ=1&apos; is not valid percent-encoding'))
  const unauthenticated = await sim.request({ url: johnUrl('v=1&skill=%ZZ') })
  t.equal(unauthenticated.statusCode, 401, 'a malformed query is a 400, so it comes after authentication')
})

t.test('scenarios: busy, unlimited, after-hours, multi-tenant', async (t) => {
  const ask = async (scenario: string, acc: string, session: string, token: string, query: string): Promise<string> => {
    const sim = await build(t, scenario)
    const res = await sim.request({ url: slotsUrl(acc, session, query), headers: bearer(token) })
    t.equal(res.statusCode, 200, `${scenario} ${query}`)
    return res.body
  }
  const busy = ['20000001', 'sessAva', 'acd8a114e11b10a6e603ef982d9a0758555181b6d430e905a5bf271fc74608cf'] as const
  t.equal(await ask('busy', ...busy, 'v=1'), '{"availableSlots":0}')
  t.equal(await ask('busy', ...busy, 'v=1&skill=Support'), '{"availableSlots":0}')
  // 9 Support slots at 300 s: R·600 = 18; 6 are queued ahead; the 8th waiting chat (13 ahead) starts in time with 0.85.
  t.equal(await ask('busy', ...busy, 'v=1&skill=Support&maxWaitTime=600'), '{"availableSlots":8}')
  // Sales: a = R/θ = 2.5 with 2 ahead: a new chat starts at all with at most 2.5/5.5.
  t.equal(await ask('busy', ...busy, 'v=1&skill=Sales&maxWaitTime=3600'), '{"availableSlots":0}')
  t.equal(await ask('busy', ...busy, 'v=1&agent=Eve'), '{"availableSlots":0}')
  const unlimited = ['30000001', 'sessNora', '36e1f9e7820d715ff98607078c3879b7f5836ab9c7465af9006506213d057536'] as const
  t.equal(await ask('unlimited', ...unlimited, 'v=1'), '{"availableSlots":-1}')
  t.equal(await ask('unlimited', ...unlimited, 'v=1&skill=General&maxWaitTime=60'), '{"availableSlots":-1}')
  t.equal(await ask('unlimited', ...unlimited, 'v=1&skill=VIP'), '{"availableSlots":0}', 'the unlimited VIP agent is Away')
  t.equal(await ask('unlimited', ...unlimited, 'v=1&agent=Bot'), '{"availableSlots":-1}')
  t.equal(await ask('unlimited', ...unlimited, 'v=1&agent=Omar'), '{"availableSlots":0}')
  const afterHours = ['40000001', 'sessIvy', '0d0d6787a25213fb1075c8c5f7acad139b43836e45146f81a1438eac3a2517df'] as const
  t.equal(await ask('after-hours', ...afterHours, 'v=1'), '{"availableSlots":0}')
  t.equal(await ask('after-hours', ...afterHours, 'v=1&skill=Support&maxWaitTime=86400'), '{"availableSlots":0}')
  t.equal(await ask('after-hours', ...afterHours, 'v=1&maxWaitTime=86400'), '{"availableSlots":0}')
})

t.test('multi-tenant: accounts are isolated', async (t) => {
  const sim = await build(t, 'multi-tenant')
  const tenants: Array<[string, string, string]> = [
    ['50000001', 'e4eb82abb8f0c27b7dca562d6140061846677bef26345c143f1dd2527a822a85', '{"availableSlots":3}'],
    ['50000002', '288019cf4152def2127ea3f1c46195f6ef84809a059cf981fa774b990639fd3c', '{"availableSlots":0}']
  ]
  for (const [acc, token, body] of tenants) {
    const res = await sim.request({ url: slotsUrl(acc, 'sessSam', 'v=1&agent=Sam'), headers: bearer(token) })
    t.equal(res.body, body, `Sam of ${acc}`)
  }
  const crossed = await sim.request({ url: slotsUrl('50000002', 'sessSam', 'v=1'), headers: bearer(tenants[0]?.[1] as string) })
  t.equal(crossed.statusCode, 403, 'the same session id in another account is not the token\'s session')
  const third = await sim.request({
    url: slotsUrl('50000003', 'sessTia', 'v=1&skill=Returns'), headers: bearer('18b3c62cbeda4c7b0b0d47daa3786686d075d46ff08141c099144480307104c9')
  })
  t.equal(third.body, '{"availableSlots":-1}')
})

t.test('every method but GET and HEAD is 405 on the endpoint, before any body is read', async (t) => {
  const sim = await build(t)
  for (const method of ['TRACE', 'PROPFIND', 'SEARCH', 'COPY', 'LOCK', 'QUERY', 'REPORT'] as const) {
    const res = await sim.request({ method: method as 'GET', url: johnUrl(), headers: asJohn })
    t.equal(res.statusCode, 405, method)
    t.equal(res.headers.allow, 'GET, HEAD')
    t.equal(res.body, jsonError(40, `method ${method} is not allowed here; this resource allows GET, HEAD`))
  }
})

t.test('unknown routes are 404 whatever the body', async (t) => {
  const sim = await build(t)
  const served = 'this API serves GET /api/account/{accountId}/agentSession/{agentSessionId}/chat/availableSlots, the login, agent session and visitor routes around it, each optionally ending .json or .xml; openapi.yaml and /documentation list them'
  for (const payload of ['{bad', '', 'x'.repeat(2 * 1024 * 1024)]) {
    const res = await sim.request({ method: 'POST', url: '/nope', headers: { 'content-type': 'application/json' }, payload })
    t.equal(res.statusCode, 404, `a body of ${payload.length} characters`)
    t.equal(res.body, jsonError(32, `no route POST '/nope'; ${served}`))
  }
})

t.test('a percent-encoded suffix is a suffix, for answers and errors alike', async (t) => {
  const sim = await build(t)
  const ok = await sim.request({ url: `${johnUrl('')}%2Exml?v=1`, headers: asJohn })
  t.equal(ok.statusCode, 200)
  t.equal(ok.headers['content-type'], XML_TYPE)
  t.equal(ok.body, xmlSlots(3))
  const bad = await sim.request({ url: `${johnUrl('')}%2Exml?v=2`, headers: asJohn })
  t.equal(bad.statusCode, 400)
  t.equal(bad.headers['content-type'], XML_TYPE)
  t.equal(bad.body, xmlError(20, 'v=&apos;2&apos; is not supported; use v=1'))
  const json = await sim.request({ url: `${johnUrl('')}%2Ejson?v=2`, headers: { ...asJohn, accept: 'application/xml' } })
  t.equal(json.headers['content-type'], JSON_TYPE)
  t.equal(json.body, jsonError(20, "v='2' is not supported; use v=1"))
})

t.test('long path segments are just other accounts and sessions', async (t) => {
  const sim = await build(t)
  const long = 'a'.repeat(3000)
  const res = await sim.request({ url: slotsUrl(long, john.session), headers: asJohn })
  t.equal(res.statusCode, 403)
  const post = await sim.request({ method: 'POST', url: slotsUrl(account, long) })
  t.equal(post.statusCode, 405)
})

t.test('a path that does not decode: 405 → 406 → 401, then 400', async (t) => {
  const sim = await build(t)
  const url = slotsUrl(account, 'sess%ZZ')
  const post = await sim.request({ method: 'POST', url, headers: asJohn })
  t.equal(post.statusCode, 405)
  t.equal(post.headers.allow, 'GET, HEAD')
  t.equal(post.body, jsonError(40, 'method POST is not allowed here; this resource allows GET, HEAD'))
  const html = await sim.request({ url, headers: { ...asJohn, accept: 'text/html' } })
  t.equal(html.statusCode, 406)
  const anonymous = await sim.request({ url })
  t.equal(anonymous.statusCode, 401)
  t.equal(anonymous.body, jsonError(10, "missing Authorization header; send 'Authorization: Bearer <token>' with the bearer of a login (POST /api/account/{accountId}/login)"))
  const xml = await sim.request({ url: slotsUrl(account, 'sess%ZZ', 'v=1', '.xml'), headers: asJohn })
  t.equal(xml.statusCode, 400)
  t.equal(xml.headers['content-type'], XML_TYPE)
  t.equal(xml.body, xmlError(21, `malformed request: the path &apos;${slotsUrl(account, 'sess%ZZ', '', '.xml')}&apos; is not valid percent-encoding`))
})

t.test('a path that does not decode is read as far as it decodes', async (t) => {
  const sim = await build(t)
  const served = 'this API serves GET /api/account/{accountId}/agentSession/{agentSessionId}/chat/availableSlots, the login, agent session and visitor routes around it, each optionally ending .json or .xml; openapi.yaml and /documentation list them'
  const elsewhere = await sim.request({ url: '/foo%ZZ', headers: asJohn })
  t.equal(elsewhere.statusCode, 404, 'not the endpoint: unknown route first')
  t.equal(elsewhere.body, jsonError(32, `no route GET '/foo%ZZ'; ${served}`))
  const url = `/api/account/${account}/agentSession/sess%ZZ/chat/available%53lots%2Exml?v=1`
  const post = await sim.request({ method: 'POST', url })
  t.equal(post.statusCode, 405)
  t.equal(post.headers['content-type'], XML_TYPE)
  const anonymous = await sim.request({ url })
  t.equal(anonymous.statusCode, 401)
  t.equal(anonymous.headers['content-type'], XML_TYPE)
  const known = await sim.request({ url, headers: asJohn })
  t.equal(known.statusCode, 400)
  t.equal(known.body, xmlError(21, `malformed request: the path &apos;${url.split('?')[0] as string}&apos; is not valid percent-encoding`))
})

t.test('echoed text: CR survives XML, and cutting never splits a character', async (t) => {
  const sim = await build(t)
  const cr = await sim.request({ url: johnUrl('v=a%0Db', '.xml'), headers: asJohn })
  t.equal(cr.body, xmlError(20, 'v=&apos;a&#13;b&apos; is not supported; use v=1'))
  const emoji = await sim.request({ url: johnUrl(`v=${'a'.repeat(79)}%F0%9F%98%80`), headers: asJohn })
  t.equal(emoji.body, jsonError(20, `v='${'a'.repeat(79)}…' is not supported; use v=1`))
})

t.test('an Accept header in which nothing parses states no preference', async (t) => {
  const sim = await build(t)
  for (const accept of ['foo', ',', 'application/json;q=x']) {
    const res = await sim.request({ url: johnUrl(), headers: { ...asJohn, accept } })
    t.equal(res.statusCode, 200, accept)
    t.equal(res.headers['content-type'], JSON_TYPE, accept)
  }
})

t.test('negotiated answers say Vary: Accept; suffixed ones do not; a 401 challenges for a bearer (RFC 6750)', async (t) => {
  const sim = await build(t, 'default', { cors: 'off' })
  const negotiated = await sim.request({ url: johnUrl('v=1'), headers: asJohn })
  t.equal(negotiated.headers.vary, 'Accept')
  const suffixed = await sim.request({ url: johnUrl('v=1', '.xml'), headers: asJohn })
  t.equal(suffixed.headers.vary, undefined, 'the suffix alone chooses the representation')
  const error = await sim.request({ url: johnUrl('v=2'), headers: { ...asJohn, accept: 'text/xml' } })
  t.equal(error.statusCode, 400)
  t.equal(error.headers.vary, 'Accept', 'errors are negotiated too')
  const notAcceptable = await sim.request({ url: johnUrl('v=1'), headers: { ...asJohn, accept: 'image/png' } })
  t.equal(notAcceptable.statusCode, 406)
  t.equal(notAcceptable.headers.vary, 'Accept')
  const missing = await sim.request({ url: johnUrl('v=1') })
  t.equal(missing.statusCode, 401)
  t.equal(missing.headers['www-authenticate'], 'Bearer realm="agent session"')
  const empty = await sim.request({ url: johnUrl('v=1'), headers: { authorization: '' } })
  t.equal(empty.statusCode, 401)
  t.equal(empty.headers['www-authenticate'], 'Bearer realm="agent session"', 'an empty header is a missing one')
  const expired = await sim.request({ url: slotsUrl(account, 'sessJohnOld', 'v=1'), headers: bearer('3fb5ddeed6ba8f0c0d49a50a05d4c705f6a01d51f51867cc064390cfc8178dbe') })
  t.equal(expired.statusCode, 401)
  t.equal(expired.headers['www-authenticate'], 'Bearer realm="agent session", error="invalid_token"')
  const forbidden = await sim.request({ url: slotsUrl(account, 'sessMary', 'v=1'), headers: asJohn })
  t.equal(forbidden.statusCode, 403)
  t.equal(forbidden.headers['www-authenticate'], undefined, 'a valid token used elsewhere is 403, with no challenge')
})
