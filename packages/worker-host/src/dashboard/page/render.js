// Draws the feed's messages into the page. Every figure is written with textContent: names and
// error messages come from the application and are never parsed as HTML.
import { ThreadCharts } from './charts.js'

/** Events kept in the list; older ones scroll away for good. */
const MAX_EVENTS = 200

const $ = (selector, root = document) => root.querySelector(selector)

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue
    if (key === 'class') node.className = value
    else node.setAttribute(key, String(value))
  }
  for (const child of children) node.append(child)
  return node
}

export const formatNumber = (value) => (value === undefined || value === null ? '–' : Math.round(value).toLocaleString('en-US'))
const formatRate = (value) => (value === null ? '–' : value >= 1e6 ? `${(value / 1e6).toFixed(2)}M` : value >= 1e4 ? `${(value / 1e3).toFixed(1)}k` : value.toFixed(0))
const formatPercent = (value) => (value === null ? '–' : `${(value * 100).toFixed(0)}%`)
const clock = (at) => new Date(at).toLocaleTimeString('en-GB', { hour12: false })
export const threadName = (thread) => (thread === 0 ? 'main' : `worker ${thread}`)
export const actorLabel = ({ type, name, id }) => `${type ?? 'actor'}${name === undefined ? '' : ` "${name}"`} #${id}`

/** Shown rounded for people; the exact value stays in `data-value` for scripts and tests. */
function setFigure(card, name, value, format) {
  const cell = $(`[data-figure="${name}"]`, card)
  cell.textContent = format(value ?? null)
  cell.dataset.value = value === null || value === undefined ? '' : String(value)
}

const STATUS_TEXT = { up: 'up', 'not-answering': 'not answering', hung: 'hung', crashed: 'crashed' }

/** One card per thread, with its figures and charts. */
export class ThreadCards {
  #cards = new Map()

  constructor(container, workers) {
    container.replaceChildren()
    for (let thread = 0; thread <= workers; thread++) {
      const figure = (name, label) => el('div', {}, el('dt', {}, label), el('dd', { 'data-figure': name }, '–'))
      const utilization = el('div', { class: 'chart', 'data-chart': 'utilization' })
      const throughput = el('div', { class: 'chart', 'data-chart': 'throughput' })
      const card = el(
        'article',
        { class: 'thread', 'data-thread': thread, 'data-status': 'waiting', 'data-generation': 0, 'data-crashes': 0, 'data-samples': 0 },
        el('header', {}, el('h3', {}, `${threadName(thread)}`), el('span', { class: 'status' }, 'waiting'), el('span', { class: 'generation' }, `thread ${thread}`)),
        el('dl', { class: 'figures' }, figure('utilization', 'util.'), figure('throughput', 'msg/s'), figure('actors', 'actors'), figure('mailboxDepth', 'waiting'), figure('processed', 'processed')),
        el('p', { class: 'incident' }),
        el('div', { class: 'chart-label' }, 'event-loop utilisation'),
        utilization,
        el('div', { class: 'chart-label' }, 'messages / s'),
        throughput,
      )
      container.append(card)
      this.#cards.set(thread, { card, charts: new ThreadCharts(utilization, throughput) })
    }
  }

