// What nodes of a cluster say to each other about membership, on the subject `membersSubject`.
// One msgpack array per message; the first element says what it is. Kept with the other wire
// formats so that every byte troupe puts on a wire is defined in this folder.
import { pack, unpack } from 'msgpackr'
import type { SpawnRequest } from './control.js'
import { encodeKeyText } from '../persistence/store/nats-keys.js'

// Membership signals (plain constants, as in frame-kinds.ts).
/** A node joining: every live node answers with ALIVE at once, so it learns the members without waiting a heartbeat. */
export const HELLO = 1
/** A heartbeat. */
export const ALIVE = 2
/** A node leaving on purpose (shutdown): the others remove it now instead of after `downAfterMs`. */
export const LEAVE = 3
/** Sent to a node the sender has declared down and still hears from: it must consider itself down. */
export const DOWNED = 4
export type MemberSignal = typeof HELLO | typeof ALIVE | typeof LEAVE | typeof DOWNED

/**
 * [signal, node name, node id, started at (ms since the epoch), extra]. `extra` is the target id
 * of DOWNED; in HELLO and ALIVE, the worker count of a node that shards entities (0: its main
 * thread holds them), or −1 (or absent, from an older node) for a node that does not.
 */
export type MemberMessage = readonly [signal: MemberSignal, node: string, id: number, startedAt: number, extra?: number]

/** `extra` of a node that holds no sharded entities. */
export const NO_SHARDS = -1

/** The subject every node of cluster `cluster` publishes membership on. */
export function membersSubject(cluster: string): string {
  return `troupe.${cluster}.members`
}

export function encodeMember(message: MemberMessage): Uint8Array {
  return pack(message)
}

/** The message, or undefined for bytes that are not one (another program on the subject): those are ignored. */
export function decodeMember(bytes: Uint8Array): MemberMessage | undefined {
  let value: unknown
  try {
    value = unpack(bytes)
  } catch {
    return undefined
  }
  if (!Array.isArray(value) || value.length < 4) return undefined
  const [signal, node, id, startedAt, target] = value as unknown[]
  if (signal !== HELLO && signal !== ALIVE && signal !== LEAVE && signal !== DOWNED) return undefined
  if (typeof node !== 'string' || typeof id !== 'number' || typeof startedAt !== 'number') return undefined
  if (signal === DOWNED) return typeof target === 'number' ? [signal, node, id, startedAt, target] : undefined
  return [signal, node, id, startedAt, Number.isInteger(target) && (target as number) >= 0 ? (target as number) : NO_SHARDS]
}

// ---- Control requests between nodes (NATS request-reply on `controlSubject`) -----------------

/** The subject node `node` (its id) answers control requests on. */
export function controlSubject(cluster: string, node: number): string {
  return `troupe.${cluster}.ctl.${node}`
}

/**
 * `['lookup', name]`: the live actor registered under `name` on that node.
 * `['spawn', request]`: a top-level actor spawned there (its module on that node's allow-list).
 * `['stop', id, thread]`: `system.stop` of an actor there (answered once it has stopped).
 */
export type ControlRequest = readonly ['lookup', string] | readonly ['spawn', SpawnRequest] | readonly ['stop', number, number]

/** The address of an actor on the answering node: [id, thread, name]. */
export type RemoteRefInfo = readonly [id: number, thread: number, name: string | null]

/** [true, value] or [false, error as a wire error (see core's error-wire)]. */
export type ControlReply = readonly [true, RemoteRefInfo | null] | readonly [false, unknown]

export function encodeControl(value: ControlRequest | ControlReply): Uint8Array {
  return pack(value)
}

export function decodeControlRequest(bytes: Uint8Array): ControlRequest | undefined {
  const value: unknown = unpack(bytes)
  if (!Array.isArray(value)) return undefined
  if (value[0] === 'lookup' && typeof value[1] === 'string') return ['lookup', value[1]]
  if (value[0] === 'stop' && typeof value[1] === 'number' && typeof value[2] === 'number') return ['stop', value[1], value[2]]
  const request = value[1] as Partial<SpawnRequest> | undefined
  if (value[0] === 'spawn' && typeof request === 'object' && request !== null && typeof request.module === 'string' && typeof request.export === 'string') return ['spawn', request as SpawnRequest]
  return undefined
}

export function decodeControlReply(bytes: Uint8Array): ControlReply {
  const value: unknown = unpack(bytes)
  if (!Array.isArray(value) || typeof value[0] !== 'boolean') throw new Error('protocol error: a control reply that is not [ok, value]')
  return value as unknown as ControlReply
}

// ---- Leases of sharded entities (a NATS KV bucket per cluster, see cluster/entity-leases.ts) ---

/**
 * The KV bucket holding the leases of the entities kept in the NATS store with bucket prefix
 * `storeBucket` (one key per entity: its store id, encoded). Leases go with the store, not with
 * the cluster's name: whoever shares an entity's state shares its lease.
 */
export function leasesBucket(storeBucket: string): string {
  return `${storeBucket}-leases`
}

/** A lease's value: [holder's node id, holder's node name]. */
export type Lease = readonly [node: number, name: string]

export function encodeLease(lease: Lease): Uint8Array {
  return pack(lease)
}

/** The lease, or undefined for a value that is not one (a lease written by something else is not honoured). */
export function decodeLease(bytes: Uint8Array): Lease | undefined {
  let value: unknown
  try {
    value = unpack(bytes)
  } catch {
    return undefined
  }
  return Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string' ? [value[0], value[1]] : undefined
}

// ---- Pub/sub topics across nodes (see cluster/cluster-topics.ts) -----------------------------

/**
 * The subject a topic's messages travel on between the nodes of cluster `cluster`; the topic's
 * name is encoded as the NATS store's keys are (base64url, in tokens), so any name makes a
 * valid subject. Each message is msgpack
 * `[publishing node id, message]` with troupe's codec (refs keep their node).
 */
export function topicSubject(cluster: string, topic: string): string {
  return `troupe.${cluster}.t.${encodeKeyText(topic)}`
}
