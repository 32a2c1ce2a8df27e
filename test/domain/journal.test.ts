import fc from 'fast-check'
import t from 'tap'
import { holds } from '../helpers/property.js'
import { compactHeaders, globPattern, HEADER_BUDGET, Journal, MAX_RECORDED_TEXT, type JournalRecord } from '../../src/domain/journal.js'

type Entry = Omit<JournalRecord, 'id'>

/** A record as the plugin makes it from a URL: the path, and the query string apart. */
const entry = (time: number, method: string, url: string, status: number | null, account?: string): Entry => {
  const [path = '', query = ''] = url.split('?')
  return { time, method, path, query, headers: { host: 'localhost' }, status, durationMs: 1.5, ...(account === undefined ? {} : { account }) }
}

const ids = (records: JournalRecord[]): number[] => records.map((record) => record.id)

/** Five requests, ids 1..5, in the order listed. */
function sample (limit = 10): Journal {
  const journal = new Journal(limit)
  journal.record(entry(1000, 'GET', '/api/account/111/agentSession/s1/availableSlots?skill=Sales', 200, '111'))
  journal.record(entry(2000, 'GET', '/api/account/222/agentSession/s2/availableSlots.json', 401, '222'))
  journal.record(entry(3000, 'POST', '/api/account/111/agentSession/s1/availableSlots', 404, '111'))
  journal.record(entry(4000, 'GET', '/nowhere?a=1', 404))
  journal.record(entry(5000, 'GET', '/api/account/111/agentSession/s1/availableSlots.xml', null, '111'))
  return journal
}

t.test('records get ids from 1 up, oldest first, with everything as it was recorded', async (t) => {
  const journal = sample()
  const found = journal.find()
  t.strictSame(ids(found), [1, 2, 3, 4, 5])
  t.strictSame(found[0], {
    id: 1,
    time: 1000,
    method: 'GET',
    path: '/api/account/111/agentSession/s1/availableSlots',
    query: 'skill=Sales',
    headers: { host: 'localhost' },
    status: 200,
    durationMs: 1.5,
    account: '111'
  })
  t.strictSame(found[3], { id: 4, time: 4000, method: 'GET', path: '/nowhere', query: 'a=1', headers: { host: 'localhost' }, status: 404, durationMs: 1.5 },
    'no account key when the path names none')
  t.equal(found[4]?.status, null, 'a dropped connection is recorded with status null')
  t.equal(journal.count(), 5)
  t.equal(journal.dropped, 0)
  t.equal(journal.limit, 10)
})

t.test('a full journal drops the oldest first, and counts them', async (t) => {
  const journal = new Journal(3)
  for (let i = 1; i <= 3; i++) journal.record(entry(i * 1000, 'GET', `/r${i}`, 200))
  t.strictSame(ids(journal.find()), [1, 2, 3])
  t.equal(journal.dropped, 0, 'exactly full: nothing dropped yet')
  journal.record(entry(4000, 'GET', '/r4', 200))
  t.strictSame(ids(journal.find()), [2, 3, 4])
  t.equal(journal.dropped, 1)
  for (let i = 5; i <= 8; i++) journal.record(entry(i * 1000, 'GET', `/r${i}`, 200))
  t.strictSame(ids(journal.find()), [6, 7, 8], 'oldest first, after wrapping round the ring more than once')
  t.strictSame(journal.find().map((record) => record.path), ['/r6', '/r7', '/r8'])
  t.equal(journal.dropped, 5)
  t.equal(journal.count(), 3, 'never more than the limit')
})

t.test('a journal of limit 1 keeps only the newest', async (t) => {
  const journal = new Journal(1)
  journal.record(entry(1, 'GET', '/a', 200))
  journal.record(entry(2, 'GET', '/b', 200))
  t.strictSame(journal.find().map((record) => [record.id, record.path]), [[2, '/b']])
  t.equal(journal.dropped, 1)
})

t.test('a journal of limit 0 records nothing and drops nothing', async (t) => {
  const journal = new Journal(0)
  journal.record(entry(1000, 'GET', '/a', 200))
  journal.record(entry(2000, 'GET', '/b', 200))
  t.strictSame(journal.find(), [])
  t.strictSame(journal.find({ method: 'GET' }), [])
  t.equal(journal.count(), 0)
  t.equal(journal.dropped, 0)
  journal.clear()
  t.equal(journal.count(), 0)
})

