/**
 * The live model follows the clock: before any handler reads the model, the events due by now are applied (a bounded
 * catch-up, O(1) when nothing is due); the model's own timer runs while the app is up.
 */
import type { FastifyInstance } from 'fastify'
import type { LiveModel } from '../domain/live.js'

export function liveModelSupport (app: FastifyInstance, live: LiveModel): void {
  app.addHook('preHandler', (_request, _reply, done) => {
    live.catchUpIfDue()
    done()
  })
  app.addHook('onReady', async () => { live.start() })
  app.addHook('onClose', async () => { live.stop() })
}
