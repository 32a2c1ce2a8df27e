/**
 * The pending events of a discrete-event simulation: a binary min-heap on typed arrays, ordered by time and, at
 * equal times, by the order they were pushed, so that a run is the same on every machine. An event is two numbers
 * the caller interprets (`who`, a small integer; `tag`, any double); nothing is allocated per event.
 */
export class EventHeap {
  size = 0
  /** The earliest event is at index 0: read time[0], who[0], tag[0], then pop(). */
  time: Float64Array
  who: Int32Array
  tag: Float64Array
  /** Push order, the tie-break at equal times (a double: exact far beyond any run's length). */
  private seq: Float64Array
  private pushed = 0

  constructor (capacity = 64) {
    this.time = new Float64Array(capacity)
    this.who = new Int32Array(capacity)
    this.tag = new Float64Array(capacity)
    this.seq = new Float64Array(capacity)
  }

  push (time: number, who: number, tag: number): void {
    if (this.size === this.time.length) this.grow()
    const times = this.time
    const seqs = this.seq
    const seq = this.pushed++
    let i = this.size++
    // Sift the hole up, moving parents down, and write the event once where it belongs.
    while (i > 0) {
      const parent = (i - 1) >> 1
      const t = times[parent] as number
      if (t < time || (t === time && (seqs[parent] as number) < seq)) break
      this.move(parent, i)
      i = parent
    }
    this.put(i, time, seq, who, tag)
  }

  /** Removes the earliest event. */
  pop (): void {
    const n = --this.size
    if (n === 0) return
    this.siftDown(0, n, this.time[n] as number, this.seq[n] as number, this.who[n] as number, this.tag[n] as number)
  }

  /** Keeps only the events `keep` accepts (dropping cancelled ones in one O(n) pass); their order is unchanged. */
  retain (keep: (who: number, tag: number) => boolean): void {
    let n = 0
    for (let i = 0; i < this.size; i++) {
      if (!keep(this.who[i] as number, this.tag[i] as number)) continue
      if (n !== i) this.move(i, n)
      n++
    }
    this.size = n
    // Floyd's heap construction: sift down every parent, last first.
    for (let i = (n >> 1) - 1; i >= 0; i--) {
      this.siftDown(i, n, this.time[i] as number, this.seq[i] as number, this.who[i] as number, this.tag[i] as number)
    }
  }

  /** Places the event (time, seq, who, tag) in the hole at `i` of the heap's first `n` entries. */
  private siftDown (i: number, n: number, time: number, seq: number, who: number, tag: number): void {
    const times = this.time
    const seqs = this.seq
    for (;;) {
      let child = 2 * i + 1
      if (child >= n) break
      const right = child + 1
      if (right < n) {
        const tr = times[right] as number
        const tc = times[child] as number
        if (tr < tc || (tr === tc && (seqs[right] as number) < (seqs[child] as number))) child = right
      }
      const tc = times[child] as number
      if (time < tc || (time === tc && seq < (seqs[child] as number))) break
      this.move(child, i)
      i = child
    }
    this.put(i, time, seq, who, tag)
  }

  private move (from: number, to: number): void {
    this.time[to] = this.time[from] as number
    this.seq[to] = this.seq[from] as number
    this.who[to] = this.who[from] as number
    this.tag[to] = this.tag[from] as number
  }

  private put (i: number, time: number, seq: number, who: number, tag: number): void {
    this.time[i] = time
    this.seq[i] = seq
    this.who[i] = who
    this.tag[i] = tag
  }

  private grow (): void {
    const capacity = this.time.length * 2
    this.time = grown(this.time, new Float64Array(capacity))
    this.seq = grown(this.seq, new Float64Array(capacity))
    this.who = grown(this.who, new Int32Array(capacity))
    this.tag = grown(this.tag, new Float64Array(capacity))
  }
}

/** `into`, with `from` copied to its start. */
export function grown<A extends Float64Array | Int32Array | Uint8Array> (from: A, into: A): A {
  into.set(from)
  return into
}