t.test('filter by method, exactly', async (t) => {
  const journal = sample()
  t.strictSame(ids(journal.find({ method: 'GET' })), [1, 2, 4, 5])
  t.strictSame(ids(journal.find({ method: 'POST' })), [3])
  t.strictSame(ids(journal.find({ method: 'get' })), [], 'case matters')
  t.strictSame(ids(journal.find({ method: 'DELETE' })), [])
})

t.test('filter by path: the path without its query, `*` for any run of characters', async (t) => {
  const journal = sample()
  t.strictSame(ids(journal.find({ path: '/api/account/111/agentSession/s1/availableSlots' })), [1, 3], 'the query is not part of the path')
  t.strictSame(ids(journal.find({ path: '/api/account/*/agentSession/*/availableSlots' })), [1, 3])
  t.strictSame(ids(journal.find({ path: '/api/account/*/availableSlots*' })), [1, 2, 3, 5], '* also spans slashes')
  t.strictSame(ids(journal.find({ path: '*.json' })), [2])
  t.strictSame(ids(journal.find({ path: '*' })), [1, 2, 3, 4, 5])
  t.strictSame(ids(journal.find({ path: '/nowhere' })), [4])
  t.strictSame(ids(journal.find({ path: '/nowhere?a=1' })), [], 'the query never matches')
  t.strictSame(ids(journal.find({ path: '/api' })), [], 'the whole path must match, not a prefix')
  t.strictSame(ids(journal.find({ path: '/api/account/111/agentSession/s1/availableSlots.jso' })), [], 'nor a prefix of the last segment')
  t.strictSame(ids(journal.find({ path: '/api/account/111/agentSession/s1/availableSlots?json' })), [], '? is literal, not one character')
  t.strictSame(ids(journal.find({ path: '/api/account/222/agentSession/s2/availableSlots+json' })), [], '+ is literal')
})

t.test('globPattern matches literally except for *', async (t) => {
  t.equal(globPattern('/a.b').test('/a.b'), true)
  t.equal(globPattern('/a.b').test('/axb'), false, '. is literal')
  t.equal(globPattern('/(x)[y]{2}|z^$\\').test('/(x)[y]{2}|z^$\\'), true)
  t.equal(globPattern('a*c').test('ac'), true, '* matches the empty run')
  t.equal(globPattern('a*c').test('abbbc'), true)
  t.equal(globPattern('a*c').test('abcd'), false)
  t.equal(globPattern('a**').test('a'), true)
  t.equal(globPattern('').test(''), true)
  t.equal(globPattern('').test('x'), false)
  t.equal(globPattern('ab*bc').test('abc'), false, 'the pieces around a * do not overlap')
  t.equal(globPattern('*/x/*').test('/a/x/b/x/'), true)
})

