import type { Ask, Send, Tell } from '../actor/message-types.js'
import type { MessagePriority } from '../mailbox/mailbox.js'
import { checkMessageOptions } from './message-options.js'

/** Options for the messages sent through `ref.with(options)`. */
export interface MessageOptions {
  /** Reject an ask (or send) with `AskTimeoutError` after this many ms. Default: the system's `askTimeoutMs`. */
  timeoutMs?: number
  /** Priority in a priority mailbox (`mailbox: { priority: true }`); ignored by other mailboxes. */
  priority?: MessagePriority
}


/**
 * A location-transparent handle to an actor. It behaves the same whether the actor lives on
 * this thread or another, and may be sent inside messages.
 *
 * - `ref.tell.method(...args)` / `ref.tell(msg)`: fire-and-forget.
 * - `await ref.ask.method(...args)` / `await ref.ask(msg)`: request-reply. `ask` is the typed
 *   proxy (Pykka/comlink style): every method returns a promise of its result.
 */
/**
 * Where an actor lives: its node (a process of a cluster; 0 for a system without one), the
 * thread hosting it there (0 the main thread, 1… the workers), and its id, which that thread
 * allocated and which is never reused. A ref routes by its address, with no central lookup.
 */
export interface ActorAddress {
  readonly node: number
  readonly thread: number
  readonly id: number
}

export interface ActorRef<A = unknown> {
  /** Stable id, unique within its node for the system's lifetime. Never reused. */
  readonly id: number
  /** Where the actor lives (see `ActorAddress`). */
  readonly address: ActorAddress
  /** The registered name, if the actor has one. */
  readonly name: string | undefined
  readonly tell: Tell<A>
  readonly ask: Ask<A>
  /**
   * Like `tell`, but resolves once the actor's mailbox has accepted the message. With a
   * `backpressure` mailbox it waits for room; with `reject` or `drop-*` a refused message
   * rejects with `MailboxFullError`.
   */
  readonly send: Send<A>
  /** A view of this ref whose messages use these options (ask timeout, priority). */
  with(options: MessageOptions): ActorRef<A>
  toString(): string
}

/**
 * A ref whose actor type is not known where it is used: `ctx.sender` and `ctx.parent`. It takes
 * message-style calls (`tell(msg)`, `await ask(msg)`: `unknown`, `send(msg)`); for method calls,
 * state what the actor is: `const client = this.ctx.sender as ActorRef<Client> | undefined`.
 * Any typed ref can be used where an `ActorRef` (of `unknown`) is expected, and this one too.
 */
export interface UntypedActorRef extends ActorRef<unknown> {
  readonly tell: (message: unknown) => void
  readonly ask: (message: unknown) => Promise<unknown>
  readonly send: (message: unknown) => Promise<void>
  with(options: MessageOptions): UntypedActorRef
}

/** Message selector for `receive`-style messages (a method call carries the method name). */
export const RECEIVE = 0
/** Message selector of the system stop message; its reply confirms the actor has stopped. */
export const STOP = -1
/** Message selector of the death-watch signal: body `[id, thread, name]` of the actor that stopped. */
export const TERMINATED = -2
/** Selector of a continuation an actor piped to itself (`ctx.pipeToSelf`); never leaves its thread. */
export const PIPE = -3
/** Selector of a router's management messages (routees, resize, add, remove): body `[op, argument]`. */
export const ROUTER_CONTROL = -4
/**
 * Selector of a no-op system message, answered when processed: an ask with it resolves once
 * everything sent before it over the same channel has been processed (a router draining a
 * routee before stopping it).
 */
export const SYNC = -5
/**
 * Selectors of a thread's own system service (an id reserved per thread, which no actor has): `SPAWN`, an
 * order to create an actor there (body: the order), and `SPAWN_REQUEST`, a request to the main
 * thread's system to spawn one (body: `[parent, request]`). They travel the data plane, so a
 * spawn order arrives before any message sent to the new actor after it, and costs what an ask does.
 */
