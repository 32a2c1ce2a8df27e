/**
 * /dashboard: a page that shows the model as it changes and lets a person change it (dashboard/, plain modules), with
 * uPlot for its charts, served from the package itself so that it works offline and in a container. Its data come
 * from the admin API (GET /__admin/dashboard and its event stream).
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { packageRoot } from '../package-root.js'

export const DASHBOARD_PATH = '/dashboard'

const uplot = dirname(createRequire(import.meta.url).resolve('uplot'))

/** The page's files, read once at start: path → where, and the media type. */
const FILES: Array<{ path: string, file: string, type: string, summary: string }> = [
  { path: DASHBOARD_PATH, file: join(packageRoot, 'dashboard', 'index.html'), type: 'text/html; charset=utf-8', summary: 'The dashboard' },
  { path: `${DASHBOARD_PATH}/app.js`, file: join(packageRoot, 'dashboard', 'app.js'), type: 'text/javascript; charset=utf-8', summary: 'The dashboard\'s script' },
  { path: `${DASHBOARD_PATH}/style.css`, file: join(packageRoot, 'dashboard', 'style.css'), type: 'text/css; charset=utf-8', summary: 'The dashboard\'s style' },
  { path: `${DASHBOARD_PATH}/uPlot.esm.js`, file: join(uplot, 'uPlot.esm.js'), type: 'text/javascript; charset=utf-8', summary: 'uPlot, the charting library' },
  { path: `${DASHBOARD_PATH}/uPlot.min.css`, file: join(uplot, 'uPlot.min.css'), type: 'text/css; charset=utf-8', summary: 'uPlot\'s style' }
]

export function dashboardPageRoutes (app: FastifyInstance): void {
  for (const { path, file, type, summary } of FILES) {
    const body = readFileSync(file)
    const [media] = type.split(';') as [string] // split gives at least one part
    app.get(path, {
      schema: {
        tags: ['Dashboard'],
        summary,
        description: 'The dashboard page (README, "See it") and what it loads; no token needed: its data come from the admin API, which does.',
        response: { 200: { description: 'The file.', content: { [media]: { schema: { type: 'string' } } } } }
      }
    }, async (_request, reply) => reply.type(type).send(body))
  }
}