  history(points) {
    for (const point of points) for (const row of point.threads) this.#cards.get(row.thread)?.charts.push(point.at, row.utilization, row.throughput)
    for (const { charts } of this.#cards.values()) charts.draw()
  }

  sample(sample) {
    for (const row of sample.threads) {
      const entry = this.#cards.get(row.thread)
      if (!entry) continue
      const { card, charts } = entry
      this.status(row.thread, row.status)
      card.dataset.generation = String(row.generation)
      card.dataset.crashes = String(row.crashes)
      if (row.utilization !== null) card.dataset.samples = String(Number(card.dataset.samples) + 1)
      $('.generation', card).textContent = row.thread === 0 ? 'thread 0' : `thread ${row.thread} · generation ${row.generation}`
      setFigure(card, 'utilization', row.utilization, formatPercent)
      setFigure(card, 'throughput', row.throughput, formatRate)
      setFigure(card, 'actors', row.actors, formatNumber)
      setFigure(card, 'mailboxDepth', row.mailboxDepth, formatNumber)
      setFigure(card, 'processed', row.processed, formatNumber)
      charts.push(sample.at, row.utilization, row.throughput)
      charts.draw()
    }
  }

  status(thread, status) {
    const card = this.#cards.get(thread)?.card
    if (!card) return
    card.dataset.status = status
    $('.status', card).textContent = STATUS_TEXT[status] ?? status
  }

  /** A worker's crash, hang or replacement: its state at once, and a line that stays on the card. */
  incident(event) {
    const card = this.#cards.get(event.thread)?.card
    if (!card) return
    const line = $('.incident', card)
    if (event.type === 'worker-hung') this.status(event.thread, 'hung')
    if (event.type === 'worker-crashed') {
      this.status(event.thread, 'crashed') // the count of crashes comes with the next sample
      line.textContent = `${clock(event.at)} ${event.text}`
    } else if (event.type === 'worker-replaced') {
      this.status(event.thread, 'up')
      line.textContent = `${line.textContent} → replaced ${clock(event.at)}`.trim()
    } else if (event.type === 'worker-hung') line.textContent = `${clock(event.at)} ${event.text}`
  }
}

/** Actors and waiting messages per thread, and the deepest mailboxes of all threads. */
export function renderActors(sample) {
  const rows = sample.threads.map((row) => {
    const types = (row.types ?? []).filter((t) => t.actors > 0).map((t) => `${t.type} ×${t.actors}`).join(', ')
    return el('tr', { 'data-thread': row.thread }, el('td', {}, threadName(row.thread)), el('td', { class: 'num' }, formatNumber(row.actors)), el('td', { class: 'num' }, formatNumber(row.mailboxDepth)), el('td', {}, types))
  })
  $('#actors-per-thread tbody').replaceChildren(...rows)
  const deepest = sample.threads
    .flatMap((row) => (row.largestMailboxes ?? []).map((mailbox) => ({ ...mailbox, thread: row.thread })))
    .filter((mailbox) => mailbox.depth > 0)
    .sort((a, b) => b.depth - a.depth)
    .slice(0, 10)
  $('#largest-mailboxes tbody').replaceChildren(...deepest.map((m) => el('tr', {}, el('td', {}, actorLabel(m)), el('td', {}, threadName(m.thread)), el('td', { class: 'num' }, formatNumber(m.depth)))))
  const note = $('#largest-mailboxes-note')
  note.hidden = deepest.length > 0
  note.textContent = 'No messages waiting in any mailbox.'
}

export function renderDeadLetters(view) {
  $('#dead-letters-total').textContent = formatNumber(view.total)
  const reasons = Object.entries(view.byReason).sort((a, b) => b[1] - a[1])
  $('#dead-letters tbody').replaceChildren(...reasons.map(([reason, count]) => el('tr', { 'data-reason': reason }, el('td', {}, reason), el('td', { class: 'num' }, formatNumber(count)))))
  $('#dead-letters-none').hidden = reasons.length > 0
}

/** Newest first; `dropped` events that did not fit a batch are counted in a note. */
export function renderEvents(events, dropped = 0) {
  const list = $('#events')
  for (const event of events) {
    const item = el('li', { 'data-type': event.type, 'data-severity': event.severity, 'data-thread': event.thread, 'data-seq': event.seq }, el('time', { datetime: new Date(event.at).toISOString() }, clock(event.at)), event.text)
    list.prepend(item)
  }
  while (list.childElementCount > MAX_EVENTS) list.lastElementChild.remove()
  $('#events-none').hidden = list.childElementCount > 0
  if (dropped > 0) {
    const note = $('#events-dropped')
    note.dataset.dropped = String(Number(note.dataset.dropped ?? 0) + dropped)
    note.textContent = `${note.dataset.dropped} events were left out of a burst.`
    note.hidden = false
  }
}
