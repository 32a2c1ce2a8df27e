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

/** The journal's byte budget by default: its records' text, as UTF-16 (two bytes a character), may take this much. */
export const DEFAULT_JOURNAL_BYTES = 32 * 1024 * 1024
/** What a record's headers may hold, names and values together (characters); the rest is left out. */
export const HEADER_BUDGET = 1024
const MAX_HEADER_VALUE = 256
/** The path and query are kept up to this many characters each. */
export const MAX_RECORDED_TEXT = 2048

/** Header names whose values are secrets: never kept, whatever the request sent. */
const SECRET = /authorization|cookie|token|secret|password|passwd|api-?key|app-?key|session|credential|signature/i
/** Query parameters whose values are secrets (the visitor side's `appKey`). */
const SECRET_PARAMETER = /token|secret|password|passwd|api-?key|app-?key|credential|signature/i

/** `Bearer 313d…`: the scheme and the first 4 characters of the credential say which it was. */
export function maskAuthorization (value: string): string {
  const match = /^(\S+)( +)(\S{0,4})\S*(.*)$/.exec(value)
  return match === null ? '…' : `${match[1] as string}${match[2] as string}${match[3] as string}…${(match[4] as string).length > 0 ? ' …' : ''}`
}

/** A query string with the value of each secret parameter left out: `appKey=…` (keys may be as short as 8 characters). */
export function maskQuery (query: string): string {
  // A name may be percent-encoded (`%61ppKey`), as the query parser decodes it.
  if (!query.includes('%') && !SECRET_PARAMETER.test(query)) return query
  return query.split('&').map((part) => {
    const eq = part.indexOf('=')
    if (eq === -1 || !SECRET_PARAMETER.test(decodedName(part.slice(0, eq)))) return part
    return `${part.slice(0, eq + 1)}…`
  }).join('&')
}

function decodedName (name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '))
  } catch {
    return name
  }
}

