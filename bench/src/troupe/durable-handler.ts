// durable.handler.rate: events of a durable stream (JetStream) handled by troupe's durable handler
// with maxJobs 16, against baseline.jetstream.consume (raw JetStream: a durable pull consumer
// consuming and acking the same messages) in P28.
import { jetstreamManager } from '@nats-io/jetstream'
import type { JetStreamManager } from '@nats-io/jetstream'
import type { ActorRef, ActorSystem } from 'troupe'
import { expectedChecksum, incMessage } from '../baselines/inc-message.js'
import { natsServerMissing, withConnections, withNatsServer } from '../baselines/nats.js'
import type { BenchmarkDefinition } from '../harness.js'
import { IncJob, JobLatch, type IncEvent } from './durable-actors.js'
import { check, withSystem } from './system.js'

const id = 'durable.handler.rate'
const DURABLE_ACTORS = new URL('./durable-actors.js', import.meta.url)
/**
 * Events per timed pass (a quarter of it untimed first). Fewer than baseline.jetstream.consume's
 * 50 000 / 12 000: at the 2-3.5 k msg/s the handler did on the loaded 2-vCPU development VM,
 * 12 000 made a quick benchmark (1 + 3 runs) take ~20 s, and 50 000 would make a full pass
 * ~15-25 s. A run also spends ~1.2 s on the server, the system, the fill and the checks.
 */
const count = { full: 20_000, quick: 1_600 }
/** The handler's jobs in hand at once on the node (the default, stated). */
const maxJobs = 16
/** `publish` calls in flight while a stream is filled (untimed): each resolves on JetStream's PubAck. */
const fillBatch = 1000
/** The cluster's name, so that the untimed check can name the JetStream stream and consumer. */
const clusterName = 'bench'
/** How long the untimed check waits for the handler's last acks (fire-and-forget) to reach the server. */
const ackSettleMs = 5000

/** Publishes n = 0 .. messages - 1 on `stream`, `fillBatch` publishes in flight at a time (untimed). */
async function fill(system: ActorSystem, stream: string, messages: number): Promise<void> {
  const events = system.stream<IncEvent>(stream)
  for (let start = 0; start < messages; start += fillBatch) {
    const batch: Promise<unknown>[] = []
    for (let n = start; n < Math.min(start + fillBatch, messages); n++) batch.push(events.publish(incMessage(n)))
    await Promise.all(batch)
  }
}

/**
 * The consumer's state once the handler has stopped, as baseline.jetstream.consume checks its
 * own: no ack pending and the ack floor at the last event. troupe acks without waiting for the
 * server's answer, so the last acks may still be on their way: polled for up to `ackSettleMs`.
 */
async function checkConsumer(jsm: JetStreamManager, stream: string, handler: string, messages: number): Promise<void> {
  const jsStream = `troupe_${clusterName}_${stream}`
  const consumer = `h0_${handler}`
  const giveUpAt = performance.now() + ackSettleMs
  for (;;) {
    const info = await jsm.consumers.info(jsStream, consumer)
    if (info.num_ack_pending === 0 && info.ack_floor.stream_seq === messages) return
    if (performance.now() > giveUpAt) {
      throw new Error(`${id}: ${jsStream}/${consumer}: ${info.num_ack_pending} acks pending, ack floor ${info.ack_floor.stream_seq}, expected 0 and ${messages}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/**
 * One pass on a stream of its own: fills it (untimed), arms the latch, then times from
 * `handle(IncJob, 'take', { maxJobs: 16 })` until the latch answers that the handler's actors ran
 * every job and the handler counts them all done (each acked). Checks the actors' count and sum
 * of n, that no job was a redelivery, the handler's stats, and (untimed, after `stop()`) the
 * consumer's state on the server. Returns msg/s.
 */
async function handlerPass(system: ActorSystem, jsm: JetStreamManager, latch: ActorRef<JobLatch>, messages: number, tag: string): Promise<number> {
  const stream = `bench-${tag}`
  const name = `rate-${tag}`
  await fill(system, stream, messages)
  await latch.ask.arm(messages)
  const done = latch.ask.done()
  const started = performance.now()
  const handler = await system.stream<IncEvent>(stream).handle(IncJob, 'take', { name, maxJobs })
  const tally = await done
  // The latch answers from the last job's actor, just before that job's own answer: its ack and
  // the handler's count follow within a turn or two of the main thread.
  while (handler.stats().done < messages) await new Promise((resolve) => setImmediate(resolve))
  const seconds = (performance.now() - started) / 1000
  await handler.stop()
  check(`${id}: ${stream}: jobs run`, tally.count, messages)
  check(`${id}: ${stream}: sum of n`, tally.sum, expectedChecksum(messages))
  check(`${id}: ${stream}: jobs that were redeliveries`, tally.redelivered, 0)
  const stats = handler.stats()
  check(`${id}: ${stream}: jobs done`, stats.done, messages)
  check(`${id}: ${stream}: jobs retried`, stats.retried, 0)
  check(`${id}: ${stream}: dead letters`, stats.dead, 0)
  check(`${id}: ${stream}: most jobs running at once <= maxJobs`, stats.peakRunning <= maxJobs, true)
  await checkConsumer(jsm, stream, name, messages)
  if (!(seconds > 0)) throw new Error(`non-positive duration ${seconds}s`)
  return messages / seconds
}

/**
 * A nats-server with JetStream of the run's own, and the bench process's system as the only node
 * of a cluster (`workers: 1`, as the cluster benchmarks: the development machine has 2 cores, and
 * the main thread runs the handler's pulls and asks). A raw connection checks the consumer.
 */
async function durableHandlerRun(quick: boolean): Promise<number> {
  const messages = quick ? count.quick : count.full
  return withNatsServer(true, (servers) =>
    withConnections(servers, ['bench-check'], async ([checker]) => {
      if (!checker) throw new Error('connection missing')
      const jsm = await jetstreamManager(checker)
      return withSystem(
        1,
        id,
        async (system) => {
          const latch = await system.spawn(JobLatch)
          check(`${id}: latch thread`, await latch.ask.thread(), 1)
          // Untimed pass: the stream's and consumer's setup paths, the ask path and the actors warm up.
          await handlerPass(system, jsm, latch, messages / 4, 'warm')
          return handlerPass(system, jsm, latch, messages, 'timed')
        },
        { actors: [DURABLE_ACTORS], options: { cluster: { servers, node: 'a', name: clusterName } } },
      )
    }),
  )
}

export const durableHandlerRate: BenchmarkDefinition = {
  id,
  unit: 'msg/s',
  requires: natsServerMissing,
  run: durableHandlerRun,
}
