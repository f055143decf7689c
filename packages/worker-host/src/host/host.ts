import {
  ActorNotFoundError,
  ActorStoppedError,
  SpawnError,
  SpawnTimeoutError,
  SystemShutdownError,
  type Actor,
  type ActorLifecycle,
  type ActorRef,
  type MessageOptions,
  type MessagePriority,
  type DeadLetterReason,
  InvalidOptionError,
  type OffloadOptions,
  type TaskFunction,
  type TaskInput,
  type TaskOutput,
  type TaskRef,
} from '@troupe/core'
import {
  ActorRefImpl,
  DEAD_LETTER,
  DELIVER_SLOTS,
  DEAD_LETTER_SLOTS,
  CREDIT,
  CREDIT_SLOTS,
  DELIVER_CREDITED,
  DELIVER_CREDITED_SLOTS,
  DELIVER_CHAIN,
  DELIVER_CHAIN_SLOTS,
  DELIVER_PRIORITY,
  DELIVER_PRIORITY_SLOTS,
  FORWARD,
  FORWARD_SLOTS,
  LEDGER,
  LEDGER_SLOTS,
  SETTLED,
  SETTLED_SLOTS,
  isDelivery,
  REPLY,
  REPLY_ERROR,
  REPLY_OK,
  REPLY_SLOTS,
  REROUTED,
  REROUTED_SLOTS,
  PIPE,
  RECEIVE,
  ROUTED,
  ROUTED_SLOTS,
  frameSlots,
  STOP,
  checkMessage,
  constructWithContext,
  creditWindow,
  createDecoder,
  decodeValue,
  decodeWith,
  describeRef,
  encodeValue,
  fromWireError,
  toWireError,
  type RefRuntime,
  type Selector,
  type KeyFunction,
  type WireError,
} from '@troupe/core/internal'
import type { MessagePort } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'
import type { HostDirective, HostStats, OffloadRequest, RefInfo, SpawnOrder, SpawnRequest } from '../protocol/control.js'
import { PeerLink, type LinkOwner } from '../transport/peer-link.js'
import { openThreadLink } from '../link/thread-channel.js'
import { FlowControl } from '../transport/flow-control.js'
import { ActorCell, type CellHost } from './actor-cell.js'
import { HostedActorContext } from './actor-context.js'
import { Dispatcher, type SliceOptions } from './dispatcher.js'
import { envelope, routed, settle, type Envelope, type Route } from './envelope.js'
import { accountForDeadPeer, deliveryOf, reportRefused, type AccountingHost } from '../transport/delivery-accounting.js'
import { reasonCode, type InboundSlab } from '../transport/ledger.js'
import { messageHandlersOf } from './message-handlers.js'
import { ModuleRegistry, type LoadedActorClass } from './module-registry.js'
import { PendingAsks } from './pending-asks.js'
import { currentChain, useChains } from './reentrancy.js'
import { buildSpawnRequest } from './spawn-request.js'
import { withDeadline } from '../util/deadline.js'
import { RouterCell, type RouterCellHost } from '../router/router-cell.js'
import { ROUTER_MODULE, RouterActor, type RouterArgs } from '../router/router-actor.js'
import type { RouterRequestContext } from '../router/router-request.js'


/** How a host reaches the system (in-process on the main thread, comlink from a worker). */
export interface SystemPort {
  spawn(parent: number, request: SpawnRequest): Promise<RefInfo>
  /** Adds (or removes) a death watch of `watched` by `watcher`; resolves once registered. */
  watch(watcher: number, watched: number, on: boolean): Promise<void>
  /** Runs a task in the system's offload pool. `id` (unique per thread) lets it be cancelled. */
  offload(request: OffloadRequest): Promise<unknown>
  cancelOffload(id: number): void
  /** `exit`: the actor stops itself (a normal exit, after which a permanent actor is restarted). */
  stop(id: number, exit?: boolean): Promise<void>
  lookup(name: string): Promise<RefInfo | undefined>
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
  /** Actors this host will re-create (its worker replaced a dead one): their messages wait for them. */
  restoring?: readonly number[]
  /** How many hosts ran this thread before (a replaced worker's successor is 1, and so on). */
  generation?: number
  /** The system's monitor board and time slice: turns yield after `sliceMs` and show progress there. */
  slice?: Omit<SliceOptions, 'thread'>
}

