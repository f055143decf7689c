// baseline.nats.pub: raw NATS pub/sub between two connections to a local nats-server, carrying
// msgpack batches of { type: 'inc', n } with a bounded window. What a troupe cluster's tells
// between two nodes (cluster.tell) are divided by in P25, the cluster work's P15.
import { unpack } from 'msgpackr'
import type { Msg, NatsConnection } from '@nats-io/transport-node'
import type { BenchmarkDefinition } from '../harness.js'
import { expectedChecksum, incMessage } from './inc-message.js'
import type { IncMessage } from './inc-message.js'
import { encodeOwned } from './msgpack-wire.js'
import { expectEqual, natsServerMissing, withConnections, withNatsServer } from './nats.js'
import { withTimeout } from './piscina.js'

/** Messages per NATS message: the batch of baseline.port.batched. */
const batchSize = 256
/** The subscriber acks every this many batches it has decoded, on a reply subject. */
const ackEvery = 16
/** Batches the publisher may have sent beyond the last ack: the subscriber is never further behind. */
const windowBatches = 64
/** Messages per timed pass (a quarter of it untimed first): baseline.port.batched's counts. */
const count = { full: batchSize * 12_000, quick: batchSize * 2_400 }

/**
 * The publisher's credit: `windowBatches` to start with, `ackEvery` more per ack. A failure on
 * either side (`fail`) ends the pass at once instead of waiting for the timeout.
 */
class Credit {
  private available = windowBatches
  private waiter: (() => void) | undefined
  private failure: { readonly error: unknown } | undefined
  private rejectFailed: (error: unknown) => void = () => undefined
  /** Rejects with the first failure. */
  readonly failed = new Promise<never>((_, reject) => (this.rejectFailed = reject))

  constructor() {
    this.failed.catch(() => undefined) // raced below; unobserved when nothing fails
  }

  grant(batches: number): void {
    this.available += batches
    this.wake()
  }

  fail(error: unknown): void {
    if (this.failure === undefined) {
      this.failure = { error }
      this.rejectFailed(error)
    }
    this.wake()
  }

  /**
   * Takes one batch of credit if there is any. Synchronous on purpose: awaiting between batches
   * would let nats.js write each batch in a write of its own instead of coalescing them.
   */
  tryTake(): boolean {
    if (this.failure !== undefined) throw this.failure.error
    if (this.available === 0) return false
    this.available--
    return true
  }

  /** Resolves at the next ack (or failure). */
  replenished(): Promise<void> {
    return new Promise((resolve) => (this.waiter = resolve))
  }

  private wake(): void {
    const waiter = this.waiter
    this.waiter = undefined
    waiter?.()
  }
}

/** The batch of messages start..end-1, encoded into a buffer of its own (nats.js holds it until it writes). */
function encodeBatch(start: number, end: number): Uint8Array {
  const batch: IncMessage[] = []
  for (let n = start; n < end; n++) batch.push(incMessage(n))
  return encodeOwned(batch)
}

/**
 * One pass on subjects of its own: the subscriber decodes every batch, sums n and acks every
 * `ackEvery` batches; the publisher sends `messages` messages in batches within its credit.
 * Timed from the first publish until the subscriber has decoded the last batch. Returns msg/s.
 */
async function pubPass(publisher: NatsConnection, subscriber: NatsConnection, messages: number, tag: string): Promise<number> {
  const subject = `bench.pub.${tag}`
  const ackSubject = `${subject}.ack`
  const credit = new Credit()
  let received = 0
  let checksum = 0
  let batchesDecoded = 0
  let finish: (at: number) => void = () => undefined
  const decodedAll = new Promise<number>((resolve) => (finish = resolve))

  const data = subscriber.subscribe(subject, {
    callback: (error: Error | null, msg: Msg) => {
      try {
        if (error) throw error
        // Trusted peer: a cast instead of validation, as in the port baselines.
        const batch = unpack(msg.data) as IncMessage[]
        for (const message of batch) checksum += message.n
        received += batch.length
        batchesDecoded++
        if (batchesDecoded % ackEvery === 0) subscriber.publish(ackSubject)
        if (received >= messages) finish(performance.now())
      } catch (failure) {
        credit.fail(failure)
      }
    },
  })
  const acks = publisher.subscribe(ackSubject, {
    callback: (error: Error | null) => (error ? credit.fail(error) : credit.grant(ackEvery)),
  })
  try {
    // Both subscriptions are registered at the server before the first message goes out.
    await Promise.all([subscriber.flush(), publisher.flush()])
    const started = performance.now()
    for (let start = 0; start < messages; start += batchSize) {
      while (!credit.tryTake()) await credit.replenished()
      publisher.publish(subject, encodeBatch(start, Math.min(start + batchSize, messages)))
    }
    const finishedAt = await Promise.race([decodedAll, credit.failed])
    expectEqual(`${tag}: messages decoded`, received, messages)
    expectEqual(`${tag}: sum of n`, checksum, expectedChecksum(messages))
    const seconds = (finishedAt - started) / 1000
    if (!(seconds > 0)) throw new Error(`non-positive duration ${seconds}s`)
    return messages / seconds
  } finally {
    data.unsubscribe()
    acks.unsubscribe()
  }
}

async function natsPubRun(quick: boolean): Promise<number> {
  const messages = quick ? count.quick : count.full
  return withNatsServer(false, (url) =>
    withConnections(url, ['bench-publisher', 'bench-subscriber'], async ([publisher, subscriber]) => {
      if (!publisher || !subscriber) throw new Error('connections missing')
      // Untimed pass: V8 optimises the encode, decode and client paths first.
      await withTimeout(pubPass(publisher, subscriber, messages / 4, 'warm'), 'warm-up pass')
      return withTimeout(pubPass(publisher, subscriber, messages, 'timed'), 'timed pass')
    }),
  )
}

export const natsPub: BenchmarkDefinition = {
  id: 'baseline.nats.pub',
  unit: 'msg/s',
  requires: natsServerMissing,
  run: natsPubRun,
}
