// baseline.jetstream.consume: raw JetStream, a durable pull consumer consuming and acking a stream
// of msgpack { type: 'inc', n } messages on a local nats-server. The denominator of troupe's
// durable handlers (durable.handler.rate) in P28: what JetStream itself delivers, one ack per message.
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream'
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream'
import { unpack } from 'msgpackr'
import type { NatsConnection } from '@nats-io/transport-node'
import type { BenchmarkDefinition } from '../harness.js'
import { expectedChecksum, incMessage } from './inc-message.js'
import type { IncMessage } from './inc-message.js'
import { encodeOwned } from './msgpack-wire.js'
import { expectEqual, natsServerMissing, withConnections, withNatsServer } from './nats.js'
import { withTimeout } from './piscina.js'

/**
 * Messages per timed pass (a quarter of it untimed first): ~2 s (full) and ~0.5 s (quick) at the
 * ~20-25 k msg/s seen on the 2-vCPU development VM, so a quick run of 1 + 3 rounds stays near 5 s.
 */
const count = { full: 50_000, quick: 12_000 }
/** Core-NATS publishes between flushes while the stream is filled (untimed). */
const fillChunk = 1000
/** How often the fill polls the stream's message count. */
const fillPollMs = 5
const durable = 'bench'

/**
 * Fills a fresh stream with `messages` messages { type: 'inc', n }, one per JetStream message,
 * and creates the durable consumer on it. Untimed, and only a means to the consume pass: core
 * `publish` to the stream's subject, a flush per chunk, then polling the stream until it holds them
 * all (~120 k msg/s on the development VM). Awaiting each `js.publish`'s PubAck, 1000 in flight,
 * filled at ~11 k msg/s there and made the fill most of a run.
 */
async function fillStream(jsm: JetStreamManager, nc: NatsConnection, stream: string, subject: string, messages: number): Promise<void> {
  // nats-server's defaults otherwise: file storage (in the server's temporary directory), limits retention.
  await jsm.streams.add({ name: stream, subjects: [subject] })
  for (let start = 0; start < messages; start += fillChunk) {
    for (let n = start; n < Math.min(start + fillChunk, messages); n++) nc.publish(subject, encodeOwned(incMessage(n)))
    await nc.flush()
  }
  for (;;) {
    const stored = (await jsm.streams.info(stream)).state.messages
    if (stored === messages) break
    if (stored > messages) throw new Error(`${stream}: ${stored} messages stored, expected ${messages}`)
    // A fill that stalls short of the count ends at the pass's timeout.
    await new Promise((resolve) => setTimeout(resolve, fillPollMs))
  }
  await jsm.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit })
}

/**
 * One pass on a stream of its own: fills it (untimed), then times `consume()` on the durable
 * consumer until every message is decoded and acked. Every message but the last gets `ack()`; the
 * last gets `ackAck()`, whose answer comes once the server has processed it, and acks from one
 * connection are processed in order, so then all are. Checks the count, the sum of n, that
 * nothing was redelivered, and (untimed) the consumer's own state. Returns msg/s.
 */
async function consumePass(jsm: JetStreamManager, producer: NatsConnection, consumerJs: JetStreamClient, messages: number, tag: string): Promise<number> {
  const stream = `BENCH_${tag.toUpperCase()}`
  await fillStream(jsm, producer, stream, `bench.js.${tag}`, messages)
  const consumer = await consumerJs.consumers.get(stream, durable)
  let received = 0
  let checksum = 0
  let lastAcked = false
  const started = performance.now()
  // consume()'s defaults: pulls of 100 messages, the next pull at 75% consumed.
  const delivered = await consumer.consume()
  try {
    for await (const message of delivered) {
      if (message.redelivered) throw new Error(`${stream}: message ${message.seq} was redelivered`)
      // Trusted peer: a cast instead of validation, as in the port baselines.
      checksum += (unpack(message.data) as IncMessage).n
      received++
      if (received < messages) {
        message.ack()
        continue
      }
      lastAcked = await message.ackAck()
      break
    }
  } finally {
    await delivered.close()
  }
  const seconds = (performance.now() - started) / 1000
  if (!lastAcked) throw new Error(`${stream}: the last message's ack was not confirmed`)
  expectEqual(`${stream}: messages consumed`, received, messages)
  expectEqual(`${stream}: sum of n`, checksum, expectedChecksum(messages))
  const info = await jsm.consumers.info(stream, durable)
  expectEqual(`${stream}: acks pending`, info.num_ack_pending, 0)
  expectEqual(`${stream}: ack floor`, info.ack_floor.stream_seq, messages)
  if (!(seconds > 0)) throw new Error(`non-positive duration ${seconds}s`)
  await jsm.streams.delete(stream)
  return messages / seconds
}

async function jetstreamConsumeRun(quick: boolean): Promise<number> {
  const messages = quick ? count.quick : count.full
  return withNatsServer(true, (url) =>
    withConnections(url, ['bench-producer', 'bench-consumer'], async ([producer, consumer]) => {
      if (!producer || !consumer) throw new Error('connections missing')
      const jsm = await jetstreamManager(producer)
      const consumerJs = jetstream(consumer)
      // Untimed pass: V8 optimises the client's paths, and the server its store, first.
      await withTimeout(consumePass(jsm, producer, consumerJs, messages / 4, 'warm'), 'warm-up pass')
      return withTimeout(consumePass(jsm, producer, consumerJs, messages, 'timed'), 'timed pass')
    }),
  )
}

export const jetstreamConsume: BenchmarkDefinition = {
  id: 'baseline.jetstream.consume',
  unit: 'msg/s',
  requires: natsServerMissing,
  run: jetstreamConsumeRun,
}
