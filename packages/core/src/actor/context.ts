import type { ActorRef, UntypedActorRef } from '../ref/actor-ref.js'
import type { LocalSpawnOptions, RemoteSpawnOptions, SpawnOptions } from '../options/spawn-options.js'
import type { ActorClass, ActorTypeRef } from './actor-type.js'
import type { EntityClass, EntityTypeRef } from './entity.js'
import type { SubscriberMethod, Subscription, TopicPublisher } from '../pubsub/topic.js'
import type { OffloadOptions, TaskFunction, TaskInput, TaskOutput, TaskRef } from '../offload/task-ref.js'

/** The options argument of `spawn`: required exactly when the constructor takes required arguments. */
type OptionsArgument<C extends ActorClass, O> = [] extends ConstructorParameters<C> ? [options?: O] : [options: O]

/** What an actor can do besides handling its message: available as `this.ctx` and to `receive`. */
export interface ActorContext<Self = unknown> {
  /** A ref to this actor. Safe to send inside messages. */
  readonly self: ActorRef<Self>
  /**
   * The actor that sent the message being processed, when it was sent from inside an actor's
   * handler (synchronously: after an `await` in the sender's handler, pass a ref explicitly);
   * `undefined` for messages from outside actors (`system.spawn`'s caller, the main program).
   * Inside a `pipeToSelf` continuation or a `schedule` callback it is this actor itself. Its
   * type is not known here: send it messages with `tell(msg)`, or state its type to call its
   * methods (`this.ctx.sender as ActorRef<Client> | undefined`).
   */
  readonly sender: UntypedActorRef | undefined
  /** The parent that spawned this actor; `undefined` for top-level actors. */
  readonly parent: UntypedActorRef | undefined
  /** The actor's registered name, if it has one. */
  readonly name: string | undefined
  /** Index of the thread hosting this actor: 0 is the main thread, 1..N are workers. */
  readonly thread: number
  /**
   * Spawns a child, stopped before this actor. With `placement` `'local'` (the default) the child
   * lives on this actor's thread and is supervised there: its ref is returned at once, and
   * messages sent to it wait until its constructor and `onStart` have completed. If they fail,
   * what waited goes to dead letters (reason `'start-failed'`) and the failure is reported as an
   * `actor-failed` event.
   */
  spawn<C extends ActorClass>(type: C | ActorTypeRef<C>, ...options: OptionsArgument<C, LocalSpawnOptions<ConstructorParameters<C>>>): ActorRef<InstanceType<C>>
  /**
   * Spawns a child on another thread, per `placement`; it is stopped before this actor.
   * Resolves once the child's constructor and `onStart` have completed.
   */
  spawn<C extends ActorClass>(type: C | ActorTypeRef<C>, options: RemoteSpawnOptions<ConstructorParameters<C>>): Promise<ActorRef<InstanceType<C>>>
  /** Spawns a child where `placement` says, when its type does not say which: await the result. */
  spawn<C extends ActorClass>(type: C | ActorTypeRef<C>, ...options: OptionsArgument<C, SpawnOptions<ConstructorParameters<C>>>): ActorRef<InstanceType<C>> | Promise<ActorRef<InstanceType<C>>>
  /**
   * Stops an actor (this actor when called without an argument) after the messages already
   * in its mailbox. Does not wait: awaiting one's own stop from a handler would deadlock.
   */
  stop(ref?: ActorRef): void
  /**
   * A ref to the entity of type `type` with key `key` (see `Entity`), at once, with no round trip:
   * it is activated by its first message, on the thread its (type, key) hashes to.
   */
  entity<C extends EntityClass>(type: C | EntityTypeRef<C>, key: string): ActorRef<InstanceType<C>>
  /** The topic named `name`, to publish on (see `TopicPublisher`). */
  topic<T>(name: string): TopicPublisher<T>
  /**
   * Subscribes this actor to a topic: each message published on it arrives as a call of `method`
   * with the message, in mailbox order like any message. The subscription is this actor's: kept
   * across its restarts (a fresh instance gets the messages), removed when it stops (or, an
   * entity, is passivated). Subscribe in `onStart` so that an actor re-created elsewhere (its
   * worker died) subscribes again. Resolves at once; `unsubscribe()` ends it.
   */
  subscribe<T>(topic: string | TopicPublisher<T>, method: SubscriberMethod<Self, T>): Subscription
  /**
   * Finds a live actor by name: on this node, or with `{ node }` on the node of the cluster with
   * that name (asked over NATS; `ClusterError` if no live node has that name, or without a cluster).
   */
  lookup<A = unknown>(name: string, options?: { readonly node?: string }): Promise<ActorRef<A> | undefined>
  /**
   * Death watch: when `ref` stops for good, this actor's `onTerminated(ref)` runs (at once if it
   * is already gone). Works across threads. Resolves once the watch is registered; there is no
   * need to await it unless ordering against other threads matters.
   */
  watch(ref: ActorRef): Promise<void>
  /** Stops watching `ref`. Resolves once no termination of `ref` can be delivered any more. */
  unwatch(ref: ActorRef): Promise<void>
  /**
   * Answers the current message later. The handler returns at once (the actor takes its next
   * message) and its return value is ignored; the ask resolves when `resolve` or `reject` is
   * called, typically while handling a later message. This is how an actor waits for something
   * without blocking its mailbox (Akka: keep `sender()` and reply later). For a tell, the
   * handle does nothing.
   *
   * Return the handle from the handler (`return this.ctx.deferReply<number>()`) and the ask is
   * typed `Promise<number>`.
   */
  deferReply<T = unknown>(): DeferredReply<T>
  /**
   * Runs a stateless task in the system's offload pool (piscina) and resolves with its result.
   * Awaiting it in a handler keeps this actor on that message (its state stays consistent)
   * while other actors on the thread go on. To keep taking messages meanwhile, hand the promise
   * to `pipeToSelf` instead.
   */
  offload<F extends TaskFunction>(task: TaskRef<F>, input: TaskInput<F>, options?: Omit<OffloadOptions, 'transferList'>): Promise<TaskOutput<F>>
  /**
   * Akka's `pipeToSelf`: when `promise` settles, `onSuccess(value)` (or `onFailure(error)`) runs
   * as a message of this actor, in mailbox order, one at a time like any handler. Without
   * `onFailure`, a rejection is a failure of the actor. The continuation runs as a message this
   * actor sent itself: `ctx.sender` there is `ctx.self`, not the sender of the message that
   * started the work (keep that ref in a variable if the result must go back to it).
   */
  pipeToSelf<T>(promise: PromiseLike<T>, onSuccess: (value: T) => unknown, onFailure?: (error: unknown) => unknown): void
  /**
   * Akka's stash: sets the message being handled aside (its ask stays unanswered) until
   * `unstashAll()` puts every stashed message back at the front of the mailbox, in order. For an
   * actor that must defer messages until it is ready. A restart unstashes too.
   */
  stash(): void
  unstashAll(): void
  /**
   * Akka's single timer: after `delayMs`, `callback` runs as a message of this actor, in mailbox
   * order. Pending timers are cancelled when the actor stops or restarts, so a callback never
   * runs on a stopped or replaced instance. `cancel()` cancels this one.
   */
  schedule(delayMs: number, callback: () => unknown): Cancellable
  /**
   * A periodic timer (Akka's `startTimerAtFixedDelay`): every `intervalMs` (1 or more), `callback`
   * runs as a message of this actor. The next period starts when the callback has been queued, so
   * a slow actor never gets a burst of them. Not durable: it ends with the actor, and a restart
   * cancels it like `schedule`. `cancel()` stops it.
   */
  every(intervalMs: number, callback: () => unknown): Cancellable
}

/** A scheduled callback that has not run yet can be cancelled. */
export interface Cancellable {
  /** Cancels it if it has not run; returns whether it was still pending. */
  cancel(): boolean
}

/** The pending answer to an ask, from `ctx.deferReply()`. Only the first call counts. */
export interface DeferredReply<T> {
  resolve(value: T): void
  reject(error: unknown): void
  /** Phantom brand: lets `ReplyValue` recognise a deferred reply. Never set at run time. */
  readonly __deferred?: T
}
