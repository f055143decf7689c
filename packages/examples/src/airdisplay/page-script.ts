// The page's script, served at `/app.js`: plain browser JavaScript in a string, no build step.
// It keeps one view per banner, merged by `version` from the snapshot and the live updates, and
// draws them. It never hides a message by its own clock: a message leaves the page when the
// server says it was cleared, so what the page shows is what the store holds.
// (No template literals below: this whole script is one.)
export const PAGE_SCRIPT = `'use strict'
const fleetEl = document.getElementById('fleet')
const statusEl = document.getElementById('status')
const form = document.getElementById('post')
const select = document.getElementById('banner')
const resultEl = document.getElementById('result')
const COLOURS = ['#ffd166', '#ff8fab', '#7bdff2', '#b8f2a0', '#ffb86b', '#cdb4ff']

/** id -> { view, el } */
const banners = new Map()
/** Ids changed by an update on the current connection: the snapshot must not take them back. */
let updatedSinceConnect = new Set()

const number = (id) => Number(id.slice(2))
const clock = (ms) => new Date(ms).toLocaleTimeString()
/** "42 s", "3:07". */
function duration(ms) {
  const seconds = Math.ceil(ms / 1000)
  return seconds < 60 ? seconds + ' s' : Math.floor(seconds / 60) + ':' + String(seconds % 60).padStart(2, '0')
}

function card(id) {
  const el = document.createElement('article')
  el.className = 'banner'
  el.dataset.banner = id
  el.style.setProperty('--cloth', COLOURS[(number(id) - 1) % COLOURS.length])
  el.innerHTML = '<div class="tow"><div class="cloth"><span class="text"></span></div><div class="rope"></div>' +
    '<div class="plane"><span class="icon">\u2708</span><span class="id"></span></div></div>' +
    '<div class="meta"><span class="by"></span><span class="left"></span></div><div class="bar"><div class="fill"></div></div>'
  el.querySelector('.id').textContent = id
  el.addEventListener('click', () => { select.value = id; document.getElementById('text').focus() })
  return el
}

function draw(entry) {
  const { view, el } = entry
  const message = view.message
  el.dataset.state = message ? 'showing' : 'empty'
  el.dataset.version = String(view.version)
  el.querySelector('.text').textContent = message ? message.text : 'Free sky: post a message'
  el.querySelector('.by').textContent = message ? 'by ' + message.by + ' at ' + clock(message.postedAt) : 'no message'
  tick(entry)
}

/** The countdown of one banner, from the wall clock: only the bar and the "left" label. */
function tick({ view, el }) {
  const message = view.message
  const left = message ? message.expiresAt - Date.now() : 0
  el.querySelector('.left').textContent = !message ? '' : left > 0 ? duration(left) + ' left' : 'landing\u2026'
  const share = message ? Math.max(0, Math.min(1, left / (message.expiresAt - message.postedAt))) : 0
  el.querySelector('.fill').style.width = (share * 100).toFixed(1) + '%'
}

/** Puts the cards and the form's choices in fleet order (when a banner is first seen). */
function order() {
  const ids = [...banners.keys()].sort((a, b) => number(a) - number(b))
  const chosen = select.value
  select.replaceChildren(...ids.map((id) => new Option(id, id)))
  if (chosen) select.value = chosen
  for (const id of ids) fleetEl.appendChild(banners.get(id).el)
}

/** Takes a view if it is newer than the one held, or at once when forced (a snapshot). */
function take(view, force) {
  const entry = banners.get(view.id)
  if (entry === undefined) {
    const added = { view, el: card(view.id) }
    banners.set(view.id, added)
    order()
    draw(added)
  } else if (force || view.version > entry.view.version) {
    entry.view = view
    draw(entry)
  }
}

function connect() {
  const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws')
  updatedSinceConnect = new Set()
  socket.onopen = () => { statusEl.textContent = 'live'; statusEl.className = 'status live' }
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data)
    if (message.type === 'snapshot') {
      // Authoritative for every banner not updated since this connection opened (the store may
      // be another one than before a reconnect, with lower versions).
      for (const view of message.banners) take(view, !updatedSinceConnect.has(view.id))
      document.body.dataset.ready = 'true'
    } else if (message.type === 'update') {
      updatedSinceConnect.add(message.banner.id)
      take(message.banner, false)
    }
  }
  socket.onclose = () => {
    statusEl.textContent = 'reconnecting\u2026'
    statusEl.className = 'status down'
    setTimeout(connect, 1000)
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault()
  const button = form.querySelector('button')
  const id = select.value
  button.disabled = true
  try {
    const response = await fetch('/api/banners/' + encodeURIComponent(id) + '/message', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: document.getElementById('text').value, by: document.getElementById('by').value }),
    })
    const body = await response.json()
    if (response.status === 201) {
      resultEl.className = 'result ok'
      resultEl.textContent = 'Flying on ' + id + ' until ' + clock(body.expiresAt) + '.'
      document.getElementById('text').value = ''
    } else if (response.status === 409) {
      resultEl.className = 'result refused'
      resultEl.textContent = id + ' is busy with \u201c' + body.showing.text + '\u201d until ' + clock(body.showing.expiresAt) + '.'
    } else {
      resultEl.className = 'result refused'
      resultEl.textContent = body.error
    }
  } catch (error) {
    resultEl.className = 'result refused'
    resultEl.textContent = 'Could not post: ' + error.message
  } finally {
    button.disabled = false
  }
})

setInterval(() => banners.forEach(tick), 250)
connect()
`