export const SPAWN = -6
export const SPAWN_REQUEST = -7
/** A request to the main thread's system to stop an actor it records (body: `[id, exit, thread]`). */
export const STOP_REQUEST = -8
/**
 * A worker's order to another worker's system service to create a child there, straight over
 * their link (body: `[parent, request]`; answered with the child's address once it has started).
 */
export const SPAWN_AT = -9
/** A worker tells main of a child it created on another worker, so main supervises it (body: the record). */
export const SPAWNED = -10
/** A request to main to stop the children it records for an actor of a thread's local tree (body: the parent's id). */
export const STOP_CHILDREN_REQUEST = -11
/**
 * A message for an entity (`system.entity`), addressed to the system service of the thread its
 * (type, key) hashes to: body `[entityName, key, selector, body]`. The service activates the
 * entity if needed and hands it the inner message, with the sender and reply of the outer one.
 */
export const ENTITY = -12
/** A publish on a topic, to a thread's system service: body `[topic, message]` (see pub/sub). */
export const PUBLISH = -13
/** A thread tells main it has (body `[topic, true]`) or no longer has (`[topic, false]`) subscribers of a topic. */
export const SUBSCRIBE = -14
/**
 * A death watch from another node, to main's system service of the watched actor's node: body
 * `[watcher, watched, watchedThread, on]`; the watcher is on the sender's thread (see docs/cluster.md).
 */
export const WATCH = -15
export type Selector =
  | typeof WATCH
  | typeof SUBSCRIBE
  | string
  | typeof ENTITY
  | typeof PUBLISH
  | typeof RECEIVE
  | typeof STOP
  | typeof TERMINATED
  | typeof PIPE
  | typeof ROUTER_CONTROL
  | typeof SYNC
  | typeof SPAWN
  | typeof SPAWN_REQUEST
  | typeof STOP_REQUEST
  | typeof SPAWN_AT
  | typeof SPAWNED
  | typeof STOP_CHILDREN_REQUEST

/**
 * What a ref sends through: the actor host of the thread the ref is used on. Refs hold it
 * directly (not a thread-global), so several systems can run in one process.
 */
export interface RefRuntime {
  /** Where messages to entity `name`/`key` go: the system service of the thread it hashes to. */
  entityTarget?(name: string, key: string): ActorRefImpl
  /**
   * Changes when entities may live elsewhere (a cluster's sharded entities, when its members
   * change): an entity ref finds its target again. Undefined or constant: never.
   */
  readonly placementEpoch?: number
  tell(ref: ActorRefImpl, selector: Selector, body: unknown): void
  ask(ref: ActorRefImpl, selector: Selector, body: unknown, options: MessageOptions | undefined): Promise<unknown>
  send(ref: ActorRefImpl, selector: Selector, body: unknown): Promise<void>
}

/** The runtime of a ref that was decoded outside any host (it cannot send). */
export const DETACHED_RUNTIME: RefRuntime = {
  tell() {
    throw new Error('this ref is not attached to a running actor system')
  },
  ask() {
    return Promise.reject(new Error('this ref is not attached to a running actor system'))
  },
  send() {
    return Promise.reject(new Error('this ref is not attached to a running actor system'))
  },
}

/**
 * Property names that must not look like messages, or refs would pass for promises and the like:
 * `ref.ask.then` stays undefined, so awaiting `ref.ask` itself neither hangs nor sends anything
 * (and `then` is reserved: no actor method of that name is a message). `constructor` is
 * reserved the same way, and `toJSON` keeps `JSON.stringify` from sending a message.
 */
function isMessageKey(key: string | symbol): key is string {
  return typeof key === 'string' && key !== 'then' && key !== 'toJSON' && key !== 'constructor'
}

