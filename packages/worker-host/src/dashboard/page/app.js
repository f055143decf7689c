// The dashboard page: one server-sent-event stream (`/events`) feeds every part of it.
// `hello` draws the page at once, `sample` brings each thread's figures, `events` the system's.
import { ThreadCards, renderActors, renderDeadLetters, renderEvents, formatNumber } from './render.js'
import { renderTree } from './tree.js'

const token = new URLSearchParams(location.search).get('token')
const connection = document.querySelector('#connection')
let cards

function setConnection(state, text) {
  connection.dataset.state = state
  connection.textContent = text
}

function drawSample(sample) {
  cards.sample(sample)
  renderActors(sample)
  renderDeadLetters(sample.deadLetters)
  renderTree(sample.tree)
  const actors = sample.threads.reduce((sum, row) => sum + (row.actors ?? 0), 0)
  document.querySelector('#summary').textContent = `${sample.threads.length - 1} workers · ${formatNumber(actors)} actors · updated ${new Date(sample.at).toLocaleTimeString('en-GB', { hour12: false })}`
}

function applyEvents(events) {
  renderEvents(events)
  for (const event of events) if (event.type.startsWith('worker-')) cards.incident(event)
}

const stream = new EventSource(token === null ? 'events' : `events?token=${encodeURIComponent(token)}`)

// Sent again after each reconnection: the page starts over from it.
stream.addEventListener('hello', (message) => {
  const hello = JSON.parse(message.data)
  cards = new ThreadCards(document.querySelector('#threads'), hello.workers)
  document.querySelector('#events').replaceChildren()
  cards.history(hello.history)
  renderEvents(hello.events)
  if (hello.latest) drawSample(hello.latest)
  // Events newer than that sample tell the threads' latest state.
  for (const event of hello.events) if (event.type.startsWith('worker-') && (!hello.latest || event.at > hello.latest.at)) cards.incident(event)
  setConnection('live', 'live')
})

stream.addEventListener('sample', (message) => drawSample(JSON.parse(message.data)))

stream.addEventListener('events', (message) => {
  const batch = JSON.parse(message.data)
  applyEvents(batch.events)
  if (batch.dropped > 0) renderEvents([], batch.dropped)
})

stream.addEventListener('error', () => {
  // EventSource retries by itself; CLOSED means the server refused (a bad token, too many pages).
  if (stream.readyState === EventSource.CLOSED) setConnection('closed', 'disconnected: reload to retry')
  else setConnection('reconnecting', 'reconnecting…')
})