t.test('globPattern answers as the regular expression it replaces, in linear time on hostile patterns', async (t) => {
  const reference = (glob: string): RegExp => new RegExp('^' + glob.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$')
  const piece = fc.string({ unit: fc.constantFrom('a', 'b', '/', '.', '*'), maxLength: 8 })
  holds(t, 'glob = regex', fc.property(piece, fc.string({ unit: fc.constantFrom('a', 'b', '/', '.'), maxLength: 14 }),
    (glob, text) => globPattern(glob).test(text) === reference(glob).test(text)), { numRuns: 2000 })
  // A backtracking regex takes seconds on these (12 s for `*a*b` against 15 KB); here they are a few scans of the text.
  const path = '/' + 'a'.repeat(15_000)
  t.equal(globPattern('*a*b').test(path), false)
  t.equal(globPattern('*a*a*a*b').test('/' + 'a'.repeat(4_000)), false)
  t.equal(globPattern('*a*a*a*a').test(path), true)
})

t.test('filter by account, status (a dropped request has none) and since', async (t) => {
  const journal = sample()
  t.strictSame(ids(journal.find({ account: '111' })), [1, 3, 5])
  t.strictSame(ids(journal.find({ account: '222' })), [2])
  t.strictSame(ids(journal.find({ account: '11' })), [], 'exactly, not a prefix')
  t.strictSame(ids(journal.find({ status: 404 })), [3, 4])
  t.strictSame(ids(journal.find({ status: 200 })), [1])
  t.strictSame(ids(journal.find({ status: 500 })), [])
  t.strictSame(journal.find().filter((record) => record.status === null).map((record) => record.id), [5],
    'the dropped one is listed with status null, and matches no status filter')
  t.strictSame(ids(journal.find({ since: 3000 })), [3, 4, 5], 'at or after')
  t.strictSame(ids(journal.find({ since: 3001 })), [4, 5])
  t.strictSame(ids(journal.find({ since: 5001 })), [])
  t.strictSame(ids(journal.find({ since: 0 })), [1, 2, 3, 4, 5])
})

t.test('filters combine: every one given must match', async (t) => {
  const journal = sample()
  t.strictSame(ids(journal.find({ method: 'GET', account: '111' })), [1, 5])
  t.strictSame(ids(journal.find({ method: 'GET', account: '111', since: 2000 })), [5])
  t.strictSame(ids(journal.find({ path: '/api/*', status: 404 })), [3])
  t.strictSame(ids(journal.find({ method: 'POST', status: 200 })), [])
  t.equal(journal.count({ method: 'GET', account: '111' }), 2)
  t.equal(journal.count({ path: '/api/*' }), 4)
  t.equal(journal.count({ status: 418 }), 0)
  t.strictSame(journal.find({}), journal.find(), 'an empty filter matches all')
})

t.test('filters apply to what is still kept, not to what was dropped', async (t) => {
  const journal = sample(3)
  t.equal(journal.dropped, 2)
  t.strictSame(ids(journal.find()), [3, 4, 5])
  t.strictSame(ids(journal.find({ account: '111' })), [3, 5])
  t.equal(journal.count({ status: 200 }), 0, 'the one 200 was dropped')
})

t.test('clear empties the journal and resets the dropped count; ids go on from where they were', async (t) => {
  const journal = sample(3)
  t.equal(journal.dropped, 2)
  journal.clear()
  t.strictSame(journal.find(), [])
  t.equal(journal.count(), 0)
  t.equal(journal.dropped, 0)
  journal.record(entry(6000, 'GET', '/after', 200))
  t.strictSame(journal.find().map((record) => [record.id, record.path]), [[6, '/after']], 'no id is given twice')
  for (let i = 7; i <= 10; i++) journal.record(entry(i * 1000, 'GET', `/r${i}`, 200))
  t.strictSame(ids(journal.find()), [8, 9, 10])
  t.equal(journal.dropped, 2, 'counted from the clear on')
})

t.test('the journal keeps within its byte budget: the oldest go first, and are counted', async (t) => {
  // Each of these records takes 1,023 characters, two bytes each: the method, path, a header's name and value
  // (3 + 1,000 + 4 + 9), the length of each and of the empty query and account (6), and the count of lengths (1).
  const journal = new Journal(100, 9_000)
  const big = (i: number): Entry => ({ ...entry(i, 'GET', `/${'a'.repeat(999)}`, 200), headers: { host: 'localhost' } })
  for (let i = 1; i <= 10; i++) journal.record(big(i))
  t.equal(journal.heldBytes, 4 * 2046, 'four fit in 9,000 bytes')
  t.strictSame(ids(journal.find()), [7, 8, 9, 10], 'the newest four, oldest first')
  t.equal(journal.dropped, 6)
  // Each record's text is in one piece: the 816 bytes at the end of the ring, too few for the last big one, stay
  // unused until the ring comes round, so a small record (58 bytes) still pushes the oldest out.
  journal.record(entry(11, 'GET', '/small', 200))
  t.strictSame(ids(journal.find()), [8, 9, 10, 11])
  t.equal(journal.heldBytes, 3 * 2046 + 58)
  t.equal(journal.dropped, 7)
  const multibyte = new Journal(10)
  multibyte.record({ ...entry(12, 'GET', '/ünïcødé ✓ 😀', 200, 'ä'), headers: { 'x-é': '✓✓' } })
  t.strictSame(multibyte.find(), [{ id: 1, time: 12, method: 'GET', path: '/ünïcødé ✓ 😀', query: '', headers: { 'x-é': '✓✓' }, status: 200, durationMs: 1.5, account: 'ä' }],
    'text comes back as it went in')
  journal.clear()
  t.equal(journal.heldBytes, 0)
  const long = new Journal(10)
  long.record(entry(1, 'GET', `/${'p'.repeat(20_000)}?${'q'.repeat(20_000)}`, 404))
  const [kept] = long.find()
  t.equal(kept?.path, `/${'p'.repeat(MAX_RECORDED_TEXT - 1)}…`, 'the path cut to 2,048 characters')
  t.equal(kept?.query, `${'q'.repeat(MAX_RECORDED_TEXT)}…`)
})

t.test('recorded headers hold no credential and stay within their budget', async (t) => {
  t.strictSame(compactHeaders({
    host: 'localhost',
    authorization: 'Bearer 313d06c0208c8ab418ba1b28ba0432d40fec06e385ac8780446a5eafacba23b0',
    'proxy-authorization': 'Basic dXNlcjpwYXNz',
    cookie: 'sid=abc; theme=dark',
    'x-api-key': 'k-123',
    'x-auth-token': 't-456',
    'x-session-id': 's-789',
    'set-cookie': ['a=1', 'b=2'],
    accept: 'application/json',
    'x-list': ['one', 'two'],
    'x-missing': undefined
  }), {
    host: 'localhost',
    authorization: 'Bearer 313d…',
    'proxy-authorization': 'Basic dXNl…',
    cookie: '…',
    'x-api-key': '…',
    'x-auth-token': '…',
    'x-session-id': '…',
    'set-cookie': '…',
    accept: 'application/json',
    'x-list': 'one, two'
  })
  t.strictSame(compactHeaders({ 'x-long': 'v'.repeat(1000) }), { 'x-long': `${'v'.repeat(256)}…` }, 'a value at most 256 characters')
  // 1,700 headers of 20 characters each (the attack of issue 9 was 1,700 headers a request).
  const many = Object.fromEntries(Array.from({ length: 1700 }, (_, i) => [`x-h${String(i).padStart(4, '0')}`, 'v'.repeat(12)]))
  const kept = compactHeaders(many)
  const chars = Object.entries(kept).reduce((sum, [name, value]) => sum + name.length + value.length, 0)
  t.equal(Object.keys(kept).length, Math.floor(HEADER_BUDGET / 19), 'as many whole headers as fit in 1,024 characters')
  t.ok(chars <= HEADER_BUDGET, `${chars} characters kept`)
})

/** A record's text in the ring: its fields, their lengths and the count of those, as UTF-16 (2 bytes a character). */
const textBytes = (r: JournalRecord): number => {
  const fields = [r.method, r.path, r.query, r.account ?? '', ...Object.entries(r.headers).flat()]
  return 2 * (1 + fields.length + fields.reduce((sum, text) => sum + text.length, 0))
}

t.test('the byte ring: whatever the sizes, the newest records are kept, read back as recorded, within both bounds', async (t) => {
  const text = fc.string({ unit: fc.constantFrom('a', '/', 'é', '✓', '😀'), maxLength: 300 })
  const record = fc.record({
    path: text,
    query: text,
    account: fc.option(text, { nil: undefined }),
    headers: fc.dictionary(fc.string({ unit: fc.constantFrom('x', '-', 'é'), minLength: 1, maxLength: 5 }), text, { maxKeys: 3 }),
    status: fc.option(fc.integer({ min: 100, max: 599 }), { nil: null })
  })
  holds(t, 'ring = the newest suffix', fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 100, max: 6000 }),
    fc.array(fc.oneof(record, fc.constant('clear' as const)), { maxLength: 40 }), (limit, maxBytes, steps) => {
      const journal = new Journal(limit, maxBytes)
      let since: JournalRecord[] = []
      let id = 0
      for (const step of steps) {
        if (step === 'clear') { journal.clear(); since = []; continue }
        const entry = { time: id, method: 'GET', ...step, durationMs: id / 3, ...(step.account === undefined ? {} : { account: step.account }) }
        journal.record(entry)
        id++
        const { account, ...rest } = entry
        since.push({ id, ...rest, ...(account === undefined ? {} : { account }) })
        const kept = journal.find()
        const keptIds = new Set(kept.map((r) => r.id))
        if (JSON.stringify(kept) !== JSON.stringify(since.filter((r) => keptIds.has(r.id)))) return false
        // What is kept is every record from the oldest kept on, but those whose text alone exceeds the budget.
        const oldest = kept[0]?.id ?? id + 1
        if (since.some((r) => r.id >= oldest && !keptIds.has(r.id) && textBytes(r) <= maxBytes)) return false
        if (kept.length === 0 && since.length > 0 && textBytes(since.at(-1) as JournalRecord) <= maxBytes) return false
        if (kept.length > limit || journal.heldBytes > maxBytes || kept.length + journal.dropped !== since.length) return false
      }
      return true
    }), { numRuns: 300 })
})
