import type { Actor, ActorContext, AskErrorPolicy, DeadLetterReason, ReentrancyMode } from '@troupe/core'
import type { Clock } from '../clock/clock.js'
import type { ActorRefImpl } from '@troupe/core/internal'
import type { ActorCell } from './actor-cell.js'
import type { Dispatcher } from './dispatcher.js'
import type { Envelope, Route } from './envelope.js'
import type { Instrument } from './instrument.js'
import type { ThreadCluster } from '../cluster/thread-cluster.js'

/**
 * Makes an actor's instances: the first, and fresh ones for restarts (same class and constructor
 * arguments). An object rather than a closure, so a local child's record serves as its own.
 */
export interface InstanceFactory {
  create(context: ActorContext): Actor
}

/** What a cell needs from its host thread. */
export interface CellHost {
  readonly dispatcher: Dispatcher
  /** Where timers and deadlines read the time. */
  readonly clock: Clock
  /** 0..1, seeded in deterministic mode. */
  readonly random: () => number
  /** Set while metrics or tracing are on (see instrument.ts). */
  readonly instrument: Instrument | undefined
  /** Sends the result of an ask back to the asker. */
  replyOk(envelope: Envelope, value: unknown): void
  replyError(envelope: Envelope, error: unknown): void
  /** A message the actor will never process: rejects its ask, or records a dead letter. */
  undeliverable(recipient: ActorRefImpl, envelope: Envelope, reason: DeadLetterReason, error?: Error): void
  /** This thread's node (0 without a cluster). */
  readonly node: number
  refTo(id: number, thread: number, name?: string): ActorRefImpl
  /** A ref to an actor of node `node` (this node's when undefined). */
  refAt(id: number, thread: number, name: string | undefined, node: number | undefined): ActorRefImpl
  /** This thread's part of the cluster (its watches of actors of other nodes, see RemoteWatches). */
  readonly cluster: ThreadCluster | undefined
  actorFailed(cell: ActorCell, error: unknown): void
  /** The cell is about to stop: its children stop first. Undefined when it has none. */
  beforeStop(cell: ActorCell): Promise<void> | undefined
  cellStopped(cell: ActorCell): void
  /** Tells a router that `routee` has processed (or failed on) a message it forwarded. */
  routeeDone(route: Route, routee: number): void
  /** A flow-controlled message left `target`'s mailbox: `thread` gets its credit back. */
  creditReturned(thread: number, target: number): void
  /** A fresh call-chain id, unique across threads (a `call-chain` actor's handler starts a chain). */
  newChain(): number
}

/** The spawn options a cell acts on (a `SpawnOrder` is one). */
export interface CellOptions {
  readonly handlerTimeoutMs: number | undefined
  readonly askErrors: AskErrorPolicy
  readonly reentrancy: ReentrancyMode
}

export const DEFAULT_CELL_OPTIONS: CellOptions = { handlerTimeoutMs: undefined, askErrors: 'reply', reentrancy: 'none' }
