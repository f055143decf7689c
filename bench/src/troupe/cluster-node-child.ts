// The second node of the cluster.* benchmarks (node 'b'), forked by cluster-pair.ts and run with
// plain node on compiled code: a system with one worker that joins the run's nats-server, with
// a Receiver and an Incrementer spawned by name on its worker. It reports over IPC and runs
// until the parent kills it (SIGKILL: cluster.down.detection.ms and cluster.failover.ms kill it
// on purpose, and the other benchmarks need nothing from its shutdown). Given a bucket prefix, it
// also shards entities with node 'a' over the NATS store (cluster.failover.ms).
import { ActorSystem } from 'troupe'
import { Incrementer, Receiver } from './actors.js'
import { clusterBenchActors } from './cluster-actor-modules.js'
import { CHILD_NODE, INCREMENTER_NAME, RECEIVER_NAME, type ChildMessage, type ParentMessage } from './cluster-protocol.js'

const [servers, heartbeatMs, downAfterMs, bucket] = process.argv.slice(2)

function send(message: ChildMessage): void {
  if (process.send === undefined) throw new Error('must run as a forked child (it reports over IPC)')
  process.send(message)
}

const describe = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error))

async function main(): Promise<void> {
  const system = await ActorSystem.start({
    workers: 1,
    actors: clusterBenchActors(bucket !== undefined),
    askTimeoutMs: 60_000,
    // The store both nodes share: a sharded entity's state is read back by whichever node takes it over.
    ...(bucket !== undefined ? { persistence: { store: 'nats' as const, servers: servers!, bucket } } : {}),
    cluster: { servers: servers!, node: CHILD_NODE, heartbeatMs: Number(heartbeatMs), downAfterMs: Number(downAfterMs) },
  })
  // Anything failing here would only show on node 'a' as a latch that never answers: say it at once.
  system.events.subscribe((event) => {
    if (event.type === 'actor-failed') send({ type: 'failed', reason: `node b: actor#${event.actor} failed: ${event.error.message}` })
    if (event.type === 'worker-crashed') send({ type: 'failed', reason: `node b: worker ${event.thread} crashed: ${event.reason}` })
    if (event.type === 'node-down' && event.self) send({ type: 'failed', reason: `node b declared itself down: ${event.reason}` })
  })
  await system.spawn(Receiver, { name: RECEIVER_NAME, placement: { worker: 0 } })
  await system.spawn(Incrementer, { name: INCREMENTER_NAME, placement: { worker: 0 } })
  process.on('message', (raw) => {
    const message = raw as ParentMessage
    if (message.type === 'report') send({ type: 'report', deadLetters: { ...system.deadLetters.countsByReason } })
  })
  // The parent going away (its own crash) must not leave this node running.
  process.on('disconnect', () => process.exit(0))
  send({ type: 'ready', id: system.cluster!.id })
}

main().catch((error: unknown) => {
  send({ type: 'failed', reason: `node b did not start: ${describe(error)}` })
  process.exitCode = 1
  process.disconnect?.()
})
