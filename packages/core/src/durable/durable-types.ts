import type { ActorClass, ActorTypeRef } from '../actor/actor-type.js'
import type { EntityClass, EntityTypeRef } from '../actor/entity.js'
import type { MessageMethodName } from '../actor/message-types.js'
import type { TaskFunction, TaskInput, TaskRef } from '../offload/task-ref.js'

/**
 * Durable handlers (walnats' actors, on NATS JetStream): events published on a stream are
 * handled at least once by one handler instance at a time, retried with delays, and dead-lettered
 * after `maxAttempts`. See docs/durable-handlers.md.
 */

/** Which waiting jobs of a node get a free job slot first (see `HandlerOptions.nodeMaxJobs`). */
export type JobPriority = 'high' | 'normal' | 'low'

/** Where a task handler's jobs run: the system's offload pool (piscina threads), or a pool of child processes. */
export type TaskExecution = 'offload' | 'process'

/** What a job knows about itself: passed to actor and entity methods as their second argument, and to middlewares. */
export interface JobInfo {
  /** The handler's name (its durable consumer). */
  readonly handler: string
  /** The troupe stream's name. */
  readonly stream: string
  /** The NATS subject the event was published on. */
  readonly subject: string
  /** The event's sequence number in its JetStream stream: unique per stream, a good idempotency key. */
  readonly seq: number
  /** This attempt's number, from 1. A redelivery after a node died counts as an attempt. */
  readonly attempt: number
  readonly maxAttempts: number
  /** When the event was stored, in ms since the epoch. */
  readonly publishedAt: number
}

/** What middlewares see: the job and its event. */
export interface JobContext<T> extends JobInfo {
  readonly event: T
}

/** How one attempt ended, as middlewares' `after` sees it. */
export type JobOutcome =
  | { readonly status: 'done'; readonly durationMs: number }
  /** It failed and will be delivered again after `delayMs`. */
  | { readonly status: 'retry'; readonly error: Error; readonly delayMs: number; readonly durationMs: number }
  /** It failed for the last time (`maxAttempts`, or an event that cannot be decoded): it went to the dead letters. */
  | { readonly status: 'dead'; readonly error: Error; readonly durationMs: number }

/**
 * Hooks around every attempt, on the main thread of the node running it: for logs and metrics.
 * A hook that throws (or rejects) is reported as a process warning and does not change the job's outcome.
 */
export interface DurableMiddleware<T = unknown> {
  /** Runs as an attempt starts (it holds a node slot). A returned promise is awaited. */
  before?(job: JobContext<T>): unknown
  /** Runs once the attempt is settled (acked, nak'ed or dead-lettered). A returned promise is awaited. */
  after?(job: JobContext<T>, outcome: JobOutcome): unknown
}

/** Options of every durable handler (the defaults are in docs/durable-handlers.md). */
export interface HandlerOptions<T> {
  /** The handler's name: its durable consumer, shared by every node that registers it. 1–64 of `A–Z a–z 0–9 _ -`. Default: from the class (or task) and method. */
  readonly name?: string
  /** Attempts before the event goes to the dead letters. Default 5. */
  readonly maxAttempts?: number
  /** How long JetStream waits for an ack before it delivers the event again (to any node), in ms. Default 30 000. */
  readonly ackWaitMs?: number
  /** Tell JetStream every `ackWaitMs / 3` that a job is still in hand, so a long job is not redelivered. Default true. */
  readonly pulse?: boolean
  /** The delay before each retry, in ms: the n-th value after the n-th failure, the last repeating. Default `[1000]`. */
  readonly retryDelayMs?: number | readonly number[]
  /** Events delivered and not yet acknowledged, across all nodes (the consumer's `max_ack_pending`). Default 1000. */
  readonly maxAckPending?: number
  /** Jobs of this handler in hand at once on this node (running or waiting for a node slot). Default 16. */
  readonly maxJobs?: number
  /** An attempt still running after this is failed with `JobTimeoutError`, in ms. Default 60 000. */
  readonly jobTimeoutMs?: number
  /** Which waiting job gets a node slot first; a job waiting long is promoted (aging). Default `'normal'`. */
  readonly priority?: JobPriority
  /**
   * The node's budget: jobs of all durable handlers running at once on this node. The smallest
   * value any running handler gives applies; without one, each handler is limited by its
   * `maxJobs` only (and `priority` has nothing to order).
   */
  readonly nodeMaxJobs?: number
  readonly middlewares?: readonly DurableMiddleware<T>[]
}

/** Options of a handler whose jobs are asks to a pool of actors the handler spawns. */
export interface ActorHandlerOptions<T> extends HandlerOptions<T> {
  readonly executeIn?: 'actor'
  readonly key?: never
}

/** Options of a handler whose jobs are asks to the entity keyed by `key(event)`. */
export interface EntityHandlerOptions<T> extends HandlerOptions<T> {
  readonly executeIn?: 'actor'
  /** The entity's key for an event (runs on the main thread). */
  readonly key: (event: T) => string
}

