// @ts-check
/**
 * The dashboard: renders GET /__admin/dashboard's state, pushed by its event stream, and calls the admin API for every
 * control. The admin token, when the simulator has one, is asked for once, kept for the tab (sessionStorage) and sent
 * in the Authorization header, never in a URL; so the stream is read with fetch, not EventSource (which cannot send it).
 */
import UPlot from '/dashboard/uPlot.esm.js'

const STATES = ['Online', 'Occupied', 'Away', 'Offline']
const TOKEN_KEY = 'chat-capacity-simulator admin token'
/** The most points a chart keeps. */
const MAX_POINTS = 2000

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id))

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string>} [attributes]
 * @param {Array<Node | string>} [children]
 */
function el (tag, attributes = {}, children = []) {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value)
  node.append(...children)
  return node
}

/** @param {string} text */
function say (text) { byId('message').textContent = text }

// ---- the admin API, with the token when one is needed ----

/** @type {string | null} */
let token = sessionStorage.getItem(TOKEN_KEY)

/** Asks for the token (once at a time), and resolves when one is given. */
let asking = /** @type {Promise<void> | null} */ (null)
function askToken () {
  if (asking !== null) return asking
  const dialog = /** @type {HTMLDialogElement} */ (byId('token-dialog'))
  asking = new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      token = /** @type {HTMLInputElement} */ (byId('token-input')).value
      sessionStorage.setItem(TOKEN_KEY, token)
      asking = null
      resolve()
    }, { once: true })
    dialog.showModal()
  })
  return asking
}

/** @param {Record<string, string>} [headers] */
const withToken = (headers = {}) => (token === null ? headers : { ...headers, authorization: `Bearer ${token}` })

/**
 * @param {string} method
 * @param {string} path under /__admin
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
async function api (method, path, body) {
  for (;;) {
    const res = await fetch(`/__admin/${path}`, {
      method,
      headers: withToken(body === undefined ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    if (res.status === 401) {
      await askToken()
      continue
    }
    const text = await res.text()
    const answer = text === '' ? undefined : JSON.parse(text)
    if (!res.ok) throw new Error(answer?.error?.message ?? `${method} ${path}: ${res.status}`)
    return answer
  }
}

/** Runs a control, saying what went wrong if it did. @param {() => Promise<unknown>} action */
function control (action) {
  say('')
  action().catch((err) => say(err instanceof Error ? err.message : String(err)))
}

// ---- the event stream ----

async function stream () {
  const connection = byId('connection')
  let wait = 1000
  for (;;) {
    try {
      const res = await fetch('/__admin/dashboard/events', { headers: withToken({ accept: 'text/event-stream' }) })
      if (res.status === 401) {
        connection.dataset.state = 'connecting'
        connection.textContent = 'needs the admin token'
        await askToken()
        continue
      }
      if (!res.ok || res.body === null) throw new Error(`the event stream answered ${res.status}`)
      connection.dataset.state = 'open'
      connection.textContent = 'live'
      wait = 1000
      await readEvents(res.body, (event, data) => { if (event === 'state') render(JSON.parse(data)) })
    } catch {
      // A restart or a lost connection: try again below.
    }
    connection.dataset.state = 'closed'
    connection.textContent = 'disconnected — reconnecting…'
    await new Promise((resolve) => setTimeout(resolve, wait))
    wait = Math.min(wait * 2, 5000)
  }
}

/**
 * Reads Server-Sent Events until the stream ends.
 * @param {ReadableStream<Uint8Array>} body
 * @param {(event: string, data: string) => void} onEvent
 */
async function readEvents (body, onEvent) {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return
    buffer += decoder.decode(value, { stream: true })
    let end
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      let event = 'message'
      const data = []
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim()
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''))
      }
      if (data.length > 0) onEvent(event, data.join('\n'))
    }
  }
}

// ---- rendering ----

/** @type {any} */
let current = null

