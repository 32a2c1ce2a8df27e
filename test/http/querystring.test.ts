import t from 'tap'
import { MALFORMED, parseQueryString, type Query } from '../../src/http/querystring.js'

/** The parameters alone (string keys), as a plain object. */
const params = (q: Query): Record<string, string[]> => Object.fromEntries(Object.entries(q))

t.test('values are lists, names are decoded, + is a space', async (t) => {
  const q = parseQueryString('v=1&skill=a+b&%73kill=c%20d&flag&&x=')
  t.same(params(q), { v: ['1'], skill: ['a b', 'c d'], flag: [''], x: [''] })
  t.equal(q[MALFORMED], undefined)
  t.equal(Object.getPrototypeOf(q), null, 'no prototype: constructor or __proto__ are just names')
  t.same(params(parseQueryString('__proto__=1&constructor=2')), { ['__proto__']: ['1'], constructor: ['2'] })
  t.same(params(parseQueryString('')), {})
  t.equal(parseQueryString('a=b=c').a?.[0], 'b=c', 'only the first = splits')
})

t.test('bad percent-encoding is remembered, not thrown', async (t) => {
  const q = parseQueryString('v=1&skill=%E0%A4%A&x=%zz')
  t.equal(q[MALFORMED], 'skill=%E0%A4%A', 'the first bad part')
  t.same(params(q), { v: ['1'] })
})
