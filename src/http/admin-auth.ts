/**
 * The admin token: when ADMIN_TOKEN is set, every /__admin route but the health check needs
 * `Authorization: Bearer <ADMIN_TOKEN>`. Agent-session tokens never open admin routes, nor the reverse.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { AdminNotAuthenticated } from './errors.js'

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest()

/** A check for requests; comparing digests keeps the time independent of the token's length and content. */
export function adminTokenCheck (adminToken: string | undefined): (request: FastifyRequest) => void {
  if (adminToken === undefined) return () => {}
  const expected = sha256(`Bearer ${adminToken}`)
  return (request) => {
    const given = request.headers.authorization
    if (given === undefined || !timingSafeEqual(sha256(given.replace(/^bearer +/i, 'Bearer ').trimEnd()), expected)) {
      throw new AdminNotAuthenticated(`${given === undefined ? 'missing' : 'wrong'} admin token; this simulator was started with ` +
        "ADMIN_TOKEN: send 'Authorization: Bearer <ADMIN_TOKEN>'")
    }
  }
}