/** @param {any} state the DashboardState */
function render (state) {
  current = state
  const { clock } = state
  byId('clock-now').textContent = clock.now.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')
  byId('clock-mode').textContent = `${clock.mode === 'frozen' ? 'paused' : `running ${clock.speed}×`} · scenario ${state.scenario}` +
    (clock.liveAccounts > 0 ? ` · ${clock.liveAccounts} live account${clock.liveAccounts === 1 ? '' : 's'}` : '') +
    (clock.behindSec > 0 ? ` · catching up ${Math.round(clock.behindSec)} s` : '')
  renderAccounts(state.accounts)
  renderFaults(state.faults)
  renderRequests(state.requests)
  chartOptions(state.accounts)
  addPoint(state)
}

/** @param {any[]} accounts */
function renderAccounts (accounts) {
  const main = byId('accounts')
  // Keep a select that has the focus as it is: rebuilding it would take the choice from under the person.
  if (main.contains(document.activeElement) && document.activeElement instanceof HTMLSelectElement) return
  main.replaceChildren(...accounts.map(renderAccount))
}

/** @param {any} account */
function renderAccount (account) {
  const rows = account.skills.map((/** @type {any} */ skill) => el('tr', {}, [
    el('td', {}, [skill.name]),
    el('td', {}, [String(skill.queued)]),
    el('td', {}, [String(skill.onlineAgents)]),
    el('td', {}, [skill.freeSlots === -1 ? '∞' : String(skill.freeSlots)]),
    ...skill.availableSlots.map((/** @type {any} */ { maxWaitTime, slots }) => {
      const button = el('button', { type: 'button', class: 'slots', 'aria-label': `why ${skill.name} answers ${slots} for maxWaitTime ${maxWaitTime}`, 'data-skill': skill.name, 'data-wait': String(maxWaitTime) }, [String(slots)])
      button.addEventListener('click', () => control(() => explain(account.id, skill.name, maxWaitTime)))
      return el('td', {}, [button])
    }),
    el('td', {}, [String(skill.estimatedWaitTime)]),
    el('td', {}, [skill.live === undefined ? '' : `${skill.live.arrived} / ${skill.live.abandoned}`]),
    el('td', {}, [chatButton('Start', `start a ${skill.name} chat`, () => api('POST', `accounts/${account.id}/chats`, { skill: skill.name })),
      ' ', chatButton('End', `end a ${skill.name} chat started here`, () => endChat(account.id, skill.name))])
  ]))
  const waits = account.skills[0]?.availableSlots.map((/** @type {any} */ s) => el('th', { scope: 'col' }, [`slots ≤${s.maxWaitTime}s`])) ?? []
  const table = el('table', {}, [
    el('thead', {}, [el('tr', {}, [el('th', { scope: 'col' }, ['skill']), el('th', { scope: 'col' }, ['queued']), el('th', { scope: 'col' }, ['online']),
      el('th', { scope: 'col' }, ['free']), ...waits, el('th', { scope: 'col' }, ['wait s']), el('th', { scope: 'col' }, ['arrived / abandoned']), el('th', { scope: 'col' }, ['chats'])])]),
    el('tbody', {}, rows)
  ])
  const agents = el('div', { class: 'agents' }, account.agents.map((/** @type {any} */ agent) => renderAgent(account.id, agent)))
  const more = account.agentCount > account.agents.length ? [el('p', {}, [`and ${account.agentCount - account.agents.length} more agents`])] : []
  return el('section', { class: 'account', 'aria-label': `account ${account.id}`, 'data-account': account.id }, [
    el('h2', {}, [`Account ${account.id}`]), el('div', { class: 'table-wrap' }, [table]), el('h3', {}, ['Agents']), agents, ...more
  ])
}

/** @param {string} label @param {string} name @param {() => Promise<unknown>} action */
function chatButton (label, name, action) {
  const button = el('button', { type: 'button', 'aria-label': name }, [label])
  button.addEventListener('click', () => control(action))
  return button
}

