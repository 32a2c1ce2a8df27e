import t from 'tap'
import fc from 'fast-check'
import { holds } from '../helpers/property.js'
import { IdIndex } from '../../src/domain/id-index.js'

t.test('answers as a Map does, through growth, wrap-around and deletions in any order', async (t) => {
  // Ids mostly in sequence (as chats arrive), some far apart (chats that stay), some crowded in few buckets (long
  // probe runs that wrap past the end of the table), deleted at random.
  const op = fc.oneof(
    { weight: 3, arbitrary: fc.constant({ add: true, id: 0 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 ** 40 }).map((id) => ({ add: true, id })) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 8 }).map((k) => ({ add: true, id: k * 32 - 1 + (k % 3) })) },
    { weight: 3, arbitrary: fc.nat(1000).map((id) => ({ add: false, id })) }
  )
  holds(t, 'same as a Map', fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
    const index = new IdIndex()
    const map = new Map<number, number>()
    let next = 1
    for (const [i, { add, id }] of ops.entries()) {
      if (add) {
        const key = id === 0 ? next++ : id
        if (map.has(key)) continue
        index.set(key, i)
        map.set(key, i)
      } else {
        const keys = [...map.keys()]
        const key = keys[id % Math.max(1, keys.length)]
        if (key === undefined) continue
        index.delete(key)
        map.delete(key)
      }
      if (index.size !== map.size) return false
      for (const [key, value] of map) if (index.get(key) !== value) return false
      if (index.get(next) !== -1 || index.get(2 ** 41) !== -1) return false
    }
    return true
  }), { numRuns: 500 })
})
