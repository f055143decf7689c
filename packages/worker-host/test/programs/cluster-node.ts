// A troupe node for the cluster tests: joins `argv[3]` (a node name) over NATS at `argv[2]`, and
// talks JSON lines. Out: {"ready":{"id":…}}, every node event as {"event":…}, {"members":[…]},
// {"stopped":true}, or {"error":{"name":…,"message":…}} if the start fails (exit code 1).
// In (stdin): "members", "shutdown". With a 5th argument "actors" it first spawns, by name, a
// Tally "tally" on its worker, a Relay "relay" on its main thread and a Collector "collector"
// (test/fixtures/cluster-actors.ts), for the other nodes to look up.
import { createInterface } from 'node:readline'
import { ActorSystem } from '../../src/index.js'
import { Collector, Relay, Tally } from '../fixtures/cluster-actors.js'

const [servers, node, heartbeatMs, downAfterMs, actors] = process.argv.slice(2)
const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`)

let system: ActorSystem
try {
  system = await ActorSystem.start({
    workers: 1,
    handlerHangMs: 10_000, // a loaded CI machine is not a hang (see test/helpers/system.ts)
    actors: [new URL('../fixtures/actors.ts', import.meta.url), new URL('../fixtures/cluster-actors.ts', import.meta.url)],
    cluster: { servers: servers!, node: node!, heartbeatMs: Number(heartbeatMs), downAfterMs: Number(downAfterMs) },
  })
} catch (error) {
  print({ error: { name: (error as Error).name, message: (error as Error).message } })
  process.exit(1)
}
system.events.subscribe((event) => {
  if (event.type === 'node-up' || event.type === 'node-down') print({ event })
})
if (actors === 'actors') {
  await system.spawn(Tally, { name: 'tally', placement: { worker: 0 } })
  await system.spawn(Relay, { name: 'relay', placement: 'main' })
  await system.spawn(Collector, { name: 'collector', placement: { worker: 0 } })
}
print({ ready: { id: system.cluster!.id } })

for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'members') print({ members: system.cluster!.members(), state: system.cluster!.state })
  if (line === 'shutdown') {
    await system.shutdown()
    print({ stopped: true })
    process.exit(0)
  }
}
