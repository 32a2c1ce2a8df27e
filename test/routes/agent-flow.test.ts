/**
 * The whole flow as a client does it, in JSON and in XML: the account's links → login → start an agent session →
 * follow its chat-available-slots link → read slots → set Away → slots change, and the visitor's availability →
 * Online again → log out → the bearer is refused.
 */
import t from 'tap'
import { XMLParser } from 'fast-xml-parser'
import { build, DEFAULT, JSON_TYPE, jsonError, loginAnswer, XML_TYPE, xmlError, xmlSlots } from '../helpers/app.js'

const APP_KEY = '5ccd8aaa1646eb9da7bc166d349a1502'
const HOST = 'http://localhost:80'
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false })
const pathOf = (href: string): string => new URL(href).pathname
const NOT_RECOGNISED = "the bearer token is not recognised; send 'Authorization: Bearer <token>' with the bearer of a login (POST /api/account/{accountId}/login)"

/** The href of the link with this rel, among one link or several. */
function href (links: unknown, rel: string): string {
  const found = ([] as Array<{ '@href': string, '@rel': string }>).concat(links as never).find((l) => l['@rel'] === rel)
  if (found === undefined) throw new Error(`no link ${rel}`)
  return found['@href']
}

t.test('the whole flow in JSON', async (t) => {
  const sim = await build(t)
  const account = await sim.request({ url: `/api/account/${DEFAULT.account}?v=1` })
  t.equal(account.statusCode, 200)
  t.equal(account.headers['content-type'], JSON_TYPE)
  const base = `${HOST}/api/account/${DEFAULT.account}`
  t.strictSame(JSON.parse(account.body), {
    account: {
      '@id': DEFAULT.account,
      link: [
        { '@href': base, '@rel': 'self' },
        { '@href': `${base}/login`, '@rel': 'login' },
        { '@href': `${base}/agentSession`, '@rel': 'agentSession' },
        { '@href': `${base}/chat/availability`, '@rel': 'chat-availability' },
        { '@href': `${base}/chat/availableSlots`, '@rel': 'chat-available-slots' },
        { '@href': `${base}/chat/estimatedWaitTime`, '@rel': 'chat-estimatedWaitTime' }
      ]
    }
  })
  const links = JSON.parse(account.body).account.link

  const login = await sim.request({ method: 'POST', url: `${pathOf(href(links, 'login'))}?v=1.3`, payload: { username: 'John', password: 'john123' } })
  t.equal(login.statusCode, 200)
  t.equal(login.headers['content-type'], JSON_TYPE)
  const answer = JSON.parse(login.body)
  t.match(answer.bearer, /^[0-9a-f]{64}$/)
  t.match(answer.csrf, /^[0-9a-f]{64}$/)
  t.match(answer.wsuk, /^[0-9]{10}$/)
  t.strictSame(answer, loginAnswer(answer, 'John', '1'))
  const auth = { authorization: `Bearer ${answer.bearer}` }

  const started = await sim.request({ method: 'POST', url: `${pathOf(href(links, 'agentSession'))}?v=1&NC=true`, headers: auth, payload: { loginData: '' } })
  t.equal(started.statusCode, 201)
  t.equal(started.headers['content-type'], JSON_TYPE)
  const location = String(started.headers.location)
  t.match(location, new RegExp(`^${base}/agentSession/[0-9]{10}$`), 'a numeric id, as the real service gives')
  t.strictSame(JSON.parse(started.body), { agentSessionLocation: { link: { '@href': location, '@rel': 'location' } } })

  const session = await sim.request({ url: `${pathOf(location)}?v=1&NC=true`, headers: auth })
  t.equal(session.statusCode, 200)
  const sessionId = location.split('/').at(-1) as string
  t.strictSame(JSON.parse(session.body), {
    agentSession: {
      '@id': sessionId,
      link: [
        { '@href': location, '@rel': 'self' },
        { '@href': `${location}/info`, '@rel': 'info' },
        { '@href': `${location}/availability`, '@rel': 'availability' },
        { '@href': `${location}/availableAgents`, '@rel': 'available-agents' },
        { '@href': `${location}/chat/availableSlots`, '@rel': 'chat-available-slots' }
      ]
    }
  })
  const sessionLinks = JSON.parse(session.body).agentSession.link
  const slots = `${pathOf(href(sessionLinks, 'chat-available-slots'))}?v=1&NC=true&skill=Sales`
  const availability = `${pathOf(href(sessionLinks, 'availability'))}?v=1&NC=true`
  const visitor = `${pathOf(href(links, 'chat-availability'))}?v=1&skill=Sales`
  const asVisitor = { authorization: `LivePerson appKey=${APP_KEY}` }

  const before = await sim.request({ url: slots, headers: auth })
  t.equal(before.statusCode, 200)
  t.equal(before.body, '{"availableSlots":2}', 'John has 2 of his 3 Sales slots free')
  t.equal((await sim.request({ url: visitor, headers: asVisitor })).body, '{"availability":true}')

  const away = await sim.request({
    method: 'POST', url: availability, headers: { ...auth, 'x-http-method-override': 'PUT' }, payload: { availability: { chat: 'Away' } }
  })
  t.equal(away.statusCode, 200)
  t.equal(away.body, '{"availability":{"chat":"Away","voice":"Offline"}}')
  t.equal((await sim.request({ url: availability, headers: auth })).body, '{"availability":{"chat":"Away","voice":"Offline"}}')
  t.equal((await sim.request({ url: slots, headers: auth })).body, '{"availableSlots":0}', 'nobody else is Online for Sales')
  const closed = await sim.request({ url: visitor, headers: asVisitor })
  t.equal(closed.statusCode, 200)
  t.equal(closed.headers['content-type'], JSON_TYPE)
  t.equal(closed.body, '{"availability":false}')

  const online = await sim.request({ method: 'PUT', url: availability, headers: auth, payload: { availability: { chat: 'Online' } } })
  t.equal(online.body, '{"availability":{"chat":"Online","voice":"Offline"}}')
  t.equal((await sim.request({ url: slots, headers: auth })).body, '{"availableSlots":2}')
  t.equal((await sim.request({ url: visitor, headers: asVisitor })).body, '{"availability":true}')

  const logout = await sim.request({ method: 'POST', url: `/api/account/${DEFAULT.account}/logout`, payload: { csrf: answer.csrf } })
  t.equal(logout.statusCode, 200)
  t.equal(logout.body, '')
  const refused = await sim.request({ url: slots, headers: auth })
  t.equal(refused.statusCode, 401)
  t.equal(refused.headers['content-type'], JSON_TYPE)
  t.equal(refused.headers['www-authenticate'], 'Bearer realm="agent session", error="invalid_token"')
  t.equal(refused.body, jsonError(10, NOT_RECOGNISED))
})

