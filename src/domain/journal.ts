/**
 * The request journal: every request to the public API, newest last, in a ring of fixed size that also keeps within
 * a byte budget (the oldest are dropped first, and counted). A record is compact and holds no secret: credentials
 * are masked and the headers cut to a bounded slice when the request is recorded (`compactHeaders`).
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
  headers: Record<string, string>
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

/** The journal's byte budget by default: what its records may hold at most, estimated as UTF-16 strings. */
export const DEFAULT_JOURNAL_BYTES = 32 * 1024 * 1024
/** What a record's headers may hold, names and values together (characters); the rest is left out. */
export const HEADER_BUDGET = 1024
const MAX_HEADER_VALUE = 256
/** The path and query are kept up to this many characters each. */
export const MAX_RECORDED_TEXT = 2048
/** A record's fixed cost beside its strings (object, numbers, pointers), in bytes. */
const RECORD_OVERHEAD = 200

/** Header names whose values are secrets: never kept, whatever the request sent. */
const SECRET = /authorization|cookie|token|secret|password|passwd|api-?key|session|credential|signature/i

/** `Bearer 313d…`: the scheme and the first 4 characters of the credential say which it was. */
export function maskAuthorization (value: string): string {
  const match = /^(\S+)( +)(\S{0,4})\S*(.*)$/.exec(value)
  return match === null ? '…' : `${match[1] as string}${match[2] as string}${match[3] as string}…${(match[4] as string).length > 0 ? ' …' : ''}`
}

/**
 * A copy of the text that keeps nothing else alive. V8 makes a slice of a string (and a string built from one) point
 * into the original, so a few characters cut from a 16 KiB URL or header would hold all of it for as long as the
 * record lives, unseen by the byte budget.
 */
export const detached = (text: string): string => Buffer.from(text, 'utf16le').toString('utf16le')

/** Text cut to `max` characters, with … when it was longer (then detached from the original). */
const cut = (text: string, max: number): string => (text.length <= max ? text : detached(`${text.slice(0, max)}…`))

/**
 * The headers a tester filters and asserts on, bounded: credentials masked (Authorization shows its scheme and first
 * 4 characters, other secrets `…`), each value at most 256 characters, all of them within HEADER_BUDGET characters.
 */
export function compactHeaders (headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {}
  let budget = HEADER_BUDGET
  for (const name in headers) {
    const raw = headers[name]
    if (raw === undefined) continue
    const text = typeof raw === 'string' ? raw : raw.join(', ')
    const value = name === 'authorization' || name === 'proxy-authorization'
      ? maskAuthorization(cut(text, MAX_HEADER_VALUE))
      : SECRET.test(name) ? '…' : cut(text, MAX_HEADER_VALUE)
    budget -= name.length + value.length
    if (budget < 0) break
    kept[name] = value
  }
  return kept
}

export class Journal {
  private ring: Array<JournalRecord | undefined>
  private sizes: Float64Array
  private next = 0
  private size = 0
  private nextId = 1
  /** Bytes the kept records hold, as estimated by `bytesOf`. */
  private bytes = 0
  /** How many records were pushed out by newer ones since the journal was last cleared. */
  dropped = 0

  constructor (readonly limit: number, readonly maxBytes = DEFAULT_JOURNAL_BYTES) {
    this.ring = new Array(limit)
    this.sizes = new Float64Array(limit)
  }

  /** Keeps the request, cutting its path and query to MAX_RECORDED_TEXT; the oldest go while over either bound. */
  record (entry: Omit<JournalRecord, 'id'>): void {
    if (this.limit === 0) return
    const stored = { id: this.nextId++, ...entry, path: cut(entry.path, MAX_RECORDED_TEXT), query: cut(entry.query, MAX_RECORDED_TEXT) }
    const bytes = bytesOf(stored)
    while (this.size > 0 && (this.size === this.limit || this.bytes + bytes > this.maxBytes)) this.dropOldest()
    this.ring[this.next] = stored
    this.sizes[this.next] = bytes
    this.bytes += bytes
    this.size++
    this.next = (this.next + 1) % this.limit
  }

  /** The bytes the kept records hold (estimated). */
  get heldBytes (): number {
    return this.bytes
  }

  private dropOldest (): void {
    const oldest = (this.next - this.size + this.limit) % this.limit
    this.bytes -= this.sizes[oldest] as number
    this.ring[oldest] = undefined
    this.size--
    this.dropped++
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
    this.sizes = new Float64Array(this.limit)
    this.next = 0
    this.size = 0
    this.bytes = 0
    this.dropped = 0
  }
}

/** A record's size: its strings at two bytes a character, and a fixed overhead. */
function bytesOf (record: JournalRecord): number {
  let chars = record.method.length + record.path.length + record.query.length + (record.account?.length ?? 0)
  for (const name in record.headers) chars += name.length + (record.headers[name] as string).length
  return RECORD_OVERHEAD + 2 * chars
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