/** Text cut to `max` characters, with … when it was longer. */
const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max)}…`)
/** The length of `cut(text, max)`. */
const cutLength = (text: string, max: number): number => (text.length <= max ? text.length : max + 1)
const ELLIPSIS = '…'.charCodeAt(0)

/** Writes `cut(text, max)` into `units` from `at`, a character at a time; where it ends. */
function put (units: Uint16Array, at: number, text: string, max: number): number {
  const n = Math.min(text.length, max)
  for (let i = 0; i < n; i++) units[at++] = text.charCodeAt(i)
  if (text.length > max) units[at++] = ELLIPSIS
  return at
}

/**
 * The headers a tester filters and asserts on, bounded: credentials masked (Authorization shows its scheme and first
 * 4 characters, other secrets `…`), each value at most 256 characters, all of them within HEADER_BUDGET characters.
 */
export function compactHeaders (headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const pairs: string[] = []
  const count = keptHeaders(headers, pairs)
  const kept: Record<string, string> = {}
  for (let i = 0; i < count; i += 2) kept[pairs[i] as string] = pairs[i + 1] as string
  return kept
}

/** compactHeaders as name, value, name, value… in `pairs` (reused, so that recording allocates nothing); the count. */
function keptHeaders (headers: Record<string, string | string[] | undefined>, pairs: string[]): number {
  let budget = HEADER_BUDGET
  let count = 0
  for (const name in headers) {
    const raw = headers[name]
    if (raw === undefined) continue
    const text = typeof raw === 'string' ? raw : raw.join(', ')
    const value = name === 'authorization' || name === 'proxy-authorization'
      ? maskAuthorization(cut(text, MAX_HEADER_VALUE))
      : SECRET.test(name) ? '…' : cut(text, MAX_HEADER_VALUE)
    budget -= name.length + value.length
    if (budget < 0) break
    pairs[count++] = name
    pairs[count++] = value
  }
  return count
}

/** Text bytes a journal starts with; it doubles as needed, up to its byte budget. */
const INITIAL_BYTES = 64 * 1024
/** The length written for a record without an account (no account is that long: accounts are ids). */
const ABSENT_ACCOUNT = 0xFFFF

/**
 * Kept as bytes, not objects: a journal of 10,000 request objects made the garbage collector copy and mark every one
 * of them, about 6 µs a request under load (docs/benchmarks.md). Numbers go in typed arrays per slot of a ring of
 * `limit` slots; each record's text (method, path, query, account, headers) goes, as UTF-16, in a ring of bytes that
 * grows up to `maxBytes`. Records are made into objects again only when they are read.
 */
export class Journal {
  private readonly ids: Float64Array
  private readonly times: Float64Array
  private readonly durations: Float64Array
  /** -1: no answer (a dropped connection). */
  private readonly statuses: Int32Array
  private readonly starts: Uint32Array
  private readonly lengths: Uint32Array
  private text: Buffer
  /** The same bytes as UTF-16 units, which records are written in. */
  private units: Uint16Array
  /** Scratch for a record's headers, reused. */
  private readonly pairs: string[] = []
  /** Where the next record's text goes. */
  private head = 0
  private next = 0
  private size = 0
  private nextId = 1
  private bytes = 0
  /** How many records were pushed out by newer ones since the journal was last cleared. */
  dropped = 0

  constructor (readonly limit: number, readonly maxBytes = DEFAULT_JOURNAL_BYTES) {
    this.ids = new Float64Array(limit)
    this.times = new Float64Array(limit)
    this.durations = new Float64Array(limit)
    this.statuses = new Int32Array(limit)
    this.starts = new Uint32Array(limit)
    this.lengths = new Uint32Array(limit)
    this.text = Buffer.alloc(0)
    this.units = new Uint16Array(0)
  }

  /**
   * Keeps the request, its headers made compact (`compactHeaders`) and its path and query cut to MAX_RECORDED_TEXT;
   * the oldest go while over either bound.
   */
  record (entry: Omit<JournalRecord, 'id' | 'headers'> & { headers: Record<string, string | string[] | undefined> }): void {
    if (this.limit === 0) return
    const pairs = this.pairs
    const headerFields = keptHeaders(entry.headers, pairs)
    // Written character by character into the ring (no string is built per record): the number of fields, each
    // field's length, then the fields. Every field is shorter than 65,536 characters (MAX_RECORDED_TEXT,
    // HEADER_BUDGET), so each length is one UTF-16 unit.
    const { method, path, query } = entry
    const account = entry.account ?? ''
    const fields = 4 + headerFields
    const pathLength = cutLength(path, MAX_RECORDED_TEXT)
    const queryLength = cutLength(query, MAX_RECORDED_TEXT)
    let chars = 1 + fields + method.length + pathLength + queryLength + account.length
    for (let i = 0; i < headerFields; i++) chars += (pairs[i] as string).length
    const need = 2 * chars
    if (need > this.maxBytes) { this.nextId++; this.dropped++; return }
    if (this.size === this.limit) this.dropOldest()
    const at = this.place(need)
    const units = this.units
    let unit = at / 2
    units[unit++] = fields
    units[unit++] = entry.account === undefined ? ABSENT_ACCOUNT : account.length
    units[unit++] = method.length
    units[unit++] = pathLength
    units[unit++] = queryLength
    for (let i = 0; i < headerFields; i++) units[unit++] = (pairs[i] as string).length
    unit = put(units, unit, method, method.length)
    unit = put(units, unit, path, MAX_RECORDED_TEXT)
    unit = put(units, unit, query, MAX_RECORDED_TEXT)
    unit = put(units, unit, account, account.length)
    for (let i = 0; i < headerFields; i++) unit = put(units, unit, pairs[i] as string, HEADER_BUDGET)
    const slot = this.next
    this.ids[slot] = this.nextId++
    this.times[slot] = entry.time
    this.durations[slot] = entry.durationMs
    this.statuses[slot] = entry.status ?? -1
    this.starts[slot] = at
    this.lengths[slot] = need
    this.bytes += need
    this.head = at + need
    this.size++
    this.next = (this.next + 1) % this.limit
  }

  /** Where `need` bytes of text can go: after the newest record, or from the start, growing or dropping the oldest first. */
  private place (need: number): number {
    for (;;) {
      if (this.size === 0) this.head = 0
      const tail = this.size === 0 ? 0 : this.starts[this.oldest()] as number
      const capacity = this.text.length
      if (this.size === 0 || this.head > tail) {
        if (capacity - this.head >= need) return this.head
        if (tail >= need) return 0
      } else if (tail - this.head >= need) return this.head
      if (capacity < this.maxBytes) this.grow(need)
      else this.dropOldest()
    }
  }

  /** A larger text ring (doubled, at most the budget), the records copied into it oldest first from its start. */
  private grow (need: number): void {
    // Its own memory (not Node's shared pool), so that the UTF-16 view starts at an even offset.
    const larger = Buffer.allocUnsafeSlow(Math.min(this.maxBytes, Math.max(INITIAL_BYTES, 2 * this.text.length, this.bytes + need)))
    let offset = 0
    for (let i = 0; i < this.size; i++) {
      const slot = (this.oldest() + i) % this.limit
      const start = this.starts[slot] as number
      this.text.copy(larger, offset, start, start + (this.lengths[slot] as number))
      this.starts[slot] = offset
      offset += this.lengths[slot] as number
    }
    this.text = larger
    this.units = new Uint16Array(larger.buffer, larger.byteOffset, larger.length >> 1)
    this.head = offset
  }

  private oldest (): number {
    return (this.next - this.size + this.limit) % this.limit
  }

  /** The bytes the kept records' text takes. */
  get heldBytes (): number {
    return this.bytes
  }

  private dropOldest (): void {
    this.bytes -= this.lengths[this.oldest()] as number
    this.size--
    this.dropped++
  }

  /** The last `n` records, oldest first, without reading the others. */
  latest (n: number): JournalRecord[] {
    const found: JournalRecord[] = []
    for (let i = Math.max(0, this.size - n); i < this.size; i++) found.push(this.read((this.oldest() + i) % this.limit))
    return found
  }

  /** Oldest first. */
  find (filter: JournalFilter = {}): JournalRecord[] {
    const test = matcher(filter)
    const found: JournalRecord[] = []
    for (let i = 0; i < this.size; i++) {
      const entry = this.read((this.oldest() + i) % this.limit)
      if (test(entry)) found.push(entry)
    }
    return found
  }

  private read (slot: number): JournalRecord {
    const start = this.starts[slot] as number
    const text = this.text.toString('utf16le', start, start + (this.lengths[slot] as number))
    const fields = text.charCodeAt(0)
    let at = 1 + fields
    const take = (i: number): string => text.slice(at, (at += text.charCodeAt(1 + i)))
    const accountLength = text.charCodeAt(1)
    const method = take(1)
    const path = take(2)
    const query = take(3)
    const account = accountLength === ABSENT_ACCOUNT ? undefined : text.slice(at, (at += accountLength))
    const headers: Record<string, string> = {}
    for (let i = 4; i < fields; i += 2) {
      const name = take(i)
      headers[name] = take(i + 1)
    }
    const status = this.statuses[slot] as number
    return {
      id: this.ids[slot] as number,
      time: this.times[slot] as number,
      method,
      path,
      query,
      headers,
      status: status === -1 ? null : status,
      durationMs: this.durations[slot] as number,
      ...(account === undefined ? {} : { account })
    }
  }

  count (filter: JournalFilter = {}): number {
    return this.find(filter).length
  }

  clear (): void {
    this.text = Buffer.alloc(0)
    this.units = new Uint16Array(0)
    this.head = 0
    this.next = 0
    this.size = 0
    this.bytes = 0
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