export type Dispatch = (selector: Selector, body: unknown) => unknown
const SEND: unique symbol = Symbol('troupe.send')
type MessageFunction = ((message: unknown) => unknown) & { [SEND]: Dispatch }

/**
 * The prototype of every `ref.tell` / `ref.ask` function. Its `get` trap runs only the first
 * time a ref sees a method name: it installs a sender for that name as an own property, so
 * later `ref.tell.inc(...)` calls are ordinary property loads instead of Proxy traps, which
 * cost more than the rest of a same-thread send.
 */
const methodInstaller = new Proxy(Object.create(Function.prototype) as object, {
  get(target, key, receiver: MessageFunction) {
    if (!isMessageKey(key)) return Reflect.get(target, key, receiver) as unknown
    const send = receiver[SEND]
    const method = (...args: unknown[]): unknown => send(key, args)
    Object.defineProperty(receiver, key, { value: method, configurable: true })
    return method
  },
})

/**
 * Every function has own `name` and `length` properties, which would hide the installer: an
 * actor method called `name` could not be sent (`ref.ask.name` was the string "receive"). They
 * are replaced by accessors that install the sender on first use, like the installer does.
 * The accessors are shared (not closures), so every message function keeps the same shape.
 */
const SHADOWED_KEYS = ['name', 'length'] as const
const shadowInstallers = Object.fromEntries(
  SHADOWED_KEYS.map((key) => [
    key,
    function (this: MessageFunction): unknown {
      const send = this[SEND]
      const method = (...args: unknown[]): unknown => send(key, args)
      Object.defineProperty(this, key, { value: method, configurable: true })
      return method
    },
  ]),
) as Record<(typeof SHADOWED_KEYS)[number], (this: MessageFunction) => unknown>

/** @internal The `tell`/`ask`/`send` function of a ref, sending through `send`. */
export function messageFunction<T>(send: Dispatch): T {
  const receive = ((message: unknown) => send(RECEIVE, message)) as MessageFunction
  Object.defineProperty(receive, SEND, { value: send })
  for (const key of SHADOWED_KEYS) Object.defineProperty(receive, key, { get: shadowInstallers[key], configurable: true })
  Object.setPrototypeOf(receive, methodInstaller)
  return receive as unknown as T
}

/** @internal The one ActorRef implementation. `home` is the index of the thread hosting it. */
export class ActorRefImpl<A = unknown> implements ActorRef<A> {
  #tell: Tell<A> | undefined
  #ask: Ask<A> | undefined
  #send: Send<A> | undefined

  constructor(
    readonly id: number,
    public home: number,
    readonly name: string | undefined,
    readonly runtime: RefRuntime,
    readonly options: MessageOptions | undefined,
    /** The actor's credit window when its mailbox is flow-controlled across threads (see `creditWindow`), else 0. */
    readonly window: number,
    /** The node the actor lives on (see `ActorAddress`). */
    readonly node: number,
  ) {}

  get address(): ActorAddress {
    return { node: this.node, thread: this.home, id: this.id }
  }

  get tell(): Tell<A> {
    return (this.#tell ??= messageFunction<Tell<A>>((selector, body) => this.runtime.tell(this, selector, body)))
  }

  get ask(): Ask<A> {
    return (this.#ask ??= messageFunction<Ask<A>>((selector, body) => this.runtime.ask(this, selector, body, this.options)))
  }

  get send(): Send<A> {
    return (this.#send ??= messageFunction<Send<A>>((selector, body) => this.runtime.send(this, selector, body)))
  }

  with(options: MessageOptions): ActorRef<A> {
    return new ActorRefImpl<A>(this.id, this.home, this.name, this.runtime, { ...this.options, ...checkMessageOptions(options) }, this.window, this.node)
  }

  toString(): string {
    return describeRef(this)
  }
}

export function describeRef(ref: { id: number; name: string | undefined }): string {
  return ref.name === undefined ? `actor#${ref.id}` : `actor#${ref.id}(${ref.name})`
}
