// cluster.failover.ms: node SIGKILL → its entities answering on another node. Both nodes shard
// FailoverLedger entities (cluster-entities.ts) over the NATS store, with P27's membership timing;
// node b's process is killed, and the figure is the time until every key it hosted has answered
// from node a, which takes them over once it declares node b down (a lease per key in NATS KV,
// the state read back from the shared store).
import { randomBytes } from 'node:crypto'
import { AskTimeoutError, ClusterError, NodeDownError, type ActorRef, type ActorSystem } from 'troupe'
import { natsServerMissing } from '../baselines/nats.js'
import type { BenchmarkDefinition } from '../harness.js'
import { DOWN_TIMING, nodeDown } from './cluster-down.js'
import { FailoverLedger } from './cluster-entities.js'
import { withClusterPair } from './cluster-pair.js'
import { CHILD_NODE } from './cluster-protocol.js'
import { check } from './system.js'

const id = 'cluster.failover.ms'
/** Keys activated before the kill: about half hash to node b (rendezvous over two nodes). */
const KEYS = Array.from({ length: 20 }, (_, i) => `k${i}`)
/**
 * Bound of each ask after the kill; a timed-out ask is retried. An ask that reached no live
 * activation (sent to node b before it was seen down, or lost in the handover) would otherwise
 * wait for the system's 60 s: this bounds what such an ask can add to the figure. Half of
 * downAfterMs: asks to node b before it is seen down are a few retries, not a flood.
 */
const ASK_TIMEOUT_MS = DOWN_TIMING.downAfterMs / 2
/** A failover that has not finished by then failed (well within withSystem's 60 s). */
const GIVE_UP_MS = 15_000

/** What the asks to one of node b's keys met after the kill, until it answered from node a. */
interface KeyFailover {
  /** From the kill until its first answer from node a. */
  readonly ms: number
  /** Rejected asks before that answer, by error name (all of them retried). */
  readonly rejected: Readonly<Record<string, number>>
}

/** Errors a failover may show before the key answers again: retried. Anything else fails the run. */
function retried(error: unknown): error is NodeDownError | ClusterError | AskTimeoutError {
  return error instanceof NodeDownError || error instanceof ClusterError || error instanceof AskTimeoutError
}

/**
 * Asks `get()` of `key` one at a time from node a's main thread, from the kill (`t0`) until an
 * answer comes; retries the asks that met the dead node (NodeDownError naming node b), a
 * ClusterError of the handover, or their timeout. The answer must come from this process (node
 * a, the only node left) with the total committed before the kill: the state came back from the
 * NATS store, not a fresh activation.
 */
async function failover(system: ActorSystem, key: string, total: number, t0: number): Promise<KeyFailover> {
  const ref: ActorRef<FailoverLedger> = system.entity(FailoverLedger, key).with({ timeoutMs: ASK_TIMEOUT_MS })
  const rejected: Record<string, number> = {}
  for (;;) {
    try {
      const view = await ref.ask.get()
      const ms = performance.now() - t0
      check(`${id}: ${key} answered from process`, view.pid, process.pid)
      check(`${id}: ${key}'s total after failover`, view.total, total)
      return { ms, rejected }
    } catch (error) {
      if (!retried(error)) throw error
      if (error instanceof NodeDownError) check(`${id}: ${key}: NodeDownError's node`, error.node, CHILD_NODE)
      rejected[error.name] = (rejected[error.name] ?? 0) + 1
      if (performance.now() - t0 > GIVE_UP_MS) throw new Error(`${id}: ${key} did not answer from node a within ${GIVE_UP_MS} ms of the kill (last: ${error.message})`)
    }
  }
}

/** Sums the rejections of every key by error name, for the progress line. */
function rejections(failovers: readonly KeyFailover[]): string {
  const sum: Record<string, number> = {}
  for (const { rejected } of failovers) for (const [name, count] of Object.entries(rejected)) sum[name] = (sum[name] ?? 0) + count
  const parts = Object.entries(sum).map(([name, count]) => `${count} ${name}`)
  return parts.length === 0 ? 'none rejected' : parts.join(', ')
}

/**
 * Both nodes with heartbeatMs 200, downAfterMs 1000 and the NATS store in a bucket prefix of
 * the run's own. Node a's main thread asks `add(1)` of 20 keys (each is activated on the node
 * it hashes to); the keys whose ref addresses node b (and which answered from node b's process)
 * are node b's. After a random pause of 0-2 heartbeats, node b is SIGKILLed (t0, just before the
 * signal); each of its keys is then asked `get()` in a loop (see `failover`). The figure is the
 * time from t0 until the last of them answered from node a, in ms.
 * Checked: every answer before the kill (total 1, from the process its ref addresses), node b
 * has at least one key, every answer after it (from node a, total 1), node-down for node b came
 * after the kill. One kill per run and no warm-up round, as cluster.down.detection.ms.
 */
async function failoverRun(): Promise<number> {
  // Fresh per run: no run sees another's state or leases (each run also has its own server).
  const bucket = `bench-failover-${randomBytes(4).toString('hex')}`
  const settings = { timing: DOWN_TIMING, killsNodeB: true, expectedDeadLetters: ['node-down'], entities: { bucket } } as const
  return withClusterPair(id, settings, async (system, b) => {
    const self = system.cluster!.id
    const down = nodeDown(system, b.id)
    try {
      const victims: string[] = []
      await Promise.all(
        KEYS.map(async (key) => {
          const ref = system.entity(FailoverLedger, key)
          const view = await ref.ask.add(1)
          const node = ref.address.node
          if (node !== self && node !== b.id) throw new Error(`${id}: ${key} is addressed to node ${node}, neither a (${self}) nor b (${b.id})`)
          check(`${id}: ${key}'s total before the kill`, view.total, 1)
          check(`${id}: ${key} answered from the process of node ${node}`, view.pid, node === b.id ? b.pid : process.pid)
          if (node === b.id) victims.push(key)
        }),
      )
      if (victims.length === 0) throw new Error(`${id}: none of the ${KEYS.length} keys is on node b: nothing fails over`)
      // As in cluster.down.detection.ms: the kill falls at any phase of node a's membership timer.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * DOWN_TIMING.heartbeatMs))
      const t0 = performance.now()
      const exited = b.kill()
      const failovers = await Promise.all(victims.map((key) => failover(system, key, 1, t0)))
      const ms = Math.max(...failovers.map((f) => f.ms))
      const { at, event } = await down.seen
      if (at < t0) throw new Error(`${id}: node b was declared down ${(t0 - at).toFixed(0)} ms before it was killed (${event.reason})`)
      await exited
      const first = Math.min(...failovers.map((f) => f.ms))
      process.stderr.write(
        `  ${id}: ${victims.length}/${KEYS.length} keys on node b; node-down ${(at - t0).toFixed(0)} ms after SIGKILL, ` +
          `its keys answering from node a ${first.toFixed(0)}-${ms.toFixed(0)} ms after it (${rejections(failovers)})\n`,
      )
      return ms
    } finally {
      down.stop()
    }
  })
}

export const clusterFailoverMs: BenchmarkDefinition = {
  id,
  unit: 'ms',
  requires: natsServerMissing,
  // Uncapped timed rounds (whatever --pairs says); no warm-up round: each run is fresh processes and timers.
  rounds: { timed: Number.POSITIVE_INFINITY, warmup: 0 },
  run: failoverRun,
}
