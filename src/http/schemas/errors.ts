/** The product's error body, whose internal codes are those of the one error table (http/errors.ts). */
import { Type } from 'typebox'
import { INTERNAL_CODES } from '../errors.js'

export const ErrorDetail = Type.Object({
  time: Type.String({ format: 'date-time' }),
  message: Type.String({ minLength: 1 }),
  internalCode: Type.Integer({ enum: Object.values(INTERNAL_CODES).sort((a, b) => a - b) })
}, { $id: 'ErrorDetail', additionalProperties: false })

export const ErrorBody = Type.Object({ error: ErrorDetail }, { $id: 'Error', additionalProperties: false })

export const ErrorXml = Type.Unsafe({
  $id: 'ErrorXml',
  allOf: [ErrorDetail],
  description: 'The root element itself: `<error><time>…</time><message>…</message><internalCode>…</internalCode></error>`.',
  xml: { name: 'error' }
})
