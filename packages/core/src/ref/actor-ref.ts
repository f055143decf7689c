import type { Ask, Tell } from '../actor/message-types.js'

/** Options for the asks made through `ref.with(options).ask`. */
export interface AskOptions {
  /** Reject with `AskTimeoutError` after this many milliseconds. Defaults to the system's `askTimeoutMs`. */
  timeoutMs?: number
}

/**
 * A location-transparent handle to an actor. It behaves the same whether the actor lives on
 * this thread or another, and may be sent inside messages.
 *
 * - `ref.tell.method(...args)` / `ref.tell(msg)`: fire-and-forget.
 * - `await ref.ask.method(...args)` / `await ref.ask(msg)`: request-reply. `ask` is the typed
 *   proxy (Pykka/comlink style): every method returns a promise of its result.
 */
export interface ActorRef<A = unknown> {
  /** Stable id, unique within the system for its lifetime. Never reused. */
  readonly id: number
  /** The registered name, if the actor has one. */
  readonly name: string | undefined
  readonly tell: Tell<A>
  readonly ask: Ask<A>
  /** A view of this ref whose asks use these options. */
  with(options: AskOptions): ActorRef<A>
  toString(): string
}

/** Message selector for `receive`-style messages (a method call carries the method name). */
export const RECEIVE = 0
/** Message selector of the system stop message; its reply confirms the actor has stopped. */
export const STOP = -1
export type Selector = string | typeof RECEIVE | typeof STOP

/**
 * What a ref sends through: the actor host of the thread the ref is used on. Refs hold it
 * directly (not a thread-global), so several systems can run in one process.
 */
export interface RefRuntime {
  tell(ref: ActorRefImpl, selector: Selector, body: unknown): void
  ask(ref: ActorRefImpl, selector: Selector, body: unknown, options: AskOptions | undefined): Promise<unknown>
}

/** The runtime of a ref that was decoded outside any host (it cannot send). */
export const DETACHED_RUNTIME: RefRuntime = {
  tell() {
    throw new Error('this ref is not attached to a running actor system')
  },
  ask() {
    return Promise.reject(new Error('this ref is not attached to a running actor system'))
  },
}

/** Property names that must not look like messages, or refs would pass for promises and the like. */
function isMessageKey(key: string | symbol): key is string {
  return typeof key === 'string' && key !== 'then' && key !== 'toJSON' && key !== 'constructor'
}

function messageProxy<T>(call: (selector: Selector, body: unknown) => unknown): T {
  const methods = new Map<string, (...args: unknown[]) => unknown>()
  const receive = (message: unknown): unknown => call(RECEIVE, message)
  return new Proxy(receive, {
    get(_target, key) {
      if (!isMessageKey(key)) return undefined
      let method = methods.get(key)
      if (!method) {
        method = (...args: unknown[]) => call(key, args)
        methods.set(key, method)
      }
      return method
    },
  }) as T
}

/** @internal The one ActorRef implementation. `home` is the index of the thread hosting it. */
export class ActorRefImpl<A = unknown> implements ActorRef<A> {
  #tell: Tell<A> | undefined
  #ask: Ask<A> | undefined

  constructor(
    readonly id: number,
    public home: number,
    readonly name: string | undefined,
    readonly runtime: RefRuntime,
    readonly askOptions?: AskOptions,
  ) {}

  get tell(): Tell<A> {
    return (this.#tell ??= messageProxy<Tell<A>>((selector, body) => this.runtime.tell(this, selector, body)))
  }

  get ask(): Ask<A> {
    return (this.#ask ??= messageProxy<Ask<A>>((selector, body) => this.runtime.ask(this, selector, body, this.askOptions)))
  }

  with(options: AskOptions): ActorRef<A> {
    return new ActorRefImpl<A>(this.id, this.home, this.name, this.runtime, { ...this.askOptions, ...options })
  }

  toString(): string {
    return describeRef(this)
  }
}

export function describeRef(ref: { id: number; name: string | undefined }): string {
  return ref.name === undefined ? `actor#${ref.id}` : `actor#${ref.id}(${ref.name})`
}