/** How often settled batches are released on links that send nothing meanwhile, in ms. */
const RECLAIM_INTERVAL_MS = 250

const selectorName = (selector: Selector): string => (typeof selector === 'string' ? selector : selector === RECEIVE ? 'receive' : 'system message')

/**
 * The actor runtime of one thread (a worker, or the main thread): its actors, its dispatcher,
 * its channels to other threads, and the asks it waits on. Refs used on this thread send
 * through it.
 */
export class Host implements RefRuntime, LinkOwner, CellHost, RouterCellHost, AccountingHost {
  readonly thread: number
  readonly dispatcher: Dispatcher
  readonly registry: ModuleRegistry
  readonly asks: PendingAsks
  readonly #options: HostOptions
  readonly #cells = new Map<number, ActorCell>()
  /**
   * The highest actor id hosted (or being restored) here. Main's directory allocates ids in
   * increasing order and never reuses them, so an id not alive here but not above this one
   * lived and stopped: late messages to it get "stopped", others "not found". One number
   * instead of a set of stopped ids, which grew with every actor that ever lived here.
   */
  #highestHosted = 0
  readonly #links = new Map<number, PeerLink>()
  /** Messages for actors being restored here, in arrival order, until they are re-created. */
  readonly #awaiting = new Map<number, Envelope[]>()
  /** The route object of each router that tracked a message here (one per router, shared). */
  readonly #routes = new Map<number, Route>()
  /** Main thread: consistent-hash key functions of routers placed here, by token. */
  readonly #keyFunctions = new Map<string, KeyFunction>()
  /** Credit-based flow control towards (and from) actors with `backpressure` mailboxes. */
  readonly #flow: FlowControl
  #dirty: PeerLink[] = []
  #flushQueued = false
  #closed = false
  #nextOffload = 1
  /** Decodes the batches a link's ledger held, when they must be read again (rare: a death or a refusal). */
  #heldDecoder: ReturnType<typeof createDecoder> | undefined
  /** Releases what workers have settled on links that saw no traffic since (see `PeerLink.flush`). */
  readonly #reclaimTimer: NodeJS.Timeout
  /** Call chains started on this thread (see `newChain`). */
  #nextChain: number