/** @param {string} accountId @param {any} agent */
function renderAgent (accountId, agent) {
  const select = el('select', { 'aria-label': `chat state of ${agent.name}`, 'data-agent': agent.name },
    STATES.map((state) => el('option', state === agent.chatState ? { value: state, selected: '' } : { value: state }, [state])))
  select.addEventListener('change', () => control(async () => {
    await api('PATCH', `accounts/${accountId}/agents/${agent.name}`, { chatState: select.value })
    select.blur()
  }))
  const unlimited = agent.maxChats === -1
  const share = unlimited ? 0 : agent.maxChats === 0 ? 1 : agent.activeChats / agent.maxChats
  return el('div', { class: 'agent', 'data-state': agent.chatState }, [
    el('div', {}, [el('span', { class: 'name' }, [agent.nickname]), ' ', select]),
    el('div', { class: 'bar', role: 'img', 'aria-label': `${agent.activeChats} of ${unlimited ? 'unlimited' : agent.maxChats} chats` },
      [el('span', { style: `width: ${Math.round(100 * share)}%` })]),
    el('div', {}, [`${agent.activeChats} / ${unlimited ? '∞' : agent.maxChats} chats`]),
    el('div', { class: 'skills' }, [agent.skills.join(', ')])
  ])
}

/** @param {string} accountId @param {string} skill @param {number} maxWaitTime */
async function explain (accountId, skill, maxWaitTime) {
  const estimate = await api('GET', `accounts/${accountId}/estimate?skill=${encodeURIComponent(skill)}&maxWaitTime=${maxWaitTime}`)
  byId('explain-title').textContent = `${skill}, maxWaitTime ${maxWaitTime} s: ${estimate.availableSlots} slots`
  byId('explain-body').textContent = JSON.stringify(estimate, null, 2)
  ;/** @type {HTMLDialogElement} */ (byId('explain')).showModal()
}

/** Ends the newest chat of the skill that was started through the admin API. @param {string} accountId @param {string} skill */
async function endChat (accountId, skill) {
  const { chats } = await api('GET', `accounts/${accountId}/chats`)
  const chat = chats.filter((/** @type {any} */ c) => c.skill === skill).pop()
  if (chat === undefined) throw new Error(`no ${skill} chat started here is open in account ${accountId}`)
  await api('DELETE', `accounts/${accountId}/chats/${chat.id}`)
}

/** @param {any[]} faults */
function renderFaults (faults) {
  byId('faults').replaceChildren(...(faults.length === 0
    ? [el('li', {}, ['none'])]
    : faults.map((fault) => {
      const remove = el('button', { type: 'button', 'aria-label': `remove ${fault.id}` }, ['Remove'])
      remove.addEventListener('click', () => control(() => api('DELETE', `faults/${fault.id}`)))
      const what = fault.effect.type === 'error' ? `error ${fault.effect.status}` : fault.effect.type
      return el('li', { 'data-fault': fault.id }, [`${fault.id}: ${what}, p = ${fault.probability ?? 1}${fault.match?.path === undefined ? '' : `, ${fault.match.path}`}, fired ${fault.fired} `, remove])
    })))
}

/** @param {any[]} requests */
function renderRequests (requests) {
  byId('requests').replaceChildren(...(requests.length === 0
    ? [el('li', {}, ['none yet: requests to /api show here'])]
    : [...requests].reverse().map((r) => el('li', {}, [`${r.time.slice(11, 19)} ${r.method} ${r.path} → ${r.status ?? 'dropped'}`]))))
}

// ---- the chart ----

/** x: the clock in seconds; then queued, free slots, availableSlots at the chosen wait, arrived, abandoned. */
let data = /** @type {number[][]} */ ([[], [], [], [], [], []])
/** @type {UPlot | null} */
let chart = null
let chartKey = ''

/** @param {any[]} accounts */
function chartOptions (accounts) {
  const skillSelect = /** @type {HTMLSelectElement} */ (byId('chart-skill'))
  const waitSelect = /** @type {HTMLSelectElement} */ (byId('chart-wait'))
  const skills = accounts.flatMap((a) => a.skills.map((/** @type {any} */ s) => `${a.id}/${s.name}`))
  if ([...skillSelect.options].map((o) => o.value).join() !== skills.join()) {
    const chosen = skillSelect.value
    skillSelect.replaceChildren(...skills.map((key) => el('option', { value: key }, [key])))
    if (skills.includes(chosen)) skillSelect.value = chosen
  }
  /** @type {string[]} */
  const waits = accounts[0]?.skills[0]?.availableSlots.map((/** @type {any} */ s) => String(s.maxWaitTime)) ?? []
  if (waitSelect.options.length !== waits.length) {
    waitSelect.replaceChildren(...waits.map((w) => el('option', { value: w }, [`${w} s`])))
    if (waits.includes('60')) waitSelect.value = '60'
  }
}

