/** The command (src/server.ts loads it): reads the configuration, loads the scenario, listens, and closes with grace. */
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import type { SimulatedClock } from './domain/clock.js'
import { buildApp, startingClock } from './app.js'
import { ConfigError, readConfig, USAGE } from './config.js'
import { loggerOptions, prettyLogs } from './logger.js'
import { packageVersion } from './package-root.js'
import { loadScenario, ScenarioFileError } from './scenarios.js'
import { watchFile } from './watch.js'

function fail (message: string): never {
  process.stderr.write(`error: ${message}\n`)
  process.exit(1)
}

async function main (): Promise<void> {
  let config
  let scenario
  try {
    config = readConfig(process.argv.slice(2), process.env)
    if (config === 'help' || config === 'version') {
      process.stdout.write(`${config === 'help' ? USAGE : packageVersion}\n`)
      return
    }
    scenario = loadScenario(config.scenario, config.fixturesDir)
  } catch (err) {
    if (err instanceof ConfigError || err instanceof ScenarioFileError) fail(err.message)
    throw err
  }

  const pretty = prettyLogs(config.logFormat, process.stdout.isTTY)
  const app = await buildApp({
    world: scenario.world,
    clock: startingClock(scenario.world, config.clock === undefined ? scenario.world.clock : { ...config.clock, startTime: scenario.world.clock?.startTime }),
    seed: config.seed,
    scenario: config.scenario,
    baseline: scenario.document,
    fixturesDir: config.fixturesDir,
    cors: config.corsOrigin,
    adminToken: config.adminToken,
    journalLimit: config.journalLimit,
    metrics: config.metrics,
    logger: loggerOptions(config.logLevel, pretty),
    logRequests: config.logRequests
  })
  const watching = config.watch ? reloadOnChange(app, scenario.file) : undefined
  // Watching before the start line is printed: an edit made after it is never missed.
  await watching?.ready
  closeWithGrace({ delay: SHUTDOWN_GRACE_MS }, async ({ err }) => {
    if (err !== undefined) app.log.error({ err }, 'stopping after an error')
    await watching?.stop()
    await app.close()
  })
  let address: string
  try {
    address = await app.listen({ port: config.port, host: config.host })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    fail(`cannot listen on ${config.host}:${config.port} (${code ?? (err as Error).message}); ` +
      (code === 'EADDRINUSE' ? 'the port is taken: choose another with --port or PORT' : 'check --host and --port'))
  }
  if (config.adminToken === undefined && !LOOPBACK.test(config.host)) {
    app.log.warn(`listening on ${config.host} without ADMIN_TOKEN: anyone who can reach this port can change the simulator's ` +
      'state through /__admin; set ADMIN_TOKEN to require a token')
  }
  const url = address.replace('://0.0.0.0', '://127.0.0.1').replace('://[::]', '://[::1]')
  const line = banner(url, config.scenario, scenario.world.accountIds(), scenario.document, app.simulation.clock)
  // On a terminal the line is for a person; where logs are JSON lines (containers), it is one of them.
  if (pretty) process.stdout.write(`${line}\n`)
  else app.log.info({ url, scenario: config.scenario, accounts: scenario.world.accountIds() }, line)
}

/** How long requests in flight may take to finish once SIGTERM or SIGINT came; then the process exits 1. */
const SHUTDOWN_GRACE_MS = 5000

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/

/** --watch: a good edit replaces the whole state and becomes what reset returns to; a bad one is logged and ignored. */
function reloadOnChange (app: FastifyInstance, file: string): ReturnType<typeof watchFile> {
  return watchFile(file, () => {
    try {
      const next = loadScenario(file)
      app.simulation.rebase(next.world, next.document)
      app.log.info({ file }, 'scenario reloaded')
    } catch (err) {
      if (!(err instanceof ScenarioFileError)) throw err
      app.log.error(`scenario not reloaded; the last good one keeps serving: ${err.message}`)
    }
  })
}

type Document = ReturnType<typeof loadScenario>['document']

/** One line: where, what, and a curl to paste (with $TOKEN: tokens are never printed, not even fixtures' own). */
function banner (url: string, name: string, accounts: string[], document: Document, clock: SimulatedClock): string {
  const running = clock.mode === 'frozen' ? 'frozen' : clock.speed === 1 ? 'realtime' : `${clock.speed}× realtime`
  const line = `Chat capacity simulator at ${url} — scenario ${name}, accounts ${accounts.join(', ')}, clock ${running} — dashboard ${url}/dashboard`
  const [accountId, sessionId] = firstSession(document)
  if (sessionId === undefined) return line
  return `${line} — try: curl -H "Authorization: Bearer $TOKEN" ` +
    `'${url}/api/account/${accountId}/agentSession/${sessionId}/chat/availableSlots?v=1' (TOKEN: the bearer of ${sessionId} in the scenario)`
}

function firstSession (document: Document): [string?, string?] {
  for (const [accountId, account] of Object.entries(document.accounts)) {
    for (const [sessionId, session] of Object.entries(account.sessions ?? {})) {
      const expired = session.expiresAt !== undefined && Date.parse(session.expiresAt) <= Date.now()
      if (!expired) return [accountId, sessionId]
    }
  }
  return []
}

main().catch((err) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)))
