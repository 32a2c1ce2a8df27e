/**
 * Swagger UI in a real browser: Debian's Chromium, headless, driven by playwright-core. Not part of `npm test`
 * (a fresh machine has no browser); `npm run test:browser` runs it, and `.ci/run` installs Chromium for it.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import t from 'tap'
import { startSimulator } from '../../src/index.js'
import { DEFAULT } from '../helpers/app.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

t.test('Swagger UI loads, shows the endpoint, and its "Try it out" gets an answer from the simulator', async (t) => {
  t.ok(existsSync(CHROMIUM), `Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`)
  const sim = await startSimulator()
  t.teardown(() => sim.close())
  // The flags keep Chromium off the network it cannot reach here, and sandbox-free as root.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync']
  })
  t.teardown(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } })
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))

  await page.goto(`${sim.url}/documentation`)
  const title = page.locator('.information-container .title')
  await title.waitFor({ timeout: 15_000 })
  t.match(await title.innerText(), 'Chat capacity simulator — LivePerson Chat Agent API, Retrieve Available Slots')
  const operation = page.locator('#operations-Chat_Agent_API-retrieveAvailableSlots')
  await operation.waitFor()
  t.match(await operation.locator('.opblock-summary-path').first().innerText(),
    '/api/account/{accountId}/agentSession/{agentSessionId}/chat/availableSlots')

  // Authorize with John's bearer, then try the operation.
  await page.locator('.btn.authorize').click()
  await page.locator('.auth-container input').fill(DEFAULT.john.bearer)
  await page.locator('.auth-btn-wrapper .authorize').click()
  await page.locator('.btn-done').click()
  await operation.locator('.opblock-summary').click()
  await operation.locator('.try-out__btn').click().catch(() => {}) // tryItOutEnabled: already in try-out mode
  await operation.locator('tr[data-param-name="accountId"] input').fill(DEFAULT.account)
  await operation.locator('tr[data-param-name="agentSessionId"] input').fill(DEFAULT.john.session)
  await operation.locator('tr[data-param-name="v"] input').fill('1')
  await operation.locator('tr[data-param-name="skill"] input').fill('Sales')
  await operation.locator('.execute').click()
  const body = operation.locator('.live-responses-table .response-col_description pre').first()
  await body.waitFor()
  t.equal((await body.innerText()).replace(/\s+/g, ''), '{"availableSlots":2}')
  t.equal(await operation.locator('.live-responses-table .response-col_status').first().innerText(), '200')

  await page.screenshot({ path: join(t.testdirName, '..', 'swagger-ui.png'), fullPage: false })
  t.same(errors, [], 'no script errors on the page')
})
