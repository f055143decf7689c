/**
 * The control plane: spawn, stop, lookup, stats and channel set-up between the main thread's
 * system and the hosts on worker threads, carried by comlink over dedicated ports. It is never
 * on the message hot path. Plain types, and the two helpers that make and read a result.
 */
import type { PlacementMember } from '../cluster/entity-placement.js'
import type { ChannelEnd } from '../link/thread-channel.js'
import type { AskErrorPolicy, DeliveryGuarantee, Directive, ReentrancyMode, RestartType } from '@troupe/core'
import { fromWireError, toWireError, type ResolvedMailbox, type ResolvedSupervision, type WireError } from '@troupe/core/internal'
import type { ThreadSnapshot } from '../metrics/thread-snapshot.js'
import type { RemoteRefInfo } from '../cluster/remote-lookup.js'

/** Control results carry errors as data: comlink would flatten a thrown error's class and `code`. */
export type ControlResult<T> = { ok: true; value: T } | { ok: false; error: WireError }

/** Runs `work` and captures its outcome as a result (the error travels as data). */
export async function settle<T>(work: () => Promise<T> | T): Promise<ControlResult<T>> {
  try {
    return { ok: true, value: await work() }
  } catch (error) {
    return { ok: false, error: toWireError(error) }
  }
}

/** The value of a control result, or its error rebuilt and thrown. */
export function unwrapResult<T>(result: ControlResult<T>): T {
  if (result.ok) return result.value
  throw fromWireError(result.error)
}

/** Where an actor lives. */
export interface RefInfo {
  id: number
  thread: number
  name: string | undefined
  /** Its credit window when its mailbox is flow-controlled (`backpressure`), else 0. */
  window: number
}

/** Placement as it crosses threads (refs flattened to id and thread). */
export type WirePlacement =
  | 'round-robin'
  | 'least-loaded'
  | 'main'
  | { worker: number }
  | { colocateWith: { id: number; thread: number } }
  | { hash: string | number }

/** A request to spawn an actor, from a host to the system. */
export interface SpawnRequest {
  module: string
  export: string
  name: string | undefined
  placement: WirePlacement | undefined
  /** Constructor arguments, msgpack-encoded so refs inside survive. */
  args: Uint8Array | undefined
  restart: RestartType
  /** How the new actor supervises its own children. */
  supervision: ResolvedSupervision
  mailbox: ResolvedMailbox
  handlerTimeoutMs: number | undefined
  /** Unset: the system's default. */
  delivery: DeliveryGuarantee | undefined
  askErrors: AskErrorPolicy
  reentrancy: ReentrancyMode
  /**
   * Set when the spawning actor belongs to its thread's local tree (main has no record of it):
   * where it lives and how it supervises, so main can supervise the child for it.
   */
  foreignParent?: { ref: RefInfo; supervision: ResolvedSupervision }
}

/** The system's order to a host: create this actor here. */
export interface SpawnOrder {
  id: number
  name: string | undefined
  parent: RefInfo | undefined
  module: string
  export: string
  args: Uint8Array | undefined
  mailbox: ResolvedMailbox
  handlerTimeoutMs: number | undefined
  askErrors: AskErrorPolicy
  reentrancy: ReentrancyMode
  /** How the actor supervises the children it spawns on its own thread. */
  supervision: ResolvedSupervision
  /** Set when the actor is re-created after its worker died: passed to `onRestart`. */
  restartCause?: WireError
}

/** A task a host wants run in the system's offload pool (`ctx.offload`). */
export interface OffloadRequest {
  /** Unique per requesting thread, to cancel it. */
  id: number
  module: string
  export: string
  input: unknown
  timeoutMs: number | undefined
}

export interface HostStats {
  thread: number
  /** How many workers held this thread's slot before this one (0 for main and first workers): counters restart with each. */
  generation: number
  actors: number
  /**
   * Messages waiting in all mailboxes of the thread. In the periodic load reports (for
   * `least-loaded`), only those of the actors queued to run, so that a report costs the same
   * with a million idle actors as with none.
   */
  mailboxDepth: number
  /** Messages set aside by full `backpressure` mailboxes of the thread, waiting for room (0 in load reports). */
  parked: number
  /** Messages this thread sent to flow-controlled actors elsewhere that wait here for credit. */
  awaitingCredit: number
  /** Messages processed since the thread started. */
  processed: number
  pendingAsks: number
  /**
   * Entries this thread's per-actor tables hold (actors alive or waiting to be restored, router
   * routes). It follows the actors alive now, never the number that ever lived.
   */
  retainedIds: number
  /**
   * Event-loop time since the thread started, in ms. Cumulative, so every consumer measures
   * utilisation over its own window without resetting anyone else's.
   */
  eventLoop: { active: number; idle: number }
  /** When the sample was taken: ms since the Unix epoch. */
  sampledAt: number
}