/** Options of a handler whose jobs run a task (a module function of the event). */
export interface TaskHandlerOptions<T> extends HandlerOptions<T> {
  readonly executeIn: TaskExecution
}

/**
 * The methods of actor `A` that can handle events of type `T`: `method(event: T, job?: JobInfo)`.
 * A method that takes another event type is not one of them (a compile error at `handle`).
 */
export type JobMethodName<A, T> = {
  [K in MessageMethodName<A>]: A[K] extends (event: T, job: JobInfo) => unknown ? K : never
}[MessageMethodName<A>]

/** `unknown` when task `F`'s input accepts a `T`, `never` otherwise (so `handle` refuses the task at compile time). */
export type TaskFits<T, F extends TaskFunction> = [T] extends [TaskInput<F>] ? unknown : never

/** An actor handler's options; for an entity class, the entity's (its `key` is required). */
export type ActorOptionsFor<C extends ActorClass, T> = C extends EntityClass ? [options: EntityHandlerOptions<T>] : [options?: ActorHandlerOptions<T>]

/** `publish` options. */
export interface PublishOptions {
  /** JetStream's de-duplication id (`Nats-Msg-Id`): a second publish with it within the stream's window is dropped. */
  readonly msgId?: string
  /** How long to wait for JetStream's acknowledgement, in ms. Default 5000. */
  readonly timeoutMs?: number
}

/** What JetStream answered to a publish. */
export interface PublishReceipt {
  readonly seq: number
  /** True when a publish with the same `msgId` was already stored (nothing new was stored). */
  readonly duplicate: boolean
}

/** An event as stored in a stream (`read`). */
export interface StoredEvent<T> {
  readonly seq: number
  readonly event: T
  readonly publishedAt: number
}

/** The error of a dead letter, as data. */
export interface DeadLetterError {
  readonly name: string
  readonly message: string
  readonly code?: string
}

/** An event that failed `maxAttempts` times (or could not be decoded), with why. */
export interface DeadLetterEvent<T> {
  /** The event; undefined only when its bytes could not be decoded (error code `ERR_EVENT_DECODE`, bytes in `raw`). */
  readonly event: T | undefined
  readonly raw?: Uint8Array
  readonly handler: string
  readonly attempts: number
  /** Its sequence number in the stream it was published on. */
  readonly seq: number
  readonly error: DeadLetterError
  /** When it was dead-lettered, in ms since the epoch. */
  readonly deadAt: number
  /** The node that dead-lettered it. */
  readonly node: string
}

/** Counters of one handler on this node. */
export interface HandlerStats {
  /** Jobs running now. */
  readonly running: number
  /** Jobs fetched and waiting for a node slot. */
  readonly waiting: number
  /** The most jobs that ran at once. */
  readonly peakRunning: number
  readonly done: number
  readonly retried: number
  readonly dead: number
}

/** A running durable handler on this node. */
export interface DurableHandler {
  readonly name: string
  readonly stream: string
  stats(): HandlerStats
  /**
   * Stops fetching, hands back jobs that wait for a slot, and waits for running jobs (each ends
   * within `jobTimeoutMs`). An attempt that could not be acknowledged is delivered again after `ackWaitMs`.
   */
  stop(): Promise<void>
}

/** `read` options. */
export interface ReadOptions {
  /** The first sequence number to read from. Default 1. */
  readonly fromSeq?: number
  /** The most events to return. Default 100. */
  readonly limit?: number
}

/**
 * A durable event stream on JetStream (`system.stream<T>(name)`), shared by every node of the
 * cluster. Publish events; register handlers, each a durable consumer that every node with the
 * same handler shares: one node at a time handles each event.
 */
export interface DurableStream<T> {
  readonly name: string
  /** Resolves once JetStream has stored the event. */
  publish(event: T, options?: PublishOptions): Promise<PublishReceipt>
  /** Each event is an ask of `method(event, job)` to the entity `system.entity(type, key(event))`. */
  handle<C extends EntityClass, M extends JobMethodName<InstanceType<C>, T>>(type: C | EntityTypeRef<C>, method: M, options: EntityHandlerOptions<T>): Promise<DurableHandler>
  /** Each event is an ask of `method(event, job)` to one of `maxJobs` actors of `type` that the handler spawns. */
  handle<C extends ActorClass, M extends JobMethodName<InstanceType<C>, T>>(type: C | ActorTypeRef<C>, method: M, ...options: ActorOptionsFor<C, T>): Promise<DurableHandler>
  /** Each event is the input of `task`, in the offload pool or a child process. */
  handle<F extends TaskFunction>(task: TaskRef<F> & TaskFits<T, F>, options: TaskHandlerOptions<T>): Promise<DurableHandler>
  /** Reads stored events, without consuming them. */
  read(options?: ReadOptions): Promise<StoredEvent<T>[]>
  /** The events this stream's handlers gave up on: read them, or handle them like any stream. */
  readonly deadLetters: DurableStream<DeadLetterEvent<T>>
}
