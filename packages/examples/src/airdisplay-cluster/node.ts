// One node of `pnpm example airdisplay-cluster`: an AirDisplay server (HTTP API, page, live feed)
// joined to the cluster, its banners sharded over the nodes in the NATS store.
//   node.js <nats url> <node name> <banners> <showMs>
// Prints JSON lines (see ../shared/node-process.ts): ready {url, id, pid}, node-up/node-down,
// members {members}, placement {banners: id → node name}. Commands on stdin: members, placement.
import { Banner } from '../airdisplay/banner.js'
import { startAirDisplay } from '../airdisplay/server.js'
import { serveCommands } from '../shared/cluster-node.js'
import { printLine } from '../shared/node-process.js'
import { DOWN_AFTER_MS, HEARTBEAT_MS } from './settings.js'

const [servers, node, banners, showMs] = process.argv.slice(2)
const display = await startAirDisplay({
  port: 0,
  banners: Number(banners),
  showMs: Number(showMs),
  workers: 1,
  cluster: { servers: servers!, node: node!, heartbeatMs: HEARTBEAT_MS, downAfterMs: DOWN_AFTER_MS },
})
const cluster = display.system.cluster!
display.system.events.subscribe((event) => {
  if (event.type === 'node-up' || event.type === 'node-down') printLine({ type: event.type, node: event.node, ...(event.type === 'node-down' ? { reason: event.reason } : {}) })
})
printLine({ type: 'ready', url: display.url, id: cluster.id, pid: process.pid })

await serveCommands({
  members: () => printLine({ type: 'members', members: cluster.members().map((m) => m.node) }),
  // Where each banner lives, as this node routes to it (the same answer on every node).
  placement: () => {
    const names = new Map(cluster.members().map((m) => [m.id, m.node]))
    printLine({ type: 'placement', banners: Object.fromEntries(display.fleet.map((id) => [id, names.get(display.system.entity(Banner, id).address.node)])) })
  },
})