/** @param {any} state */
function addPoint (state) {
  const skillKey = /** @type {HTMLSelectElement} */ (byId('chart-skill')).value
  const wait = Number(/** @type {HTMLSelectElement} */ (byId('chart-wait')).value)
  const key = `${skillKey}@${wait}`
  const x = Date.parse(state.clock.now) / 1000
  const xs = /** @type {number[]} */ (data[0])
  // A new series, or the clock went back: start again.
  if (key !== chartKey || (xs.length > 0 && x < /** @type {number} */ (xs[xs.length - 1]))) {
    data = [[], [], [], [], [], []]
    chartKey = key
  }
  const [accountId, skillName] = skillKey.split('/')
  const skill = state.accounts.find((/** @type {any} */ a) => a.id === accountId)?.skills.find((/** @type {any} */ s) => s.name === skillName)
  if (skill === undefined) return
  const point = [x, skill.queued, skill.freeSlots, skill.availableSlots.find((/** @type {any} */ s) => s.maxWaitTime === wait)?.slots ?? 0,
    skill.live?.arrived ?? 0, skill.live?.abandoned ?? 0]
  const last = data[0].length - 1
  if (last >= 0 && data[0][last] === x) point.forEach((v, i) => { /** @type {number[]} */ (data[i])[last] = v })
  else point.forEach((v, i) => { /** @type {number[]} */ (data[i]).push(v) })
  if (data[0].length > MAX_POINTS) data = data.map((series) => series.slice(-MAX_POINTS))
  drawChart()
}

function drawChart () {
  const box = byId('chart')
  box.dataset.points = String(data[0]?.length ?? 0)
  const width = Math.max(280, box.clientWidth)
  if (chart === null) {
    chart = new UPlot({
      width,
      height: 240,
      series: [
        {},
        { label: 'queued', stroke: '#cf222e' },
        { label: 'free slots', stroke: '#1a7f37' },
        { label: 'availableSlots', stroke: '#0969da', width: 2 },
        { label: 'arrived', stroke: '#9a6700', scale: 'count' },
        { label: 'abandoned', stroke: '#8250df', scale: 'count' }
      ],
      axes: [{}, {}, { scale: 'count', side: 1, grid: { show: false } }]
    }, /** @type {any} */ (data), box)
  } else {
    chart.setData(/** @type {any} */ (data))
    if (Math.abs(chart.width - width) > 20) chart.setSize({ width, height: 240 })
  }
}

// ---- the controls ----

byId('pause').addEventListener('click', () => control(() => api('PUT', 'clock', { mode: 'frozen' })))
byId('play').addEventListener('click', () => control(() =>
  api('PUT', 'clock', { mode: 'realtime', speed: Number(/** @type {HTMLSelectElement} */ (byId('speed')).value) })))
for (const button of document.querySelectorAll('[data-advance]')) {
  button.addEventListener('click', () => control(() => api('POST', 'clock/advance', { seconds: Number(/** @type {HTMLElement} */ (button).dataset.advance) })))
}
byId('scenario-form').addEventListener('submit', (event) => {
  event.preventDefault()
  control(() => api('PUT', 'scenario', { name: /** @type {HTMLInputElement} */ (byId('scenario-name')).value }))
})
byId('reset').addEventListener('click', () => control(() => api('POST', 'reset')))
byId('fault-form').addEventListener('submit', (event) => {
  event.preventDefault()
  const kind = /** @type {HTMLSelectElement} */ (byId('fault-effect')).value
  const effect = kind === 'error' ? { type: 'error', status: 503 } : kind === 'latency' ? { type: 'latency', ms: 2000 } : { type: kind }
  const path = /** @type {HTMLInputElement} */ (byId('fault-path')).value
  const probability = Number(/** @type {HTMLInputElement} */ (byId('fault-probability')).value)
  control(() => api('POST', 'faults', { effect, probability, ...(path === '' ? {} : { match: { path } }) }))
})
for (const id of ['chart-skill', 'chart-wait']) byId(id).addEventListener('change', () => { if (current !== null) addPoint(current) })
window.addEventListener('resize', () => { if (chart !== null) drawChart() })

stream()
