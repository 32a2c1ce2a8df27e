/**
 * The dashboard in a real browser (Debian's Chromium, headless, playwright-core), on the live scenario with its clock
 * frozen at 17:00: setting an agent Away in the page changes the slots it shows, the chart gains points as the clock
 * steps, a fault added in the page shows in its list; screenshots at two widths. Not part of `npm test`;
 * `npm run test:browser` runs it, as `.ci/run` does.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import t from 'tap'
import { SimulatedClock, startSimulator } from '../../src/index.js'
import { packageRoot } from '../../src/package-root.js'
import { launchChromium } from '../helpers/browser.js'

const ACCOUNT = '12345678'

t.setTimeout(180_000)

/** The Sales row's availableSlots at maxWaitTime 0, as the page shows it. */
const salesSlots = (page: Page) => page.locator(`[data-account="${ACCOUNT}"] button.slots[data-skill="Sales"][data-wait="0"]`)

t.test('the dashboard shows the model live and its controls change it', async (t) => {
  const browser = await launchChromium(t)
  const sim = await startSimulator({ scenario: 'live', clock: SimulatedClock.frozenAt(Date.parse('2026-12-01T17:00:00Z')) })
  t.teardown(() => sim.close())
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } })
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()) })

  await page.goto(`${sim.url}/dashboard`)
  await page.locator('#connection[data-state="open"]').waitFor({ timeout: 30_000 })
  t.equal(await page.locator('#clock-now').innerText(), '2026-12-01 17:00:00 UTC', 'the clock, frozen at 17:00')

  // Sales at 17:00: John is full (the two queued Support chats took his free slots), Peter has 2 of 4 chats. Peter Away: no slot.
  t.equal(await salesSlots(page).innerText(), '2', 'Sales has Peter\'s 2 free slots at first')
  await page.locator(`[data-account="${ACCOUNT}"] select[data-agent="Peter"]`).selectOption('Away')
  await page.waitForFunction((account) =>
    document.querySelector(`[data-account="${account}"] button.slots[data-skill="Sales"][data-wait="0"]`)?.textContent === '0', ACCOUNT)
  t.equal(await salesSlots(page).innerText(), '0', 'Peter set Away in the page: Sales shows 0 slots')
  t.equal((await sim.admin.scenario()).accounts[ACCOUNT]?.agents.Peter?.chatState, 'Away', 'and the model has him Away')

  // A click on an answer explains it: the estimator's inputs, from GET /__admin/accounts/{id}/estimate.
  await salesSlots(page).click()
  await page.locator('#explain[open]').waitFor()
  t.equal(await page.locator('#explain-title').innerText(), 'Sales, maxWaitTime 0 s: 0 slots')
  t.match(await page.locator('#explain-body').innerText(), '"criterion": "probability"')
  await page.getByRole('button', { name: 'Close' }).click()

  // The chart gains a point at each step of the clock.
  const points = async (): Promise<number> => Number(await page.locator('#chart').getAttribute('data-points'))
  const first = await points()
  for (let step = 1; step <= 3; step++) {
    await page.getByRole('button', { name: '+10 min' }).click()
    await page.waitForFunction((n) => Number(document.querySelector('#chart')?.getAttribute('data-points')) >= n, first + step)
  }
  t.equal(await points(), first + 3, 'three steps, three more points')
  t.equal(await page.locator('#clock-now').innerText(), '2026-12-01 17:30:00 UTC')

  // A fault added in the page shows in its list.
  await page.locator('#fault-effect').selectOption('error')
  await page.locator('#fault-path').fill('*/availableSlots*')
  await page.getByRole('button', { name: 'Add fault' }).click()
  const fault = page.locator('#faults li[data-fault="fault-1"]')
  await fault.waitFor()
  t.match(await fault.innerText(), 'fault-1: error 503, p = 1, */availableSlots*, fired 0')
  t.equal((await sim.admin.faults()).faults.length, 1, 'and the simulator has it')

  const shots = join(packageRoot, '.tap')
  mkdirSync(shots, { recursive: true })
  await page.screenshot({ path: join(shots, 'dashboard-wide.png'), fullPage: true })
  await page.setViewportSize({ width: 420, height: 900 })
  await page.waitForTimeout(300)
  await page.screenshot({ path: join(shots, 'dashboard-narrow.png'), fullPage: true })
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  t.equal(overflow, 0, 'no sideways scrolling at 420 px: tables scroll in their own box')
  t.comment(`screenshots: ${join(shots, 'dashboard-wide.png')}, ${join(shots, 'dashboard-narrow.png')}`)
  t.same(errors, [], 'no script or console errors on the page')
})

t.test('with ADMIN_TOKEN the page asks for it once and sends it in a header', async (t) => {
  const browser = await launchChromium(t)
  const sim = await startSimulator({ adminToken: 'dashboard-secret-token' })
  t.teardown(() => sim.close())
  const page = await browser.newPage()
  const urls: string[] = []
  page.on('request', (request) => urls.push(request.url()))
  await page.goto(`${sim.url}/dashboard`)
  await page.locator('#token-dialog[open]').waitFor()
  await page.locator('#token-input').fill('dashboard-secret-token')
  await page.getByRole('button', { name: 'Use it' }).click()
  await page.locator('#connection[data-state="open"]').waitFor({ timeout: 30_000 })
  t.equal(await page.locator('#clock-mode').innerText().then((text) => text.includes('scenario default')), true, 'the state came through')
  t.equal(urls.filter((url) => url.includes('dashboard-secret-token')).length, 0, 'the token is in no URL')
})

t.test('the page reconnects after the simulator restarts', async (t) => {
  const browser = await launchChromium(t)
  const first = await startSimulator()
  const page = await browser.newPage()
  await page.goto(`${first.url}/dashboard`)
  await page.locator('#connection[data-state="open"]').waitFor({ timeout: 30_000 })
  t.match(await page.locator('#clock-mode').innerText(), 'scenario default')
  await first.close()
  await page.locator('#connection[data-state="closed"]').waitFor({ timeout: 30_000 })
  t.equal(await page.locator('#connection').innerText(), 'disconnected — reconnecting…', 'the page says it lost the connection')
  // Another simulator on the same port, with another scenario: the page finds it and shows its state.
  const second = await startSimulator({ port: first.port, scenario: 'busy' })
  t.teardown(() => second.close())
  await page.locator('#connection[data-state="open"]').waitFor({ timeout: 30_000 })
  await page.waitForFunction(() => document.querySelector('#clock-mode')?.textContent?.includes('scenario busy') === true)
  t.match(await page.locator('#clock-mode').innerText(), 'scenario busy', 'and shows the new one\'s state after the restart')
})
