import type { MsgRequest } from '@nats-io/jetstream'
import { headers } from '@nats-io/transport-node'
import type { PublishOptions, PublishReceipt, ReadOptions, StoredEvent } from '@troupe/core'
import type { SystemRuntime } from '../system/system-runtime.js'
import { CONTENT_TYPE_HEADER, MSGPACK, decodeEvent, encodeEvent, levelSubject } from '../protocol/durable-wire.js'
import { durableNode, REQUEST_TIMEOUT_MS } from './durable-node.js'
import { wrap } from './jetstream-setup.js'

/** Publishes one event on level `level` of stream `base`; resolves with JetStream's acknowledgement. */
export async function publishEvent(runtime: SystemRuntime, base: string, level: number, event: unknown, options: PublishOptions): Promise<PublishReceipt> {
  const node = await durableNode(runtime)
  const stream = await node.stream(base)
  const h = headers()
  h.set(CONTENT_TYPE_HEADER, MSGPACK)
  try {
    const ack = await node.js.publish(levelSubject(node.cluster, base, level), encodeEvent(event), {
      headers: h,
      timeout: options.timeoutMs ?? REQUEST_TIMEOUT_MS,
      expect: { streamName: stream },
      ...(options.msgId === undefined ? {} : { msgID: options.msgId }),
    })
    return { seq: ack.seq, duplicate: ack.duplicate }
  } catch (error) {
    throw wrap(error, `cannot publish on durable stream ${base}${'.dead'.repeat(level)}`)
  }
}

/** Reads up to `limit` events of one level from `fromSeq` on: one bounded direct get per event, consuming nothing. */
export async function readEvents(runtime: SystemRuntime, base: string, level: number, options: ReadOptions): Promise<StoredEvent<unknown>[]> {
  const node = await durableNode(runtime)
  const stream = await node.stream(base)
  const subject = levelSubject(node.cluster, base, level)
  const events: StoredEvent<unknown>[] = []
  let seq = options.fromSeq ?? 1
  const limit = options.limit ?? 100
  while (events.length < limit) {
    let stored
    try {
      // The client's type omits next_by_subj; the server has it since 2.9 (the first message of the subject from seq on).
      stored = await node.jsm.streams.getMessage(stream, { next_by_subj: subject, seq } as unknown as MsgRequest)
    } catch (error) {
      throw wrap(error, `cannot read durable stream ${base}${'.dead'.repeat(level)}`)
    }
    if (!stored) break
    events.push({ seq: stored.seq, event: decodeEvent(stored.data), publishedAt: stored.time.getTime() })
    seq = stored.seq + 1
  }
  return events
}
