// The launcher of `pnpm example airdisplay-cluster`: a nats-server (JetStream), three AirDisplay
// nodes as separate processes, and a tour through their HTTP APIs with one node SIGKILLed.
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startNatsServer } from 'troupe/testkit'
import { AirDisplayClient, waitFor } from '../airdisplay/client.js'
import { FeedObserver } from '../airdisplay/feed-observer.js'
import { fleetIds } from '../airdisplay/fleet.js'
import { Fleet, natsServerOrExplain, type NodeLine } from '../shared/node-process.js'
import { BANNERS, FRONT, NODES, SHOW_MS, type NodeName } from './settings.js'

export interface Check {
  readonly name: string
  readonly passed: boolean
  readonly detail: string
}

export interface AirDisplayClusterResult {
  readonly ok: boolean
  readonly checks: readonly Check[]
}

/** Long enough for a cold start under tsx on a loaded machine; a healthy step takes well under it. */
const STEP_TIMEOUT_MS = 60_000
const NODE_MODULE = new URL(`./node${extname(fileURLToPath(import.meta.url))}`, import.meta.url)

export async function runAirDisplayCluster(options: { readonly log: (line: string) => void }): Promise<AirDisplayClusterResult> {
  if (!natsServerOrExplain('airdisplay-cluster', options.log)) return { ok: false, checks: [] }
  const startedAt = Date.now()
  const log = (line: string): void => options.log(`${((Date.now() - startedAt) / 1000).toFixed(1).padStart(5)}s ${line}`)
  const checks: Check[] = []
  const check = (name: string, passed: boolean, detail: string): void => {
    checks.push({ name, passed, detail })
    log(`  ${passed ? 'ok  ' : 'FAIL'} ${name}: ${detail}`)
  }
  const server = await startNatsServer()
  const fleet = new Fleet()
  let feed: FeedObserver | undefined
  try {
    log(`airdisplay-cluster: ${BANNERS} banners sharded over nodes ${NODES.join(', ')} (separate processes), NATS store and leases on ${server.url}`)
    const show = (name: NodeName) => (line: NodeLine): void => {
      if (line.type === 'node-down') log(`  [${name}] sees node ${String(line['node'])} down: ${String(line['reason'])}`)
    }
    for (const node of NODES) fleet.start(node, NODE_MODULE, [server.url, node, String(BANNERS), String(SHOW_MS)], show(node))
    const urls = Object.fromEntries(await Promise.all(NODES.map(async (node) => [node, String((await fleet.line(node, 'ready', undefined, STEP_TIMEOUT_MS))['url'])] as const))) as Record<NodeName, string>
    for (const node of NODES) log(`  node ${node}: ${urls[node]} (pid ${fleet.node(node).pid})`)
    await Promise.all(NODES.map((node) => untilMembers(fleet, node, NODES.length)))
    const client = (node: NodeName): AirDisplayClient => new AirDisplayClient(urls[node])
    const ids = fleetIds(BANNERS)

    // The page of node a: it hears every banner, wherever it lives.
    feed = await FeedObserver.connect(urls[FRONT])
    const posts = await Promise.all(ids.map((id) => client(FRONT).post(id, `hello from ${FRONT} to ${id}`, 'tour')))
    check('posts through one node', posts.every((p) => p.kind === 'shown'), `${posts.filter((p) => p.kind === 'shown').length}/${ids.length} shown (201)`)
    const heard = await waitFor('every post on node a’s feed', STEP_TIMEOUT_MS, async () => (ids.every((id) => feed!.updates.some((u) => u.id === id && u.change === 'posted')) ? true : undefined)).catch(() => false)
    check('one page hears every node', heard, 'node a’s live feed got a "posted" update from every banner (pub/sub across nodes)')
    const seenOnC = await client('c').list()
    check('every node sees the same banners', seenOnC.every((view, i) => view.message?.text === `hello from ${FRONT} to ${ids[i]}`), 'node c lists the messages posted through node a')
    const refused = await client('b').post(ids[0]!, 'overwrite?', 'rival')
    check('never overwritten, across nodes', refused.kind === 'refused', `a post through node b to ${ids[0]} while it shows: ${refused.status}`)

    const placement = await placementOf(fleet, FRONT)
    const count = (node: string): number => Object.values(placement).filter((n) => n === node).length
    log(`  placement: ${NODES.map((node) => `${node} ${count(node)}`).join(', ')}`)
    const victim: NodeName = count('b') >= count('c') ? 'b' : 'c'
    const moved = ids.filter((id) => placement[id] === victim)
    check('banners spread over the nodes', NODES.filter((node) => count(node) > 0).length >= 2, `${NODES.map((node) => `${node} ${count(node)}`).join(', ')}`)

    const killedAt = Date.now()
    await fleet.node(victim).kill('SIGKILL')
    log(`  SIGKILL node ${victim}, which holds ${moved.join(', ')}`)
    const survivor: NodeName = NODES.find((node) => node !== victim && node !== FRONT)!
    const back = await waitFor(`${victim}'s banners answering again`, STEP_TIMEOUT_MS, async () => {
      const views = await Promise.all(moved.map((id) => client(FRONT).get(id).catch(() => undefined)))
      return views.every((view) => view !== undefined) ? views : undefined
    }, 100)
    const afterMs = Date.now() - killedAt
    check('banners come back on the other nodes', back.every((view, i) => view!.message?.text === `hello from ${FRONT} to ${moved[i]}`), `${moved.length} banners answered with their messages ${afterMs} ms after the kill`)
    const now = await placementOf(fleet, FRONT)
    check('and live there now', moved.every((id) => now[id] !== victim), moved.map((id) => `${id} → ${now[id]}`).join(', '))

    // The expiry reminders moved with them: every message comes down on time, on the feed too.
    const cleared = await waitFor('every message down', SHOW_MS + STEP_TIMEOUT_MS, async () => (ids.every((id) => feed!.updates.some((u) => u.id === id && u.change === 'cleared')) ? true : undefined), 100).catch(() => false)
    const due = Math.max(...posts.map((p) => (p.kind === 'shown' ? p.expiresAt : 0)))
    check('expiry reminders follow their banners', cleared, `every banner cleared on node a’s feed, the last one seen ${Date.now() - due} ms after the last due time (checked every 100 ms)`)
    const again = await client(survivor).post(moved[0]!, 'free again', 'tour')
    check('a moved banner takes a new message', again.kind === 'shown', `post through node ${survivor} to ${moved[0]}: ${again.status}`)
    const ok = checks.every((c) => c.passed)
    log(`airdisplay-cluster: ${checks.filter((c) => c.passed).length}/${checks.length} checks passed`)
    return { ok, checks }
  } finally {
    feed?.close()
    await fleet.killAll()
    await server.stop()
  }
}

/** Waits until `node` sees `count` members (those that joined after it are announced by heartbeats). */
async function untilMembers(fleet: Fleet, node: NodeName, count: number): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS
  for (;;) {
    const from = fleet.node(node).lines.length
    fleet.node(node).send('members')
    const line = await fleet.until(() => fleet.node(node).lines.slice(from).find((l) => l.type === 'members'), `node ${node} lists its members`, STEP_TIMEOUT_MS)
    if ((line['members'] as string[]).length === count) return
    if (Date.now() > deadline) throw new Error(`node ${node} sees ${String(line['members'])}, not ${count} members`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function placementOf(fleet: Fleet, node: NodeName): Promise<Record<string, string>> {
  const from = fleet.node(node).lines.length
  fleet.node(node).send('placement')
  const line = await fleet.until(() => fleet.node(node).lines.slice(from).find((l) => l.type === 'placement'), `node ${node} reports where the banners live`, STEP_TIMEOUT_MS)
  return line['banners'] as Record<string, string>
}
