import t from 'tap'
import { negotiate, suffixOf } from '../../src/http/media.js'

t.test('a suffix wins over any Accept', async (t) => {
  t.equal(negotiate('text/html', 'json'), 'application/json')
  t.equal(negotiate('application/json', 'xml'), 'application/xml')
  t.equal(suffixOf('/a/availableSlots.json?x=.xml'), 'json')
  t.equal(suffixOf('/a/availableSlots.xml'), 'xml')
  t.equal(suffixOf('/a/availableSlots?format=.json'), undefined)
})

t.test('Accept edge cases', async (t) => {
  const cases: Array<[string | undefined, string | undefined]> = [
    [undefined, 'application/json'],
    ['', 'application/json'],
    ['   ', 'application/json'],
    ['application/xml;charset=utf-8', 'application/xml'], // parameters other than q are ignored
    ['application/xml; q=0.5, text/xml; q=0.6', 'text/xml'],
    ['application/xml;Q=0.9, application/json;q=0.8', 'application/xml'], // q is case-insensitive
    ['application/json;q=2, application/xml;q=0.5', 'application/xml'], // an invalid q drops its range
    ['application/json;q=abc', 'application/json'], // no range parses: no preference stated
    ['application/json;q=0.0001, text/xml', 'text/xml'], // at most three decimals
    ['*/json, application/xml;q=0.5', 'application/xml'], // not a valid range
    ['application/json/extra', 'application/json'],
    ['text/html', undefined],
    ['application/xml, text/xml', 'application/xml'], // tied explicit types: the first of ours
    ['text/*;q=0.5, application/*;q=0.4', 'text/xml'],
    ['*/*;q=0.1, application/json;q=0.1', 'application/json'],
    ['*/*;q=0.2, application/xml;q=0.1', 'application/json'], // the most specific range decides xml's q
    [',,,', 'application/json'],
    ['foo', 'application/json']
  ]
  for (const [accept, expected] of cases) t.equal(negotiate(accept), expected, String(accept))
  // Answers are cached per header; the cache gives the same answers.
  for (const [accept, expected] of cases) t.equal(negotiate(accept), expected, `${String(accept)} (cached)`)
})
