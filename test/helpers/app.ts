/** Builds the simulator for a test, on a fixed clock, and closes it when the test ends. */
import type { Test } from 'tap'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildApp, type AppOptions } from '../../src/app.js'
import { SimulatedClock } from '../../src/domain/clock.js'
import type { ScenarioDocument } from '../../src/domain/scenario.js'
import { loadScenario, parseScenarioDocument } from '../../src/scenarios.js'
import { assertContract } from './contract.js'

/** 2026-06-01T12:00:00.000Z: every error body's `time` in the tests. */
export const NOW = Date.UTC(2026, 5, 1, 12)
export const NOW_ISO = new Date(NOW).toISOString()

/** The default scenario's account, sessions and tokens (also in the README). */
export const DEFAULT = {
  account: '12345678',
  john: { session: 'sessJohn', bearer: '313d06c0208c8ab418ba1b28ba0432d40fec06e385ac8780446a5eafacba23b0' },
  mary: { session: 'sessMary', bearer: '23449ce923944deecde94c914b148f60ef46d057a61af09d9115ad0cb143134b' },
  expired: { session: 'sessJohnOld', bearer: '3fb5ddeed6ba8f0c0d49a50a05d4c705f6a01d51f51867cc064390cfc8178dbe' }
}

export interface Simulator {
  clock: SimulatedClock
  /** Injects a request and checks the response against openapi.yaml before returning it. */
  request (options: InjectOptions): Promise<LightMyRequestResponse>
}

export async function build (
  t: Test, scenario: string | ScenarioDocument = 'default', options: Omit<AppOptions, 'world' | 'clock'> = {}
): Promise<Simulator> {
  const clock = SimulatedClock.frozenAt(NOW)
  const { world } = typeof scenario === 'string' ? loadScenario(scenario) : parseScenarioDocument(scenario, 'test scenario')
  const app = await buildApp({ world, clock, ...options })
  t.teardown(() => app.close())
  return {
    clock,
    async request (options) {
      const res = await app.inject(options)
      assertContract(options, res)
      return res
    }
  }
}

/** The availableSlots URL of a session, with an optional suffix and query. */
export function slotsUrl (account: string, session: string, query = 'v=1', suffix = ''): string {
  return `/api/account/${account}/agentSession/${session}/chat/availableSlots${suffix}${query === '' ? '' : `?${query}`}`
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` })

export const JSON_TYPE = 'application/json; charset=utf-8'
export const XML_TYPE = 'application/xml; charset=utf-8'
export const TEXT_XML_TYPE = 'text/xml; charset=utf-8'

export const xmlSlots = (n: number): string => `<?xml version="1.0" encoding="UTF-8"?><availableSlots>${n}</availableSlots>`

/** The exact error body the product sends, in JSON (at the tests' fixed time). */
export function jsonError (internalCode: number, message: string): string {
  return JSON.stringify({ error: { time: NOW_ISO, message, internalCode } })
}

/** The exact error body in XML; `message` is given already escaped. */
export function xmlError (internalCode: number, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><error><time>${NOW_ISO}</time><message>${message}</message>` +
    `<internalCode>${internalCode}</internalCode></error>`
}

/** The exact JSON answer of a login of agent `loginName` (id `userId`) in `accountId`, at the clock's `time`. */
export function loginAnswer ({ bearer, csrf, wsuk }: { bearer: string, csrf: string, wsuk: string }, loginName: string, userId: string,
  accountId = DEFAULT.account, time = NOW): unknown {
  return {
    csrf,
    wsuk,
    config: {
      loginName,
      userId,
      userPrivileges: [],
      serverCurrentTime: time,
      timeDiff: 0,
      serverTimeZoneName: 'UTC',
      serverTimeGMTDiff: 0,
      isLPA: false,
      isAdmin: false,
      accountTimeZoneId: 'UTC'
    },
    csdsCollectionResponse: {
      baseURIs: [
        { account: accountId, baseURI: 'localhost:80', service: 'agentVep' },
        { account: accountId, baseURI: 'localhost:80', service: 'conversationVep' }
      ]
    },
    accountData: { agentGroupsData: { items: [{ id: -1, deleted: false, name: 'Main Group' }], revision: 1 } },
    sessionTTl: '28800000',
    bearer
  }
}
