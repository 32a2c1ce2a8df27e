/**
 * Swagger UI in a real browser: Debian's Chromium, headless, driven by playwright-core. Not part of `npm test`
 * (a fresh machine has no browser); `npm run test:browser` runs it, and `.ci/run` installs Chromium for it.
 */
import { join } from 'node:path'
import t from 'tap'
import { startSimulator } from '../../src/index.js'
import { packageRoot } from '../../src/package-root.js'
import { DEFAULT } from '../helpers/app.js'
import { launchChromium } from '../helpers/browser.js'

// Chromium's start and Swagger UI's reading of the whole document take 20 to 30 s on a busy 2-core machine.
t.setTimeout(180_000)

t.test('Swagger UI loads, shows the endpoint, and its "Try it out" gets an answer from the simulator', async (t) => {
  const browser = await launchChromium(t)
  const sim = await startSimulator()
  t.teardown(() => sim.close())
  const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } })
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))

  await page.goto(`${sim.url}/documentation`)
  const title = page.locator('.information-container .title')
  // Swagger UI reads the whole document first: about 10 s on this project's 2-core VMs since the agent's flow (36 more
  // paths) was documented; a slower machine gets room.
  await title.waitFor({ timeout: 60_000 })
  t.match(await title.innerText(), 'Chat capacity simulator — LivePerson Chat Agent API, Retrieve Available Slots')
  const path = '/api/account/{accountId}/agentSession/{agentSessionId}/chat/availableSlots'
  const operation = page.locator('.opblock.opblock-get', { has: page.locator(`.opblock-summary-path[data-path="${path}"]`) })
  await operation.waitFor()
  t.equal(await operation.locator('.opblock-summary-path').innerText(), path)

  // Authorize with John's bearer, then try the operation.
  // The dialog has two schemes: the agent session's bearer, and the admin token.
  await page.locator('.btn.authorize').first().click()
  const scheme = page.locator('.auth-container').filter({ has: page.locator('h4 code', { hasText: /^bearer$/ }) })
  await scheme.locator('input').fill(DEFAULT.john.bearer)
  await scheme.locator('.auth-btn-wrapper .authorize').click()
  await scheme.locator('.btn-done').click()
  // The document's examples fill the form: account 12345678, session sessJohn, v=1, skill=Sales, maxWaitTime=120.
  await operation.locator('.opblock-summary').click()
  await operation.locator('.execute').click()
  const body = operation.locator('.live-responses-table .response-col_description pre').first()
  await body.waitFor()
  t.equal((await body.innerText()).replace(/\s+/g, ''), '{"availableSlots":2}')
  t.equal((await operation.locator('.live-responses-table tbody .response-col_status').first().innerText()).trim(), '200')

  const screenshot = join(packageRoot, '.tap', 'swagger-ui.png')
  await page.screenshot({ path: screenshot })
  t.comment(`screenshot: ${screenshot}`)
  t.same(errors, [], 'no script errors on the page')
})
