// The supervision tree as collapsible <details>, redrawn only when it changed, and keeping
// which branches the reader closed.
import { actorLabel, el, formatNumber, threadName } from './render.js'

const closed = new Set()
let drawn = ''

const keyOf = (node) => (node.local ? `local:${node.id}` : String(node.id))

function label(node) {
  if (node.local) return el('span', { class: 'local' }, `#${node.id}${node.thread === undefined ? '' : ` on ${threadName(node.thread)}`}, in that thread's own tree (its children there are not listed)`)
  const parts = [el('span', { class: 'name' }, actorLabel(node)), ' ', el('span', { class: 'meta' }, `${threadName(node.thread)}${node.restarts > 0 ? ` · ${node.restarts} restart${node.restarts === 1 ? '' : 's'}` : ''}`)]
  if (node.lost) parts.push(' ', el('span', { class: 'lost' }, 'worker died; being restored'))
  return el('span', {}, ...parts)
}

function draw(node) {
  const attributes = { 'data-actor': node.local ? undefined : node.id, 'data-local': node.local ? node.id : undefined }
  if (node.children.length === 0 && node.hiddenChildren === 0) return el('div', { class: 'leaf', ...attributes }, label(node))
  const details = el('details', attributes, el('summary', {}, label(node)), ...node.children.map(draw))
  if (node.hiddenChildren > 0) details.append(el('div', { class: 'hidden-children' }, `${formatNumber(node.hiddenChildren)} more children not shown`))
  details.open = !closed.has(keyOf(node))
  details.addEventListener('toggle', () => (details.open ? closed.delete(keyOf(node)) : closed.add(keyOf(node))))
  return details
}

export function renderTree(tree) {
  const json = JSON.stringify(tree)
  if (json === drawn) return
  drawn = json
  const container = document.querySelector('#tree')
  container.replaceChildren(...tree.roots.map(draw))
  if (tree.roots.length === 0) container.append(el('p', { class: 'muted' }, 'No actors recorded.'))
  const more = document.querySelector('#tree-more')
  const hidden = tree.recorded - tree.shown
  more.hidden = hidden <= 0
  more.textContent = `${formatNumber(hidden)} more actors recorded on the main thread are not shown.`
  more.dataset.more = String(Math.max(0, hidden))
}
