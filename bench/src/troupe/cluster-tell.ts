// cluster.tell: a flow-controlled stream of tells from an actor of node a to an actor of node b,
// over NATS. The numerator of P25, against baseline.nats.pub (raw NATS carrying the same
// messages in msgpack batches, with a comparable window).
import type { ActorRef } from 'troupe'
import { natsServerMissing } from '../baselines/nats.js'
import type { BenchmarkDefinition } from '../harness.js'
import { CreditSender, type Receiver } from './actors.js'
import { DEFAULT_TIMING, withClusterPair } from './cluster-pair.js'
import { check } from './system.js'
import { plainStart, streamPass, type Pair } from './tell.js'

const id = 'cluster.tell'
/** Tells per chunk; each chunk ends with a `credit` tell that node b's Receiver answers with `more()`. */
const chunk = 1000
/**
 * Chunks outstanding: 16 000 tells, about baseline.nats.pub's 64 batches of 256 (16 384). Credit
 * windows of troupe itself do not cross nodes, so this one is the benchmark's, as CreditSender
 * does it between threads.
 */
const window = 16
/** Tells per timed pass (a quarter of it untimed first): baseline.nats.pub's message counts. */
const count = { full: 256 * 12_000, quick: 256 * 2_400 }

/**
 * A CreditSender on node a's worker streams hit(n) to node b's Receiver (looked up by name), and
 * node b's Receiver answers each chunk's credit through the CreditSender's ref, which travelled
 * to it in the message: both directions cross NATS. Timed on node a's main thread from the start
 * command until the receiver's `done()` latch answers (one more NATS round trip); the count and
 * the sum of n are checked.
 */
async function clusterTellRun(quick: boolean): Promise<number> {
  const messages = quick ? count.quick : count.full
  return withClusterPair(id, { timing: DEFAULT_TIMING }, async (system, b) => {
    const sender = await system.spawn(CreditSender, { placement: { worker: 0 } })
    const receiver: ActorRef<Receiver> = b.receiver
    check(`${id}: sender thread`, await sender.ask.thread(), 1)
    check(`${id}: receiver's node`, receiver.address.node, b.id)
    check(`${id}: receiver thread`, await receiver.ask.thread(), 1)
    const pair: Pair = { sender, receiver, start: (n) => sender.tell.start(receiver, n, chunk, window) }
    // Untimed pass: opens the threads' links over NATS and lets both nodes optimise the path.
    await streamPass([pair], Math.ceil(messages / 4), plainStart)
    return streamPass([pair], messages, plainStart)
  })
}

export const clusterTell: BenchmarkDefinition = {
  id,
  unit: 'msg/s',
  requires: natsServerMissing,
  run: clusterTellRun,
}