t.test('the whole flow in XML: .xml paths, XML bodies', async (t) => {
  const sim = await build(t)
  const account = await sim.request({ url: `/api/account/${DEFAULT.account}.xml?v=1` })
  t.equal(account.statusCode, 200)
  t.equal(account.headers['content-type'], XML_TYPE)
  const base = `${HOST}/api/account/${DEFAULT.account}`
  t.equal(account.body, '<?xml version="1.0" encoding="UTF-8"?>' +
    `<account id="${DEFAULT.account}"><link href="${base}" rel="self"></link><link href="${base}/login" rel="login"></link>` +
    `<link href="${base}/agentSession" rel="agentSession"></link><link href="${base}/chat/availability" rel="chat-availability"></link>` +
    `<link href="${base}/chat/availableSlots" rel="chat-available-slots"></link>` +
    `<link href="${base}/chat/estimatedWaitTime" rel="chat-estimatedWaitTime"></link></account>`)
  const links = xml.parse(account.body).account.link

  const login = await sim.request({ method: 'POST', url: `${pathOf(href(links, 'login'))}.xml?v=1.3`, payload: { username: 'Mary', password: 'mary123' } })
  t.equal(login.statusCode, 200)
  t.equal(login.headers['content-type'], XML_TYPE)
  const answer = xml.parse(login.body).login
  t.match(login.body, /^<\?xml version="1.0" encoding="UTF-8"\?><login><csrf>[0-9a-f]{64}<\/csrf><wsuk>[0-9]{10}<\/wsuk><config><loginName>Mary<\/loginName>/)
  t.equal(answer.sessionTTl, '28800000')
  t.match(answer.bearer, /^[0-9a-f]{64}$/)
  const auth = { authorization: `Bearer ${answer.bearer}` }

  const started = await sim.request({
    method: 'POST', url: `${pathOf(href(links, 'agentSession'))}.xml?v=1&NC=true`, headers: { ...auth, 'content-type': 'application/xml' }, payload: '<loginData></loginData>'
  })
  t.equal(started.statusCode, 201)
  t.equal(started.headers['content-type'], XML_TYPE)
  const location = String(started.headers.location)
  t.equal(started.body, `<?xml version="1.0" encoding="UTF-8"?><agentSessionLocation><link href="${location}" rel="location"></link></agentSessionLocation>`)

  const session = await sim.request({ url: `${pathOf(location)}.xml?v=1`, headers: auth })
  t.equal(session.statusCode, 200)
  t.equal(session.headers['content-type'], XML_TYPE)
  const sessionLinks = xml.parse(session.body).agentSession.link
  t.strictSame(sessionLinks.map((l: Record<string, string>) => l['@rel']), ['self', 'info', 'availability', 'available-agents', 'chat-available-slots'])
  const slots = `${pathOf(href(sessionLinks, 'chat-available-slots'))}.xml?v=1&skill=Support`
  const availability = `${pathOf(href(sessionLinks, 'availability'))}.xml?v=1`
  const visitor = `${pathOf(href(links, 'chat-availability'))}.xml?v=1&skill=Support&appKey=${APP_KEY}`

  // Support: John 2 free, Mary 0 of 2, Anna Occupied; 2 queued → 0 now; Mary going Away changes no free slot but the release rate.
  t.equal((await sim.request({ url: slots, headers: auth })).body, xmlSlots(0))
  t.equal((await sim.request({ url: visitor })).body, '<?xml version="1.0" encoding="UTF-8"?><availability>true</availability>')

  const away = await sim.request({
    method: 'POST', url: availability, headers: { ...auth, 'x-http-method-override': 'PUT', 'content-type': 'application/xml' },
    payload: '<?xml version="1.0"?><availability><chat>Away</chat></availability>'
  })
  t.equal(away.statusCode, 200)
  t.equal(away.headers['content-type'], XML_TYPE)
  t.equal(away.body, '<?xml version="1.0" encoding="UTF-8"?><availability><chat>Away</chat><voice>Offline</voice></availability>')
  const john = await sim.request({
    method: 'PUT', url: `/api/account/${DEFAULT.account}/agentSession/${DEFAULT.john.session}/availability.xml?v=1`,
    headers: { authorization: `Bearer ${DEFAULT.john.bearer}`, 'content-type': 'text/xml' }, payload: '<availability><chat>Away</chat></availability>'
  })
  t.equal(john.statusCode, 200, 'a session made in advance works as before')
  t.equal((await sim.request({ url: visitor })).body, '<?xml version="1.0" encoding="UTF-8"?><availability>false</availability>',
    'nobody with Support is Online now')

  const online = await sim.request({
    method: 'PUT', url: availability, headers: { ...auth, 'content-type': 'application/xml' }, payload: '<availability><chat>Online</chat></availability>'
  })
  t.equal(online.body, '<?xml version="1.0" encoding="UTF-8"?><availability><chat>Online</chat><voice>Offline</voice></availability>')
  t.equal((await sim.request({ url: visitor })).body, '<?xml version="1.0" encoding="UTF-8"?><availability>true</availability>')

  const logout = await sim.request({ method: 'POST', url: `/api/account/${DEFAULT.account}/logout.xml`, payload: { csrf: answer.csrf } })
  t.equal(logout.statusCode, 200)
  t.equal(logout.body, '')
  const refused = await sim.request({ url: slots, headers: auth })
  t.equal(refused.statusCode, 401)
  t.equal(refused.headers['content-type'], XML_TYPE)
  t.equal(refused.body, xmlError(10, NOT_RECOGNISED.replace(/'/g, '&apos;').replace(/</g, '&lt;').replace(/>/g, '&gt;')))
})
