/**
 * Keeps `process.nextTick` on its fast path for the life of the process (Node 20, V8 11.3).
 *
 * nextTick queues `{ [async_id_symbol]: …, [trigger_async_id_symbol]: …, callback, args }`. V8 defines the properties
 * after the first computed one through an inline cache that holds the object's map weakly and has no way back from
 * megamorphic: when a full collection runs while no such object is alive, those maps die, the next call makes new ones,
 * and the cache turns megamorphic for good. From then on every nextTick defines three properties in V8's runtime:
 * 5–7 % of the CPU of an availableSlots request (docs/benchmarks.md). Start-up runs two full collections, so whether it
 * happened was chance. One object of the same shape, held for the life of the process, keeps those maps alive. It
 * must be made before start-up allocates much: hence the entry points load everything else after it.
 */
import { AsyncResource } from 'node:async_hooks'

let held: object | undefined

export function keepNextTickFast (): void {
  if (held !== undefined) return
  // An AsyncResource carries both of Node's symbols, and ids made as nextTick makes its own (the same kind of number).
  const resource = new AsyncResource('keepNextTickFast')
  const symbols = Object.getOwnPropertySymbols(resource)
  const asyncId = symbols.find((symbol) => symbol.description === 'async_id_symbol')
  const triggerId = symbols.find((symbol) => symbol.description === 'trigger_async_id_symbol')
  // On a Node that names them otherwise there is nothing to keep.
  if (asyncId === undefined || triggerId === undefined) return
  held = { [asyncId]: Reflect.get(resource, asyncId), [triggerId]: Reflect.get(resource, triggerId), callback: keepNextTickFast, args: undefined }
}
