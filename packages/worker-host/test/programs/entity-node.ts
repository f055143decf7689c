// A troupe node for the sharded-entity tests: joins `argv[3]` (a node name) over NATS at
// `argv[2]` (URLs separated by commas), with the NATS store in bucket `argv[6]` (with `argv[7]`
// replicas, default 1), so its entities are sharded over the cluster. Talks JSON lines. Out: {"ready":{"id":…,"pid":…}}, node events as {"event":…},
// {"members":[…],"state":…}, {"stopped":true}, or {"error":{…}} if the start fails (exit code 1).
// In (stdin): "members", "shutdown".
import { createInterface } from 'node:readline'
import { ActorSystem } from '../../src/index.js'

const [serverList, node, heartbeatMs, downAfterMs, bucket, replicas] = process.argv.slice(2)
const servers = serverList!.split(',')
const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`)

let system: ActorSystem
try {
  system = await ActorSystem.start({
    workers: 1,
    handlerHangMs: 10_000, // a loaded CI machine is not a hang (see test/helpers/system.ts)
    actors: [new URL('../fixtures/cluster-entities.ts', import.meta.url)],
    persistence: { store: 'nats', servers, bucket: bucket!, replicas: Number(replicas ?? 1) },
    cluster: { servers, node: node!, heartbeatMs: Number(heartbeatMs), downAfterMs: Number(downAfterMs) },
  })
} catch (error) {
  print({ error: { name: (error as Error).name, message: (error as Error).message } })
  process.exit(1)
}
system.events.subscribe((event) => {
  if (event.type === 'node-up' || event.type === 'node-down') print({ event, at: Date.now() })
})
print({ ready: { id: system.cluster!.id, pid: process.pid } })

for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'members') print({ members: system.cluster!.members(), state: system.cluster!.state })
  if (line === 'shutdown') {
    await system.shutdown()
    print({ stopped: true })
    process.exit(0)
  }
}
