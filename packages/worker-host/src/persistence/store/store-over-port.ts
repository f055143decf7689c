import type { MessagePort } from 'node:worker_threads'
import { StoreError } from '@troupe/core'
import { fromWireError, toWireError, type WireError } from '@troupe/core/internal'
import type { EntityStore, StoredEvent, StoredReminder, StoredSnapshot, StoredState } from './entity-store.js'
import { checkBytes, checkEvents } from './memory-store.js'

/**
 * A store on one thread, used from others: `serveStore` answers on one end of a MessageChannel,
 * a `PortStore` on the other end calls it. The in-memory store lives on the main thread, and
 * each worker reaches it this way.
 *
 * Structured clone carries the arguments and results, copying every Uint8Array (nothing is
 * transferred: the caller keeps its buffers). Errors cross as `WireError`s and are rebuilt as
 * their classes, so a conflict is a `StoreConflictError` with its `entity`, `expected` and
 * `actual` on the calling side too.
 */

/** Every method but `close`: a client closes its own port, not the store that others share. */
type StoreMethod = Exclude<keyof EntityStore, 'close'>
const METHODS: ReadonlySet<string> = new Set<StoreMethod>([
  'load',
  'upsert',
  'delete',
  'append',
  'read',
  'highestSeq',
  'saveSnapshot',
  'loadSnapshot',
  'putReminder',
  'deleteReminder',
  'reminders',
])

interface StoreRequest {
  readonly id: number
  readonly method: StoreMethod
  readonly args: readonly unknown[]
}

type StoreResponse = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: WireError }

function isRequest(message: unknown): message is StoreRequest {
  const { method, args } = message as Partial<Record<string, unknown>>
  return typeof method === 'string' && METHODS.has(method) && Array.isArray(args)
}

/** The id of a message that expects an answer. */
function requestId(message: unknown): number | undefined {
  const { id } = (message ?? {}) as Partial<Record<string, unknown>>
  return typeof id === 'number' ? id : undefined
}

function isResponse(message: unknown): message is StoreResponse {
  const { id, ok } = (message ?? {}) as Partial<Record<string, unknown>>
  return typeof id === 'number' && typeof ok === 'boolean'
}

/**
 * Answers the requests that arrive on `port` by calling `store`, until the returned function is
 * called (which closes the port, so the calls still waiting on the other side reject) or the
 * other side closes the port. Serving alone does not keep the thread alive: the port is ref'd
 * only while a call is being answered. The caller keeps owning `store` (closing it is its job).
 */
export function serveStore(store: EntityStore, port: MessagePort): () => void {
  let answering = 0
  let stopped = false
  const answer = (response: StoreResponse): void => {
    if (--answering === 0) port.unref()
    if (stopped) return
    try {
      port.postMessage(response)
    } catch (error) {
      // A result that cannot be cloned: the caller gets why instead of waiting.
      port.postMessage({ id: response.id, ok: false, error: toWireError(new StoreError('the store answered with a value that cannot cross threads', { cause: error })) })
    }
  }
  const onMessage = (message: unknown): void => {
    const id = requestId(message)
    if (id === undefined) return // nobody waits for an answer to it
    if (answering++ === 0) port.ref()
    // `new Promise` turns a synchronous throw into a rejection too.
    new Promise<unknown>((resolve) => {
      if (!isRequest(message)) throw new StoreError('not a request the entity store answers (a method of EntityStore but close, and an array of arguments)')
      const method = store[message.method] as (...args: unknown[]) => Promise<unknown>
      resolve(method.apply(store, [...message.args]))
    }).then(
      (value) => answer({ id, ok: true, value }),
      (error: unknown) => answer({ id, ok: false, error: toWireError(error) }),
    )
  }
  const stop = (): void => {
    if (stopped) return
    stopped = true
    port.off('message', onMessage)
    port.close()
  }
  port.on('message', onMessage)
  port.once('close', stop)
  port.unref()
  return stop
}

interface Pending {
  readonly resolve: (value: unknown) => void
  readonly reject: (error: Error) => void
}

/**
 * An `EntityStore` served on the other end of `port` (`serveStore`). Calls are answered in any
 * order, matched by id. If the port closes (the serving thread is gone, or it stopped serving),
 * every call waiting and every later one rejects with `StoreError`. The port is ref'd only while
 * a call waits for its answer, so an idle store keeps no thread alive.
 *
 * `close` waits for the calls under way, then closes the port: the served store itself stays
 * open for its owner and its other clients.
 */
