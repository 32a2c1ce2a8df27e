/** The request journal as the admin API shows it: its filters (in a query or a body), its records, a page, a count. */
import { Type, type Static } from 'typebox'

/** The answer statuses a filter may name. */
export const STATUS_RANGE = { minimum: 100, maximum: 599 }
/** The most records a page lists, and the default. */
export const MAX_LIMIT = 10000

const PATH = 'The path as sent (without the query); `*` matches any run of characters, `/` included'
const SINCE = 'Only requests at or after this simulated instant'
const filterFields = {
  method: Type.String({ pattern: '^[A-Z]{1,20}$' }),
  path: Type.String({ minLength: 1, maxLength: 1000 }),
  account: Type.String({ minLength: 1, maxLength: 64 }),
  since: Type.String({ format: 'date-time' })
}

export const JournalFilter = Type.Object({
  method: Type.Optional(filterFields.method),
  path: Type.Optional({ ...filterFields.path, description: `${PATH}.` }),
  account: Type.Optional(filterFields.account),
  status: Type.Optional(Type.Integer(STATUS_RANGE)),
  since: Type.Optional({ ...filterFields.since, description: `${SINCE}.` })
}, {
  $id: 'JournalFilter',
  additionalProperties: false,
  description: 'Filters of the request journal; all given must match.',
  examples: [{ method: 'GET', path: '*/availableSlots*', status: 200 }]
})

/** In digits: the query has no numbers (the route converts them, and checks their range). */
const DIGITS = '^[0-9]{1,6}$'

/** GET /requests: the filters of JournalFilter as query parameters, and a limit. */
export const JournalQuery = Type.Object({
  method: Type.Optional({ ...filterFields.method, description: 'The method, exactly (upper case).', examples: ['GET'] }),
  path: Type.Optional({ ...filterFields.path, description: `${PATH}; anything else literally.`, examples: ['/api/account/12345678/*'] }),
  account: Type.Optional({ ...filterFields.account, description: 'The account the path names.' }),
  status: Type.Optional(Type.String({
    pattern: DIGITS, examples: ['200'], description: `The status of the answer, in digits (${STATUS_RANGE.minimum}..${STATUS_RANGE.maximum}).`
  })),
  since: Type.Optional({ ...filterFields.since, description: `${SINCE} (ISO-8601; write a \`+\` in an offset as \`%2B\`).` }),
  limit: Type.Optional(Type.String({
    pattern: DIGITS,
    examples: ['100'],
    description: `At most this many records, the newest of those that match (1..${MAX_LIMIT}; default ${MAX_LIMIT}), in digits.`
  }))
}, { additionalProperties: false })

/**
 * POST /requests/count: a filter, or nothing. Fastify validates an absent body as `null`, so null is allowed (and
 * counts every record); the document shows the body as optional (routes/documentation.ts).
 */
export const CountBody = Type.Union([JournalFilter, Type.Null()], { description: 'No body, or `null`, counts every record.' })

export const JournalRecord = Type.Object({
  id: Type.Integer({ minimum: 1, description: 'Counts up from 1, and goes on counting when the journal is emptied.' }),
  time: Type.String({ format: 'date-time', description: 'When the answer went (simulated clock), in UTC.' }),
  method: Type.String(),
  path: Type.String({ description: 'The path, percent-decoded as the router sees it, without the query; at most 2,048 characters, then `…`.' }),
  // additionalProperties rather than Type.Record (patternProperties), as the rest of the document writes a map.
  query: Type.Unsafe<Record<string, string | string[]>>({
    type: 'object',
    description: 'The query, decoded; a parameter given more than once has a list of its values.',
    additionalProperties: { oneOf: [Type.String(), Type.Array(Type.String(), { minItems: 2 })] }
  }),
  headers: Type.Unsafe<Record<string, string>>({
    type: 'object',
    description: 'The request\'s headers as sent, names in lower case, repeated ones joined with `, `; bounded and masked when ' +
      'recorded: `authorization` and `proxy-authorization` cut after the scheme and 4 characters (`Bearer 313d…`), any other ' +
      'credential (a name with cookie, token, secret, password, api-key, session …) `…`, each value at most 256 characters ' +
      '(then `…`), and no more headers once names and values reach 1,024 characters.',
    additionalProperties: Type.String()
  }),
  status: Type.Union([Type.Integer(STATUS_RANGE), Type.Null()], { description: '`null`: the connection was dropped by a fault, without an answer.' }),
  durationMs: Type.Number({ minimum: 0 }),
  account: Type.Optional(Type.String({ description: 'The account the path names, when a route took the request.' }))
}, { $id: 'JournalRecord', additionalProperties: false, description: 'A request to the public API and its answer.' })

const DROPPED = 'Records pushed out of the full journal since it was last emptied'

export const JournalPage = Type.Object({
  requests: Type.Array(JournalRecord),
  matched: Type.Integer({ minimum: 0, description: 'How many records match, listed or not.' }),
  dropped: Type.Integer({ minimum: 0, description: `${DROPPED}.` }),
  limit: Type.Integer({ minimum: 0, description: 'How many records the journal keeps (`JOURNAL_LIMIT`); not the `limit` of the query.' })
}, { $id: 'JournalPage', additionalProperties: false })

export const JournalCount = Type.Object({
  count: Type.Integer({ minimum: 0 }),
  dropped: Type.Integer({ minimum: 0, description: `${DROPPED} (not counted).` })
}, { $id: 'JournalCount', additionalProperties: false })

export type JournalFilterBody = Static<typeof JournalFilter>
export type JournalRecordView = Static<typeof JournalRecord>