  constructor(options: HostOptions) {
    this.#options = options
    this.thread = options.thread
    this.dispatcher = new Dispatcher(options.throughput, options.slice && { ...options.slice, thread: options.thread })
    this.asks = new PendingAsks(firstCorrelation(options.generation ?? 0))
    this.#nextChain = 1 + ((options.generation ?? 0) % 2048) * 2 ** 25
    this.#flow = new FlowControl({
      thread: options.thread,
      link: (thread) => this.#link(thread),
      requestFlush: () => this.#requestFlush(),
      abandon: (target, held) => this.undeliverable(target, held, 'shutdown'),
    })
    this.registry = new ModuleRegistry(options.allowList)
    for (const id of options.restoring ?? []) {
      this.#awaiting.set(id, [])
      if (id > this.#highestHosted) this.#highestHosted = id
    }
    this.#reclaimTimer = setInterval(() => {
      for (const link of this.#links.values()) link.outbound?.reclaim()
    }, RECLAIM_INTERVAL_MS)
    this.#reclaimTimer.unref()
  }

  // ---- RefRuntime: the send side -------------------------------------------------------------

  tell(ref: ActorRefImpl, selector: Selector, body: unknown): void {
    checkMessage(body, this.#options.maxMessageBytes)
    this.#send(ref, this.dispatcher.current?.id ?? 0, 0, selector, body)
  }

  ask(ref: ActorRefImpl, selector: Selector, body: unknown, options: MessageOptions | undefined): Promise<unknown> {
    return this.#request(ref, selector, body, options?.timeoutMs, false)
  }

  send(ref: ActorRefImpl, selector: Selector, body: unknown): Promise<void> {
    return this.#request(ref, selector, body, ref.options?.timeoutMs, true) as Promise<void>
  }

  /** An ask, or (`onAccept`) a send: answered as soon as the target's mailbox accepts it. */
  #request(ref: ActorRefImpl, selector: Selector, body: unknown, timeout: number | undefined, onAccept: boolean): Promise<unknown> {
    const timeoutMs = timeout ?? this.#options.askTimeoutMs
    try {
      if (!(Number.isInteger(timeoutMs) && timeoutMs >= 1 && timeoutMs <= 2 ** 31 - 1)) {
        throw new InvalidOptionError('timeoutMs', 'an integer from 1 to 2147483647', timeoutMs)
      }
      checkMessage(body, this.#options.maxMessageBytes)
      if (this.#closed) throw new SystemShutdownError(`${onAccept ? 'send' : 'ask'} ${selectorName(selector)} to ${describeRef(ref)}`)
    } catch (error) {
      return Promise.reject(error)
    }
    const { correlation, promise } = this.asks.create(ref.home, timeoutMs, () => ({ actor: describeRef(ref), selector: selectorName(selector) }))
    // An ask (not a send: that is a tell once accepted) made by a handler of a call chain carries the chain.
    this.#send(ref, this.dispatcher.current?.id ?? 0, onAccept ? -correlation : correlation, selector, body, onAccept ? 0 : currentChain())
    return promise
  }

  #send(ref: ActorRefImpl, sender: number, correlation: number, selector: Selector, body: unknown, chain = 0): void {
    const priority = ref.options?.priority === 'normal' ? undefined : ref.options?.priority
    if (ref.home === this.thread) {
      this.#deliverLocal(ref.id, envelope(sender, this.thread, correlation, selector, body, priority, undefined, -1, chain))
    } else if (this.#closed) {
      this.undeliverable(ref.id, envelope(sender, this.thread, correlation, selector, body, priority), 'shutdown')
    } else if (chain !== 0 && ref.window === 0) {
      // Only chained asks use this frame, so the common frames stay as they are. (To a
      // flow-controlled actor the ask goes credited, in order with what waits for credit, without its chain.)
      this.#link(ref.home).deliverChain(ref.id, sender, correlation, selector, body, priority, chain)
    } else {
      this.#flow.send(ref, sender, correlation, selector, body, priority)
    }
  }

  creditReturned(thread: number, target: number): void {
    this.#flow.returned(thread, target)
  }

  /**
   * A call-chain id unique across threads: the thread in the low 16 bits, a counter above. Each
   * generation of a thread counts in its own range (2^25 chains), like its ask correlations.
   */
  newChain(): number {
    return this.#nextChain++ * 65_536 + this.thread
  }

  #deliverLocal(target: number, envelope: Envelope): void {
    const cell = this.#cells.get(target)
    if (cell !== undefined) cell.enqueue(envelope)
    else if (this.#awaiting.has(target)) this.#hold(target, envelope)
    else this.undeliverable(target, envelope, target <= this.#highestHosted ? 'stopped' : 'not-found')
  }

  /** A message for an actor being restored: kept for it, unless it is its stop order. */
  #hold(target: number, envelope: Envelope): void {
    if (envelope.selector !== STOP) {
      this.#awaiting.get(target)!.push(envelope)
      return
    }
    // Its supervisor decided not to restore it: what waited for it is undeliverable.
    for (const waiting of this.#awaiting.get(target)!) this.undeliverable(target, waiting, 'stopped')
    this.#awaiting.delete(target)
    settle(envelope)
    this.replyOk(envelope, undefined)
  }

  // ---- CellHost: replies, failures, dead letters ---------------------------------------------

  replyOk(envelope: Envelope, value: unknown): void {
    try {
      checkMessage(value, this.#options.maxMessageBytes)
    } catch (error) {
      this.replyError(envelope, error)
      return
    }
    // A send carries its correlation negated; the reply uses the asker's (positive) id.
    const correlation = Math.abs(envelope.correlation)
    if (envelope.senderThread === this.thread) this.asks.settle(correlation, REPLY_OK, value)
    else this.#link(envelope.senderThread).reply(correlation, REPLY_OK, value)
  }

  replyError(envelope: Envelope, error: unknown): void {
    const correlation = Math.abs(envelope.correlation)
    if (envelope.senderThread === this.thread) {
      this.asks.fail(correlation, error instanceof Error ? error : new Error(String(error)))
    } else {
      this.#link(envelope.senderThread).reply(correlation, REPLY_ERROR, toWireError(error))
    }
  }

  undeliverable(recipient: ActorRefImpl | number, envelope: Envelope, reason: DeadLetterReason, error?: Error): void {
    const id = typeof recipient === 'number' ? recipient : recipient.id
    // A router waiting to hear about it must not count it in flight for ever; nor its sender a credit.
    if (envelope.route !== undefined) this.routeeDone(envelope.route, id)
    if (envelope.credit >= 0) this.creditReturned(envelope.credit, id)
    if (envelope.correlation !== 0) {
      settle(envelope)
      this.replyError(envelope, error ?? this.#undeliverableError(id, reason))
      return
    }
    if (this.#refusedToSender(envelope.ledger, envelope.slot, reason)) return
    settle(envelope)
    this.#deadLetter({
      recipient: id,
      sender: envelope.sender === 0 ? undefined : { id: envelope.sender, thread: envelope.senderThread },
      reason,
      selector: envelope.selector,
      // A piped continuation or timer callback is a function: it is reported, not carried.
      body: envelope.selector === PIPE ? undefined : envelope.body,
    })
  }

  /**
   * A tell that came over a link with a ledger is reported by its sender, which still holds it:
   * the reason goes in its byte and a `Settled` frame tells the sender. Reported from here, it
   * could be lost with this thread, or (read from the ledger after a death) reported twice.
   */
  #refusedToSender(ledger: InboundSlab | undefined, slot: number, reason: DeadLetterReason): boolean {
    if (ledger === undefined || !ledger.live || this.#closed) return false
    ledger.bytes[slot] = reasonCode(reason)
    this.#link(ledger.thread).settled(ledger.id, slot)
    return true
  }

  decodeBatch(bytes: Uint8Array): unknown[] {
    // Each batch defines its own record structures, so one held batch decodes on its own.
    return decodeWith<unknown[]>((this.#heldDecoder ??= createDecoder()), bytes, this)
  }

  /** Whether this thread still waits for the answer to `correlation`. */
  awaits(correlation: number): boolean {
    return this.asks.has(correlation)
  }

  // ---- RouterCellHost: forwarding --------------------------------------------------------------

  forward(routee: ActorRefImpl, original: Envelope, route: Route | undefined, rehome: boolean): void {
    // An ask now depends on the routee's thread, not on this one: its asker must know, so that
    // the ask fails at once if that thread dies instead of waiting out its deadline.
    if (rehome && original.correlation !== 0 && routee.home !== this.thread) {
      const correlation = Math.abs(original.correlation)
      if (original.senderThread === this.thread) this.asks.rehome(correlation, routee.home)
      else if (!this.#closed) this.#link(original.senderThread).rerouted(correlation, routee.home)
    }
    if (routee.home === this.thread) {
      this.#deliverLocal(routee.id, routed(original, route))
    } else if (this.#closed) {
      this.undeliverable(routee.id, routed(original, route), 'shutdown')
    } else {
      // Handed on: the forward is a message of this thread now, under this thread's accounting.
      settle(original)
      const { sender, senderThread, correlation, selector, body, priority } = original
      this.#link(routee.home).forward(routee.id, sender, senderThread, correlation, selector, body, priority, route?.router ?? 0)
    }
  }

  routeOf(router: number, thread: number): Route {
    let route = this.#routes.get(router)
    if (route === undefined || route.thread !== thread) {
      route = { router, thread }
      this.#routes.set(router, route)
    }
    return route
  }

  routeeDone(route: Route, routee: number): void {
    if (route.thread !== this.thread) {
      if (!this.#closed) this.#link(route.thread).routed(route.router, routee)
      return
    }
    this.#localRouteeDone(route.router, routee)
  }

  #localRouteeDone(router: number, routee: number): void {
    const cell = this.#cells.get(router)
    if (cell instanceof RouterCell) cell.routeeDone(routee)
  }

  localKeyFunction(token: string): KeyFunction | undefined {
    return this.#keyFunctions.get(token)
  }

  #undeliverableError(id: number, reason: DeadLetterReason): Error {
    const actor = `actor#${id}`
    if (reason === 'stopped') return new ActorStoppedError(actor)
    if (reason === 'shutdown') return new SystemShutdownError(`message to ${actor}`)
    return new ActorNotFoundError(actor)
  }

  #deadLetter(record: DeadLetterRecord): void {
    if (this.#options.deadLetters) this.#options.deadLetters(record)
    else if (!this.#closed) this.#link(0).deadLetter(record.recipient, record.sender?.id ?? 0, record.reason, record.selector, record.body)
  }

  actorFailed(cell: ActorCell, error: unknown): void {
    this.#options.system.actorFailed(cell.id, toWireError(error))
  }

  cellStopped(cell: ActorCell): void {
    this.#cells.delete(cell.id)
  }

  // ---- LinkOwner: channels -------------------------------------------------------------------

  /** Attaches this thread's end of a channel to `thread` (set up by the system). */
  attachLink(thread: number, port: MessagePort): void {
    let link = this.#links.get(thread)
    if (!link) {
      link = new PeerLink(thread, this)
      this.#links.set(thread, link)
    }
    link.attach(openThreadLink(port))
  }

  #link(thread: number): PeerLink {
    let link = this.#links.get(thread)
    if (!link) {
      link = new PeerLink(thread, this)
      this.#links.set(thread, link)
      // Frames wait in the link until the system hands both ends their port.
      this.#options.system.connect(this.thread, thread)
    }
    return link
  }

  linkTouched(link: PeerLink): void {
    this.#dirty.push(link)
    this.#requestFlush()
  }

  #requestFlush(): void {
    if (!this.#flushQueued) {
      this.#flushQueued = true
      queueMicrotask(this.#flush)
    }
  }

  readonly #flush = (): void => {
    this.#flushQueued = false
    if (!this.#closed) this.#flow.payOwed()
    const dirty = this.#dirty
    this.#dirty = []
    for (const link of dirty) link.flush()
  }

  batchArrived(link: PeerLink, bytes: Uint8Array): void {
    this.dispatcher.ioServed()
    const frames = decodeWith<unknown[]>(link.decoder, bytes, this)
    const from = link.thread
    const asks = this.asks
    // The ledger region of this batch (see the Ledger frame): one byte per delivery, in order.
    let ledger: InboundSlab | undefined
    let slot = 0
    for (let i = 0; i < frames.length; ) {
      const head = frames[i] as number
      if (head > 0) {
        this.#deliverLocal(head, envelope(frames[i + 1] as number, from, frames[i + 2] as number, frames[i + 3] as Selector, frames[i + 4], undefined, undefined, -1, 0, ledger, slot))
        if (ledger !== undefined) slot++
        i += DELIVER_SLOTS
      } else if (head === LEDGER) {
        ledger = link.inbound.slab(frames[i + 1] as number)
        slot = frames[i + 2] as number
        i += LEDGER_SLOTS
      } else if (head === DELIVER_PRIORITY) {
        const target = frames[i + 1] as number
        this.#deliverLocal(target, envelope(frames[i + 2] as number, from, frames[i + 3] as number, frames[i + 4] as Selector, frames[i + 5], frames[i + 6] as MessagePriority, undefined, -1, 0, ledger, slot))
        if (ledger !== undefined) slot++
        i += DELIVER_PRIORITY_SLOTS
      } else if (head === REPLY) {
        asks.settle(frames[i + 1] as number, frames[i + 2] as number, frames[i + 3])
        i += REPLY_SLOTS
      } else if (head === FORWARD) {
        const router = frames[i + 8] as number
        const priority = (frames[i + 7] as MessagePriority | null) ?? undefined
        const route = router === 0 ? undefined : this.routeOf(router, from)
        this.#deliverLocal(
          frames[i + 1] as number,
          envelope(frames[i + 2] as number, frames[i + 3] as number, frames[i + 4] as number, frames[i + 5] as Selector, frames[i + 6], priority, route, -1, 0, ledger, slot),
        )
        if (ledger !== undefined) slot++
        i += FORWARD_SLOTS
      } else if (head === DELIVER_CREDITED) {
        const priority = (frames[i + 6] as MessagePriority | null) ?? undefined
        this.#deliverLocal(
          frames[i + 1] as number,
          envelope(frames[i + 2] as number, from, frames[i + 3] as number, frames[i + 4] as Selector, frames[i + 5], priority, undefined, from, 0, ledger, slot),
        )
        if (ledger !== undefined) slot++
        i += DELIVER_CREDITED_SLOTS
      } else if (head === DELIVER_CHAIN) {
        useChains()
        const priority = (frames[i + 6] as MessagePriority | null) ?? undefined
        this.#deliverLocal(
          frames[i + 1] as number,
          envelope(frames[i + 2] as number, from, frames[i + 3] as number, frames[i + 4] as Selector, frames[i + 5], priority, undefined, -1, frames[i + 7] as number, ledger, slot),
        )
        if (ledger !== undefined) slot++
        i += DELIVER_CHAIN_SLOTS
      } else if (head === REROUTED) {
        asks.rehome(frames[i + 1] as number, frames[i + 2] as number)
        i += REROUTED_SLOTS
      } else if (head === CREDIT) {
        this.#flow.granted(frames[i + 1] as number, frames[i + 2] as number)
        i += CREDIT_SLOTS
      } else if (head === ROUTED) {
        this.#localRouteeDone(frames[i + 1] as number, frames[i + 2] as number)
        i += ROUTED_SLOTS
      } else if (head === SETTLED) {
        reportRefused(this, link, frames[i + 1] as number, frames[i + 2] as number)
        i += SETTLED_SLOTS
      } else if (head === DEAD_LETTER) {
        const sender = frames[i + 2] as number
        this.#deadLetter({
          recipient: frames[i + 1] as number,
          sender: sender === 0 ? undefined : { id: sender, thread: from },
          reason: frames[i + 3] as DeadLetterReason,
          selector: frames[i + 4] as Selector,
          body: frames[i + 5],
        })
        i += DEAD_LETTER_SLOTS
      } else {
        throw new Error(`protocol error: unknown frame kind ${String(head)} from thread ${from}`)
      }
    }
  }

  /**
   * A batch failed to encode although each message passed validation (a value changed after it
   * was sent, or a getter threw). Re-sends the frames that encode on their own; the others fail
   * their asks or become dead letters, so nothing vanishes.
   */
  batchUnencodable(link: PeerLink, frames: unknown[], error: unknown): void {
    const failure = error instanceof Error ? error : new Error(String(error))
    for (let i = 0; i < frames.length; ) {
      const head = frames[i] as number
      const frame = frames.slice(i, i + frameSlots(head))
      i += frame.length
      if (head === LEDGER) continue // the batch was never sent: its ledger region is unused
      try {
        encodeValue(frame)
        link.resend(frame)
        continue
      } catch {
        // This frame is the one that cannot travel: fail it without its payload.
      }
      if (head === REPLY) link.reply(frame[1] as number, REPLY_ERROR, toWireError(error))
      else if (head === DEAD_LETTER) link.deadLetter(frame[1] as number, frame[2] as number, frame[3] as DeadLetterReason, frame[4] as Selector, undefined)
      else if (isDelivery(head)) {
        if (head === DELIVER_CREDITED) this.#flow.unsent(frame[1] as number)
        frame[head === FORWARD ? 6 : head > 0 ? 4 : 5] = undefined // reported without the value that failed
        const [target, unsent] = deliveryOf(frame, this.thread, (router) => this.routeOf(router, this.thread))
        this.undeliverable(target, unsent, 'encode-failed', failure)
      }
    }
  }

  // ---- Lifecycle of actors on this thread ---------------------------------------------------

  /** Creates an actor here, as ordered by the system. Resolves once `onStart` has completed. */
  async spawnHere(order: SpawnOrder): Promise<void> {
    if (this.#closed) throw new SystemShutdownError(`spawn ${order.export}`)
    const isRouter = order.module === ROUTER_MODULE
    const actorClass = isRouter ? RouterActor : await this.registry.load(order.module, order.export)
    const args = order.args ? decodeValue(order.args, this) : []
    if (!Array.isArray(args)) throw new SpawnError(order.module, order.export, 'constructor arguments must be an array')
    const self = new ActorRefImpl(order.id, this.thread, order.name, this, undefined, creditWindow(order.mailbox, this.#options.workerCount + 1))
    const parent = order.parent && this.refTo(order.parent.id, order.parent.thread, order.parent.name, order.parent.window)
    const handlers = messageHandlersOf(actorClass)
    const cell = isRouter
      ? new RouterCell(self, parent, handlers, this, order.mailbox, this)
      : new ActorCell(self, parent, handlers, this, order.mailbox, order)
    const context = new HostedActorContext(cell, this)
    const construct = (constructorArgs: unknown[]): Actor & ActorLifecycle =>
      constructWithContext(context, () =>
        isRouter ? new RouterActor(cell as RouterCell, constructorArgs[0] as RouterArgs) : new (actorClass as LoadedActorClass)(...constructorArgs),
      )
    // Restarts build from the encoded arguments again, so no state leaks from the failed instance.
    const create = (): Actor & ActorLifecycle => construct(order.args ? (decodeValue(order.args, this) as unknown[]) : [])
    let instance: Actor & ActorLifecycle
    try {
      instance = construct(args)
    } catch (error) {
      throw new SpawnError(order.module, order.export, `the constructor threw: ${errorMessage(error)}`, { cause: error })
    }
    cell.attach(instance, context, create)
    this.#cells.set(order.id, cell)
    if (order.id > this.#highestHosted) this.#highestHosted = order.id
    // Restored after its worker died: what was sent meanwhile comes first, in order.
    for (const envelope of this.#awaiting.get(order.id) ?? []) cell.enqueue(envelope)
    this.#awaiting.delete(order.id)
    try {
      if (order.restartCause) await instance.onRestart?.(fromWireError(order.restartCause))
      await instance.onStart?.()
    } catch (error) {
      this.cellStopped(cell)
      for (const envelope of cell.mailbox.drain()) this.undeliverable(self, envelope, 'stopped')
      throw new SpawnError(order.module, order.export, `onStart failed: ${errorMessage(error)}`, { cause: error })
    }
    cell.started()
  }

  /** A supervisor's directive for a failed actor of this thread. */
  async supervise(id: number, directive: HostDirective, cause: Error): Promise<void> {
    const cell = this.#cells.get(id)
    if (cell === undefined) return
    if (directive === 'resume') cell.resume()
    else if (directive === 'pause') cell.pause()
    else await cell.restart(cause)
  }

  /** `spawn` from this thread (the system façade on main, `ctx.spawn` in actors). */
  async spawnFrom<A>(parent: number, type: unknown, options: Parameters<typeof buildSpawnRequest>[2]): Promise<ActorRef<A>> {
    // Finding a class imports the allow-listed modules: one whose top level never finishes must not hang spawn.
    const { spawnTimeoutMs } = this.#options
    const request = await withDeadline(buildSpawnRequest(this.registry, type, options, this.#options.workerCount, this.#options.maxMessageBytes), spawnTimeoutMs, () =>
      new SpawnTimeoutError('(the allow-listed modules)', typeof type === 'function' ? type.name : String((type as { export?: unknown }).export), spawnTimeoutMs),
    )
    const info = await this.spawnRequest(parent, request)
    return this.refTo<A>(info.id, info.thread, info.name, info.window)
  }

  /** Spawns from an already validated request. */
  spawnRequest(parent: number, request: SpawnRequest): Promise<RefInfo> {
    return this.#options.system.spawn(parent, request)
  }

  /** What building a router's request needs from this thread. */
  get routerContext(): RouterRequestContext {
    return {
      registry: this.registry,
      workerCount: this.#options.workerCount,
      maxMessageBytes: this.#options.maxMessageBytes,
      registerKeyFunction: (keyFunction) => {
        const token = `key-${this.#keyFunctions.size + 1}`
        this.#keyFunctions.set(token, keyFunction)
        return token
      },
    }
  }

  watch(watcher: number, watched: number, on: boolean): Promise<void> {
    return watcher === watched ? Promise.resolve() : this.#options.system.watch(watcher, watched, on)
  }

  /** `ctx.offload`: the task runs in the system's pool; an abort is forwarded as a cancel. */
  async offload<F extends TaskFunction>(task: TaskRef<F>, input: TaskInput<F>, options: Omit<OffloadOptions, 'transferList'> | undefined): Promise<TaskOutput<F>> {
    const { signal, timeoutMs } = options ?? {}
    signal?.throwIfAborted()
    const id = this.#nextOffload++
    const cancel = (): void => this.#options.system.cancelOffload(id)
    signal?.addEventListener('abort', cancel, { once: true })
    try {
      return (await this.#options.system.offload({ id, module: task.module, export: task.export, input, timeoutMs })) as TaskOutput<F>
    } catch (error) {
      if (signal?.aborted) throw signal.reason
      throw error
    } finally {
      signal?.removeEventListener('abort', cancel)
    }
  }

  /** Stops an actor anywhere (children first); used by `ctx.stop`. `exit`: the actor stops itself. */
  requestStop(id: number, exit: boolean): Promise<void> {
    return this.#options.system.stop(id, exit)
  }

  async lookup<A>(name: string): Promise<ActorRef<A> | undefined> {
    const info = await this.#options.system.lookup(name)
    return info && this.refTo<A>(info.id, info.thread, info.name, info.window)
  }

  /** A ref to an actor that lives on `thread`, usable from this thread. */
  refTo<A>(id: number, thread: number, name?: string, window = 0): ActorRefImpl<A> {
    return new ActorRefImpl<A>(id, thread, name, this, undefined, window)
  }

  stats(): HostStats {
    let mailboxDepth = 0
    let parked = 0
    for (const cell of this.#cells.values()) {
      mailboxDepth += cell.mailbox.length
      parked += cell.mailbox.parked
    }
    const awaitingCredit = this.#flow.awaitingCredit
    const { active, idle } = performance.eventLoopUtilization()
    return {
      thread: this.thread,
      generation: this.#options.generation ?? 0,
      actors: this.#cells.size,
      mailboxDepth,
      parked,
      awaitingCredit,
      processed: this.dispatcher.processed,
      pendingAsks: this.asks.size,
      retainedIds: this.#cells.size + this.#awaiting.size + this.#routes.size,
      eventLoop: { active, idle },
      sampledAt: performance.timeOrigin + performance.now(),
    }
  }

  /** Flushes what is queued for other threads and closes every channel. Pending asks fail. */
  close(): void {
    if (this.#closed) return
    this.#flush()
    this.#closed = true
    clearInterval(this.#reclaimTimer)
    this.#flow.close()
    for (const link of this.#links.values()) link.close()
    this.#links.clear()
    this.asks.failAll(() => new SystemShutdownError('ask'))
  }

  /**
   * The worker at `thread` died. What this thread had sent it and it had not processed is known
   * from the link's ledger: dead letters `worker-died`, or (actors in `atLeastOnce`) queued again
   * for the restarted actors. The asks waiting on it fail now (no reply can come), and the
   * channel keeps what is sent from now on for the worker that replaces it.
   */
  threadDied(thread: number, reason: string, atLeastOnce: readonly number[] = []): void {
    const link = this.#links.get(thread)
    // Detached first, so nothing queued again can go to the dead port; accounted before the asks
    // fail, so a send still waiting to be accepted is told apart (its caller retries, if anyone).
    link?.detach()
    if (link !== undefined && !this.#closed) accountForDeadPeer(this, link, new Set(atLeastOnce))
    this.asks.failThread(thread, reason)
    this.#flow.threadDied(thread)
  }
}

/**
 * Replies addressed to a worker that died are delivered to its replacement (channels keep what
 * was sent to a dead thread). Each generation of a thread numbers its asks in its own range, so
 * such a stale reply matches no ask of the replacement and is ignored. 2^40 asks per generation;
 * ranges repeat after 8 192 replacements of one slot, which stay clear of 2^53.
 */
function firstCorrelation(generation: number): number {
  return 1 + (generation % 8192) * 2 ** 40
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