export class PortStore implements EntityStore {
  readonly #port: MessagePort
  readonly #pending = new Map<number, Pending>()
  readonly #idle: (() => void)[] = []
  #nextId = 1
  #closed = false
  #gone = false

  constructor(port: MessagePort) {
    this.#port = port
    port.on('message', (message: unknown) => this.#answer(message))
    port.once('close', () => this.#lost())
    port.unref()
  }

  load(id: string): Promise<StoredState | undefined> {
    return this.#call('load', [id])
  }

  upsert(id: string, state: Uint8Array, expectedRevision: number): Promise<number> {
    return this.#call('upsert', () => [id, exactBytes('state', state), expectedRevision])
  }

  delete(id: string, expectedRevision?: number): Promise<void> {
    return this.#call('delete', expectedRevision === undefined ? [id] : [id, expectedRevision])
  }

  append(id: string, events: readonly Uint8Array[], expectedSeq: number): Promise<number> {
    return this.#call('append', () => {
      checkEvents(events)
      return [id, events.map((event) => exactBytes('every event', event)), expectedSeq]
    })
  }

  read(id: string, from: number, to?: number): Promise<StoredEvent[]> {
    return this.#call('read', to === undefined ? [id, from] : [id, from, to])
  }

  highestSeq(id: string): Promise<number> {
    return this.#call('highestSeq', [id])
  }

  saveSnapshot(id: string, seq: number, state: Uint8Array): Promise<void> {
    return this.#call('saveSnapshot', () => [id, seq, exactBytes('state', state)])
  }

  loadSnapshot(id: string): Promise<StoredSnapshot | undefined> {
    return this.#call('loadSnapshot', [id])
  }

  putReminder(reminder: StoredReminder): Promise<void> {
    return this.#call('putReminder', [reminder])
  }

  deleteReminder(id: string, name: string): Promise<void> {
    return this.#call('deleteReminder', [id, name])
  }

  reminders(): Promise<StoredReminder[]> {
    return this.#call('reminders', [])
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.#pending.size > 0) await new Promise<void>((resolve) => this.#idle.push(resolve))
    this.#port.close()
  }

  /** `args` as a function: preparing them may throw, and a throw must reject, as every store's calls do. */
  #call<T>(method: StoreMethod, args: readonly unknown[] | (() => readonly unknown[])): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.#closed) throw new StoreError('the entity store is closed')
      if (this.#gone) throw new StoreError('the entity store is gone: the port to the thread that serves it is closed')
      const request: StoreRequest = { id: this.#nextId++, method, args: typeof args === 'function' ? args() : args }
      try {
        this.#port.postMessage(request)
      } catch (error) {
        throw new StoreError(`the arguments of ${method} cannot cross threads`, { cause: error })
      }
      if (this.#pending.size === 0) this.#port.ref()
      this.#pending.set(request.id, { resolve: resolve as (value: unknown) => void, reject })
    })
  }

  #answer(message: unknown): void {
    if (!isResponse(message)) return
    const pending = this.#pending.get(message.id)
    if (pending === undefined) return
    this.#settled(message.id)
    if (message.ok) pending.resolve(message.value)
    else pending.reject(fromWireError(message.error))
  }

  #settled(id: number): void {
    this.#pending.delete(id)
    if (this.#pending.size > 0) return
    this.#port.unref()
    for (const resolve of this.#idle.splice(0)) resolve()
  }

  /** The port closed: nothing more will be answered. */
  #lost(): void {
    this.#gone = true
    const error = new StoreError('the entity store is gone: the port to the thread that serves it closed before it answered')
    for (const [id, pending] of this.#pending) {
      this.#settled(id)
      pending.reject(error)
    }
  }
}

/**
 * The bytes to post: structured clone copies a view's whole ArrayBuffer (msgpackr's results are
 * views into its 8 KiB+ scratch buffer) and shares a SharedArrayBuffer's, so such views are
 * copied to exact buffers of their own first.
 */
function exactBytes(what: string, bytes: Uint8Array): Uint8Array {
  checkBytes(what, bytes)
  const exact = bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
  return exact ? bytes : new Uint8Array(bytes)
}
