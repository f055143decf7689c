import type { ActorContext } from './context.js'
import type { ActorRef } from '../ref/actor-ref.js'

/** Brands actor classes across module copies; `instanceof` alone breaks if two copies load. */
export const ACTOR_BRAND: unique symbol = Symbol.for('troupe.actor')

let constructingContext: ActorContext | undefined

/**
 * @internal Runs `construct` with `context` visible to the `Actor` base constructor, so that
 * `this.ctx` works in subclass constructors and field initialisers.
 */
export function constructWithContext<T>(context: ActorContext, construct: () => T): T {
  const previous = constructingContext
  constructingContext = context
  try {
    return construct()
  } finally {
    constructingContext = previous
  }
}

/**
 * Base class of every actor. Public methods of a subclass are its messages:
 * `ref.tell.inc(1)` and `await ref.ask.get()`. A subclass may instead (or also) implement
 * `receive(message, ctx)` to take a discriminated union via `ref.tell(msg)` / `ref.ask(msg)`.
 *
 * An actor processes one message at a time, including across `await` in a handler: the next
 * message is taken only once the handler's promise settles. Lifecycle hooks: `ActorLifecycle`.
 *
 * `Self` is the subclass itself (`class Counter extends Actor<Counter>`), when the actor needs a
 * typed `this.ctx.self`. It can be left out otherwise.
 */
export abstract class Actor<Self = unknown> {
  static readonly [ACTOR_BRAND] = true
  readonly #context: ActorContext | undefined

  constructor() {
    this.#context = constructingContext
  }

  /**
   * The actor's context. Throws if this instance was constructed outside an actor system.
   * Declare the class as `class Worker extends Actor<Worker>` to type `this.ctx.self` as
   * `ActorRef<Worker>`, so an actor can message itself by method name.
   */
  protected get ctx(): ActorContext<unknown extends Self ? this : Self> {
    if (!this.#context) throw new Error(`${this.constructor.name} was not created by an actor system, so it has no context`)
    return this.#context as ActorContext<unknown extends Self ? this : Self>
  }
}

/**
 * Lifecycle hooks an actor may define (`class A extends Actor implements ActorLifecycle`).
 * They are not declared on `Actor` itself, so defining them needs no `override` keyword.
 */
export interface ActorLifecycle {
  /** Runs after construction, before the first message. May be async; messages wait for it. */
  onStart?(): void | Promise<void>
  /** Runs when the actor stops, after its children have stopped. May be async. */
  onStop?(): void | Promise<void>
  /**
   * Runs on the fresh instance when a supervisor restarts the actor, before `onStart`, with the
   * failure that caused the restart. The mailbox is kept. May be async.
   */
  onRestart?(cause: Error): void | Promise<void>
  /**
   * A watched actor (`ctx.watch(ref)`) stopped for good, for any reason: it was stopped, its
   * supervisor gave up on it, or its worker died and it was not restarted. A restart is not a
   * termination. Delivered in mailbox order, like a message. May be async.
   */
  onTerminated?(actor: ActorRef): void | Promise<void>
}

/** True for a class that extends `Actor` (from any copy of this package). */
export function isActorClass(value: unknown): value is new (...args: never[]) => Actor {
  return typeof value === 'function' && (value as unknown as Record<symbol, unknown>)[ACTOR_BRAND] === true
}
