import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, StorageType, type ConsumerConfig, type JetStreamManager } from '@nats-io/jetstream'
import { nanos } from '@nats-io/transport-node'
import { ClusterError } from '@troupe/core'
import type { ResolvedHandlerOptions } from './handler-options.js'
import { jetStreamName, streamSubjects } from '../protocol/durable-wire.js'

function isCode(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code
}

/**
 * Creates the JetStream stream of troupe stream `name` in cluster `cluster` if it is missing
 * (file storage, JetStream's default limits), and resolves with its name. Every request is
 * bounded by the manager's timeout. Rejects with `ClusterError` when a stream of that name exists
 * with other subjects (another cluster whose name and stream name concatenate the same way).
 */
export async function ensureStream(jsm: JetStreamManager, cluster: string, name: string): Promise<string> {
  const stream = jetStreamName(cluster, name)
  const subject = streamSubjects(cluster, name)
  for (let tries = 0; ; tries++) {
    try {
      const info = await jsm.streams.info(stream)
      if (!info.config.subjects?.includes(subject)) throw new ClusterError(`JetStream stream ${stream} exists with subjects ${JSON.stringify(info.config.subjects)}, not ${subject}: it belongs to something else`)
      return stream
    } catch (error) {
      if (!isCode(error, JetStreamApiCodes.StreamNotFound)) throw wrap(error, `cannot look up JetStream stream ${stream}`)
    }
    try {
      await jsm.streams.add({ name: stream, subjects: [subject], storage: StorageType.File })
      return stream
    } catch (error) {
      // Another node created it meanwhile, with the same config (add is idempotent) or not: look again, once.
      if (tries > 0) throw wrap(error, `cannot create JetStream stream ${stream}`)
    }
  }
}

/** What a handler asks of its durable consumer. */
export interface ConsumerSpec {
  readonly stream: string
  readonly name: string
  readonly subject: string
  readonly options: Pick<ResolvedHandlerOptions, 'ackWaitMs' | 'maxAckPending'>
}

/**
 * Creates the handler's durable pull consumer if missing, or brings the settings this node gives
 * (`ackWaitMs`, `maxAckPending`) to it: the last node to register a handler sets them for all.
 * Attempts are counted by troupe (`max_deliver` unlimited), so no event is dropped by the server:
 * past `maxAttempts` it goes to the dead letters.
 */
export async function ensureConsumer(jsm: JetStreamManager, spec: ConsumerSpec): Promise<void> {
  const settings = { ack_wait: nanos(spec.options.ackWaitMs), max_ack_pending: spec.options.maxAckPending }
  const config: Partial<ConsumerConfig> = {
    durable_name: spec.name,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: spec.subject,
    max_deliver: -1,
    ...settings,
  }
  try {
    const info = await jsm.consumers.add(spec.stream, config)
    if (info.config.ack_wait !== settings.ack_wait || info.config.max_ack_pending !== settings.max_ack_pending) await jsm.consumers.update(spec.stream, spec.name, settings)
  } catch (error) {
    if (error instanceof ClusterError) throw error
    try {
      await jsm.consumers.update(spec.stream, spec.name, settings)
    } catch {
      throw wrap(error, `cannot create the durable consumer ${spec.name} on JetStream stream ${spec.stream}`)
    }
  }
}

export function wrap(error: unknown, what: string): ClusterError {
  if (error instanceof ClusterError) return error
  return new ClusterError(`${what}: ${(error as Error)?.message ?? String(error)}`, { cause: error })
}
