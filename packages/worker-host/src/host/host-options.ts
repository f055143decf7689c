import type { DeadLetterReason } from '@troupe/core'
import type { Selector, WireError } from '@troupe/core/internal'
import type { ResolvedSupervision } from '@troupe/core/internal'
import type { LocalEvent, OffloadRequest, RefInfo, SpawnRequest } from '../protocol/control.js'
import type { SpawnedBody } from '../protocol/spawn-wire.js'
import type { SliceOptions } from './dispatcher.js'
import type { ActorIds } from './actor-ids.js'
import type { Clock } from '../clock/clock.js'
import type { ModuleRegistry } from './module-registry.js'
import type { EntityConfig } from '../entity/thread-entities.js'
import type { ClusterTransport } from '../cluster/thread-nats.js'
import type { RemoteRefInfo } from '../cluster/remote-lookup.js'

/** How a host reaches the system (in-process on the main thread, comlink from a worker). */
export interface SystemPort {
  spawn(parent: number, request: SpawnRequest): Promise<RefInfo>
  /** Adds (or removes) a death watch of `watched` by `watcher`; resolves once registered. */
  watch(watcher: number, watcherThread: number, watched: number, watchedThread: number, on: boolean): Promise<void>
  /** Registers the name of an actor of this thread's local tree; rejects if it is taken. */
  registerName(info: RefInfo): Promise<void>
  /** An actor of this thread's local tree that main knows of (watched, named) ended. */
  localEnded(id: number, thread: number, name: string | undefined): void
  /** Stops the children main records for `parent`, an actor of this thread's local tree. */
  stopChildren(parent: number): Promise<void>
  /** A child this thread spawned on another worker has started there: main records and supervises it. */
  spawned(record: SpawnedBody): void
  /** A failure, restart or supervised stop in this thread's local tree. */
  localEvent(event: LocalEvent, thread: number): void
  /** Runs a task in the system's offload pool. `id` (unique per thread) lets it be cancelled. */
  offload(request: OffloadRequest): Promise<unknown>
  cancelOffload(id: number): void
  /**
   * `exit`: the actor stops itself (a normal exit, after which a permanent actor is restarted).
   * `thread`: where it lives, for an actor main has no record of (of a local tree).
   */
  stop(id: number, exit?: boolean, thread?: number): Promise<void>
  lookup(name: string): Promise<RefInfo | undefined>
  /** The actor named `name` on the node of the cluster named `node`, and that node's id. */
  lookupOnNode(name: string, node: string): Promise<RemoteRefInfo | undefined>
  connect(from: number, to: number): void
  actorFailed(id: number, error: WireError): void
}

/** A message no actor will process, as reported to the system's dead-letter office. */
export interface DeadLetterRecord {
  recipient: number
  sender: { id: number; thread: number } | undefined
  reason: DeadLetterReason
  selector: Selector
  body: unknown
}

export interface HostOptions {
  thread: number
  /** The node this thread belongs to (see `ActorAddress`): 0, the only node, for a system without a cluster. */
  node?: number
  /** How this thread reaches other nodes, when the system is a node of a cluster. */
  cluster?: ClusterTransport
  workerCount: number
  allowList: readonly string[]
  askTimeoutMs: number
  /** How long finding a class among the allow-listed modules may take in `spawn` (they are imported). */
  spawnTimeoutMs: number
  maxMessageBytes: number
  throughput: number
  system: SystemPort
  /** Main thread only: where dead letters end up. Workers forward theirs to the main thread. */
  deadLetters?: (record: DeadLetterRecord) => void
  /** The system's default supervision (of a root whose own is not known here). */
  supervision: ResolvedSupervision
  /** Actors this host will re-create (its worker replaced a dead one): their messages wait for them. */
  restoring?: readonly number[]
  /** The id allocator to use (main's host shares the directory's); by default its own. */
  ids?: ActorIds
  /** How many hosts ran this thread before (a replaced worker's successor is 1, and so on). */
  generation?: number
  /** The system's monitor board and time slice: turns yield after `sliceMs` and show progress there. */
  slice?: Omit<SliceOptions, 'thread'>
  /** Set when the system counts metrics per message (the `metrics` option). */
  metrics?: { sampleEvery: number } | undefined
  /** How long an idle thread polls its hot links before parking, in µs (see `SpinWait`). Default 0: never. */
  busyWaitUs?: number
  /** Where timers and deadlines read the time. Default: real time. */
  clock?: Clock
  /** The module registry to spawn through (simulated threads share one); default: its own. */
  registry?: ModuleRegistry
  /** 0..1, for backoff jitter and random routing: seeded in deterministic mode. Default `Math.random`. */
  random?: () => number
  /** Deterministic mode: which of `n` ready actors runs next (0..n-1), from the seed. Default: the oldest. */
  chooseNext?: (n: number) => number
  /** Set when the system has `persistence`: this thread hosts entities and their reminders. */
  entities?: EntityConfig
}
