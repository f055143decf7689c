import { NoRouteeError, type RoutedMessage } from '@troupe/core'
import { RECEIVE, ROUTER_CONTROL, RoutingTable, createMailbox, describeRef, type ActorRefImpl, type KeyFunction, type Mailbox, type ResolvedMailbox, type RoutingSpec } from '@troupe/core/internal'
import { ActorCell, DEFAULT_CELL_OPTIONS, type CellHost } from '../host/actor-cell.js'
import type { Envelope, Route } from '../host/envelope.js'
import { messageKey } from './message-key.js'

/** What a router's cell needs from its thread besides what every cell needs. */
export interface RouterCellHost {
  /**
   * Passes the message on to `routee`, keeping its sender and correlation; `route` asks for a
   * completion report; `rehome`: the routee alone answers it (not a broadcast).
   */
  forward(routee: ActorRefImpl, envelope: Envelope, route: Route | undefined, rehome: boolean): void
  /** The route object of this router (shared by every message it tracks). */
  routeOf(router: number, thread: number): Route
  /** A key function registered on this (main) thread under `token`. */
  localKeyFunction(token: string): KeyFunction | undefined
}

/**
 * The cell of a router. Messages for its routees are routed the moment they arrive, never
 * queued behind each other in a mailbox: only system messages and the router's own management
 * messages (`ROUTER_CONTROL`) reach its `RouterActor`, which keeps the routee list.
 *
 * Forwarding keeps the original sender, sender thread and correlation, so a routee answers an
 * ask straight to the asker, without another hop through the router.
 */
export class RouterCell extends ActorCell {
  table!: RoutingTable<ActorRefImpl>
  /**
   * Messages not yet forwarded: while the router starts, and (balancing) while every routee is
   * full. By priority (high, normal, low; FIFO within each), so a balancing router's shared
   * queue honours `ref.with({ priority })` as a priority mailbox would.
   */
  readonly #waiting: Mailbox<Envelope> = createMailbox<Envelope>({ capacity: Infinity, overflow: 'drop-newest', priority: true })
  #open = false
  #closed = false
  #spec!: RoutingSpec
  #keyOf: ((envelope: Envelope) => unknown) | undefined
  /** This router's route object, shared by every message it tracks (looked up once). */
  #route: Route | undefined

  readonly #routerHost: RouterCellHost

  constructor(self: ActorRefImpl, parent: ActorRefImpl | undefined, handlers: ReadonlySet<string>, host: CellHost, mailbox: ResolvedMailbox, routerHost: RouterCellHost) {
    super(self, parent, handlers, host, mailbox, DEFAULT_CELL_OPTIONS)
    this.#routerHost = routerHost
  }

  /** A fresh routing table (the router starts or restarts); messages wait until `open()`. */
  reset(spec: RoutingSpec): void {
    this.#spec = spec
    this.#open = false
    this.table = new RoutingTable<ActorRefImpl>(spec.strategy, spec, this.host.random)
    if (spec.strategy !== 'consistent-hash') this.#keyOf = undefined
    else if ('local' in spec.hashKey) {
      const keyFunction = this.#routerHost.localKeyFunction(spec.hashKey.local)
      if (!keyFunction) throw new Error(`the key function of ${describeRef(this.self)} is not registered on thread ${this.self.home}`)
      this.#keyOf = (envelope) => keyFunction(routedMessage(envelope))
    } else {
      const path = spec.hashKey
      this.#keyOf = (envelope) => messageKey(envelope.selector === RECEIVE, envelope.body, path)
    }
  }

  /** The routees are in place: route what waited, and from now on route at once. */
  open(): void {
    this.#open = true
    this.drain()
  }

  override enqueue(envelope: Envelope): void {
    const { selector } = envelope
    if (typeof selector === 'number' && selector < 0) {
      // Management messages run as the `control` method of the router's actor.
      super.enqueue(selector === ROUTER_CONTROL ? { ...envelope, selector: 'control' } : envelope)
      return
    }
    if (this.#closed) this.host.undeliverable(this.self, envelope, 'stopped')
    else if (this.#open && this.#waiting.length === 0 && this.table.hasRoom()) this.#dispatch(envelope)
    else {
      this.#waiting.offer(envelope)
      this.drain()
    }
  }

  /** A routee processed a message this router forwarded: it has room for the next one. */
  routeeDone(routee: number): void {
    this.table.completed(routee)
    if (this.#waiting.length > 0) this.drain()
  }

  /** Forwards waiting messages, in order, while routees take them. */
  drain(): void {
    while (this.#open && this.#waiting.length > 0 && this.table.hasRoom()) this.#dispatch(this.#waiting.dequeue()!)
  }

  /** Forwards the message, or reports it undeliverable. The table has room (`hasRoom`). */
  #dispatch(envelope: Envelope): void {
    const table = this.table
    if (table.size === 0) {
      this.host.undeliverable(this.self, envelope, 'no-routee', new NoRouteeError(describeRef(this.self)))
      return
    }
    if (this.#spec.strategy === 'broadcast') {
      // Any routee may answer a broadcast ask: one thread dying must not fail it.
      for (const routee of table.routees()) this.#routerHost.forward(routee, envelope, undefined, false)
      return
    }
    let key: unknown
    try {
      key = this.#keyOf?.(envelope)
    } catch (error) {
      // A key function that throws fails this message, not the router.
      this.host.undeliverable(this.self, envelope, 'routing-failed', error instanceof Error ? error : new Error(String(error)))
      return
    }
    const routee = table.pick(key)!
    if (table.tracked) {
      table.dispatched(routee.id)
      this.#route ??= this.#routerHost.routeOf(this.id, this.self.home)
      this.#routerHost.forward(routee, envelope, this.#route, true)
    } else {
      this.#routerHost.forward(routee, envelope, undefined, true)
    }
  }

  protected override onStopped(): void {
    this.#closed = true
    for (const envelope of this.#waiting.drain()) this.host.undeliverable(this.self, envelope, 'stopped')
  }
}

function routedMessage(envelope: Envelope): RoutedMessage {
  if (envelope.selector === RECEIVE) return { method: 'receive', args: [envelope.body] }
  return { method: String(envelope.selector), args: Array.isArray(envelope.body) ? envelope.body : [envelope.body] }
}
