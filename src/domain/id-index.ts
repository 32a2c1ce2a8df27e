/**
 * Positive integer ids → small integers, for ids that come and go all the time: open addressing on typed arrays,
 * with linear probing and backward-shift deletion, so no allocation and no tombstones (a Map with a set and a delete
 * per chat cost a third of the simulation's time). Ids handed out in sequence fall in consecutive buckets by their
 * low bits, so that they collide only when the live ids span more than the table.
 */
const EMPTY = 0

export class IdIndex {
  size = 0
  private keys = new Float64Array(8)
  private values = new Int32Array(8)
  private mask = 7

  /** The value of `id`, or -1. */
  get (id: number): number {
    const keys = this.keys
    for (let i = id & this.mask; ; i = (i + 1) & this.mask) {
      const key = keys[i] as number
      if (key === id) return this.values[i] as number
      if (key === EMPTY) return -1
    }
  }

  /** Adds `id`, which must not be there already. */
  set (id: number, value: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow()
    this.place(id, value)
    this.size++
  }

  delete (id: number): void {
    const keys = this.keys
    const mask = this.mask
    let hole = id & mask
    for (; ; hole = (hole + 1) & mask) {
      const key = keys[hole] as number
      if (key === id) break
      if (key === EMPTY) return
    }
    this.size--
    // Move later entries of the run back into the hole, unless that would put them before their own bucket.
    for (let j = (hole + 1) & mask; ; j = (j + 1) & mask) {
      const key = keys[j] as number
      if (key === EMPTY) break
      const home = key & mask
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j
      if (stays) continue
      keys[hole] = key
      this.values[hole] = this.values[j] as number
      hole = j
    }
    keys[hole] = EMPTY
  }

  private place (id: number, value: number): void {
    let i = id & this.mask
    while (this.keys[i] !== EMPTY) i = (i + 1) & this.mask
    this.keys[i] = id
    this.values[i] = value
  }

  private grow (): void {
    const keys = this.keys
    const values = this.values
    this.keys = new Float64Array(keys.length * 2)
    this.values = new Int32Array(keys.length * 2)
    this.mask = keys.length * 2 - 1
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as number
      if (key !== EMPTY) this.place(key, values[i] as number)
    }
  }
}
