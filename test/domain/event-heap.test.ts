import t from 'tap'
import fc from 'fast-check'
import { holds } from '../helpers/property.js'
import { EventHeap } from '../../src/domain/event-heap.js'

type Op = { op: 'push', time: number } | { op: 'pop' } | { op: 'retainEven' }

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  // Few distinct times, so that ties are common.
  { weight: 5, arbitrary: fc.record({ op: fc.constant('push' as const), time: fc.integer({ min: 0, max: 9 }).map((n) => n / 4) }) },
  { weight: 3, arbitrary: fc.constant({ op: 'pop' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'retainEven' as const }) }
)

t.test('events come out by time, then in the order they were pushed, through growth and retain', async (t) => {
  holds(t, 'same as a sorted list', fc.property(fc.array(opArbitrary, { maxLength: 300 }), (ops) => {
    const heap = new EventHeap(2)
    let reference: Array<{ time: number, who: number, tag: number }> = []
    let n = 0
    for (const op of ops) {
      if (op.op === 'push') {
        heap.push(op.time, n, n * 1.5)
        reference.push({ time: op.time, who: n, tag: n * 1.5 })
        n++
      } else if (op.op === 'retainEven') {
        heap.retain((who, tag) => who % 2 === 0 && tag === who * 1.5)
        reference = reference.filter((event) => event.who % 2 === 0)
      } else if (heap.size > 0) {
        // The reference keeps push order among equal times (a stable sort).
        reference.sort((a, b) => a.time - b.time)
        const expected = reference.shift()
        const got = { time: heap.time[0], who: heap.who[0], tag: heap.tag[0] }
        heap.pop()
        if (JSON.stringify(got) !== JSON.stringify(expected)) return false
      }
      if (heap.size !== reference.length) return false
    }
    return true
  }))
})
