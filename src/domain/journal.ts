/**
 * The request journal: every request to the public API, newest last, in a ring of fixed size (the oldest are
 * dropped first, and counted). Recording keeps references only; masking and formatting happen when it is read.
 */
export interface JournalRecord {
  id: number
  /** Simulated epoch milliseconds. */
  time: number
  method: string
  /** Percent-decoded, as the router and the faults see it. */
  path: string
  /** The query string as sent, without `?`. */
  query: string
  headers: Record<string, string | string[] | undefined>
  /** null: the connection was dropped (a fault) before any answer. */
  status: number | null
  durationMs: number
  /** The account the path names, when it names one. */
  account?: string
}

export interface JournalFilter {
  method?: string
  /** The path (without query); `*` matches any run of characters. */
  path?: string
  account?: string
  status?: number
  /** Simulated epoch milliseconds: only requests at or after it. */
  since?: number
}

export class Journal {
  private ring: Array<JournalRecord | undefined>
  private next = 0
  private size = 0
  private nextId = 1
  /** How many records were pushed out by newer ones since the journal was last cleared. */
  dropped = 0

  constructor (readonly limit: number) {
    this.ring = new Array(limit)
  }

  record (entry: Omit<JournalRecord, 'id'>): void {
    if (this.limit === 0) return
    if (this.size === this.limit) this.dropped++
    else this.size++
    this.ring[this.next] = { id: this.nextId++, ...entry }
    this.next = (this.next + 1) % this.limit
  }

  /** Oldest first. */
  find (filter: JournalFilter = {}): JournalRecord[] {
    const test = matcher(filter)
    const found: JournalRecord[] = []
    for (let i = 0; i < this.size; i++) {
      const entry = this.ring[(this.next - this.size + i + this.limit) % this.limit] as JournalRecord
      if (test(entry)) found.push(entry)
    }
    return found
  }

  count (filter: JournalFilter = {}): number {
    return this.find(filter).length
  }

  clear (): void {
    this.ring = new Array(this.limit)
    this.next = 0
    this.size = 0
    this.dropped = 0
  }
}

/** A compiled glob: `test` tells whether a whole text matches it. */
export interface Glob {
  test: (text: string) => boolean
}

/**
 * `*` matches any run of characters, `/` included; everything else matches itself. No regular expression (a
 * backtracking engine takes exponential time on `*a*b*` against a long path): the literal pieces between the stars
 * are found left to right with indexOf, each as early as it can be, which is right when `*` is the only wildcard.
 * At most O(text × glob) character comparisons, and patterns are at most 1,000 characters.
 */
export function globPattern (glob: string): Glob {
  const parts = glob.split('*')
  if (parts.length === 1) return { test: (text) => text === glob }
  const first = parts[0] as string
  const last = parts[parts.length - 1] as string
  const middle = parts.slice(1, -1).filter((part) => part !== '')
  return {
    test: (text) => {
      if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false
      const end = text.length - last.length
      let at = first.length
      for (const part of middle) {
        const found = text.indexOf(part, at)
        if (found === -1 || found + part.length > end) return false
        at = found + part.length
      }
      return true
    }
  }
}

function matcher (filter: JournalFilter): (entry: JournalRecord) => boolean {
  const path = filter.path === undefined ? undefined : globPattern(filter.path)
  return (entry) =>
    (filter.method === undefined || entry.method === filter.method) &&
    (path === undefined || path.test(entry.path)) &&
    (filter.account === undefined || entry.account === filter.account) &&
    (filter.status === undefined || entry.status === filter.status) &&
    (filter.since === undefined || entry.time >= filter.since)
}