/** What a thread's local tree reports for the system's events (errors as data). */
export type LocalEvent =
  | { type: 'actor-failed'; actor: number; error: WireError; directive: Directive }
  | { type: 'actor-restarted'; actor: number; thread: number; restarts: number }
  | { type: 'actor-stopped'; actor: number }

/**
 * A supervisor's directive as a host carries it out. `pause`: the actor takes no message until
 * its restart (OTP terminates every child a one-for-all restart affects before restarting any).
 */
export type HostDirective = 'resume' | 'restart' | 'pause'

/** What a worker's host offers the system. */
export interface HostControlApi {
  spawn(order: SpawnOrder): Promise<ControlResult<void>>
  attachPeer(thread: number, port: ChannelEnd): void
  stats(): HostStats
  /** This thread's metrics (see metrics/thread-snapshot.ts), read on a scrape. */
  metrics(): ThreadSnapshot
  /**
   * Flushes outgoing batches and closes every channel; resolves once the thread's entity store is
   * closed too, after which the worker can be terminated (terminating a thread inside the store's
   * native close aborts the process).
   */
  close(): void | Promise<void>
  /** Another worker died: fail the asks waiting on it and drop the channel. */
  /** `atLeastOnce`: the dead worker's actors whose unprocessed messages are delivered again. */
  peerDied(thread: number, reason: string, atLeastOnce: number[]): void
  /** A supervisor's directive for a failed actor hosted here. Resolves when it is carried out. */
  supervise(id: number, directive: HostDirective, cause: WireError): Promise<ControlResult<void>>
  /** Main watches an actor of this thread's local tree: its end is reported. False if it is gone. */
  reportEnd(id: number): boolean
  /** A failure escalated by main to an actor of this thread's local tree: its supervisor here decides. */
  escalated(id: number, error: WireError): void
  /** Resolves once this thread can receive from other nodes (a node of a cluster; at once otherwise). */
  clusterReady(): Promise<void>
  /** Node `node` of the cluster is down: this thread's links to it close and the asks waiting on it fail. */
  nodeDown(node: number, name: string, reason: string): void
  /** The live nodes that shard entities changed (or are known for the first time): where entities live. */
  placement(members: PlacementMember[]): void
  /** The test kit's fault injection: the thread exits at once with `code`, as if it crashed. */
  crash(code: number): void
  /** The test kit's fault injection: the thread blocks forever (until the watchdog terminates it). */
  hang(): void
  /** Manual time: how many messages this thread has processed, and whether a turn is running or queued. */
  progress(): { processed: number; busy: boolean }
  /** Manual time (the `clock` option): when this thread's earliest timer is due (`Infinity`: none). */
  clockNext(): number
  /** Manual time: runs this thread's timers due by the clock's time now; returns how many ran. */
  clockFire(): number
}

/**
 * What the system offers each worker's host over the control plane. (Spawn and stop requests
 * travel the data plane instead, as asks of the main thread's system service: see `SPAWN_REQUEST`.)
 */
export interface SystemControlApi {
  lookup(name: string): RefInfo | undefined
  /** `ctx.lookup(name, { node })` from a worker: asked of that node by main (see remote-lookup.ts). */
  lookupOnNode(name: string, node: string): Promise<ControlResult<RemoteRefInfo | undefined>>
  connect(from: number, to: number): void
  actorFailed(id: number, error: WireError): void
  reportLoad(stats: HostStats): void
  /** Adds or removes a death watch; resolves once registered. */
  watch(watcher: number, watcherThread: number, watched: number, watchedThread: number, on: boolean): Promise<void>
  /** Registers the name of an actor of the calling thread's local tree. */
  registerName(info: RefInfo): Promise<ControlResult<void>>
  /** An actor of the calling thread's local tree that main knows of (watched, named) ended. */
  localEnded(id: number, name: string | undefined): void
  localEvent(event: LocalEvent): void
  offload(request: OffloadRequest): Promise<ControlResult<unknown>>
  cancelOffload(id: number): void
}
