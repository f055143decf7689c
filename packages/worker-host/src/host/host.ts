import {
  SpawnTimeoutError,
  SystemShutdownError,
  type ActorRef,
  type MessageOptions,
  type DeadLetterReason,
  InvalidOptionError,
  type OffloadOptions,
  type TaskFunction,
  type TaskInput,
  type TaskOutput,
  type TaskRef,
} from '@troupe/core'
import { ActorRefImpl, RECEIVE, checkMessage, createDecoder, decodeWith, describeRef, toWireError, type KeyFunction, type RefRuntime, type Selector } from '@troupe/core/internal'
import type { MessagePort } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'
import type { HostDirective, HostStats, RefInfo, SpawnOrder, SpawnRequest } from '../protocol/control.js'
import type { Frames } from '../protocol/wire.js'
import type { LinkOwner, PeerLink } from '../transport/peer-link.js'
import { LinkTable } from '../transport/link-table.js'
import { FlowControl } from '../transport/flow-control.js'
import type { ActorCell, CellHost } from './actor-cell.js'
import { Dispatcher } from './dispatcher.js'
import { envelope, routed, settle, type Envelope, type Route } from './envelope.js'
import { accountForDeadPeer } from '../transport/delivery-accounting.js'
import type { DeadLetterRecord, HostOptions } from './host-options.js'
import { InboundReader, type InboundHost } from './inbound.js'
import { LocalActors } from './local-actors.js'
import { ModuleRegistry } from './module-registry.js'
import { PendingAsks } from './pending-asks.js'
import { offloadTask } from './offload-call.js'
import { Replies } from './replies.js'
import { currentChain } from './reentrancy.js'
import { createActor } from './spawn-here.js'
import { buildSpawnRequest } from './spawn-request.js'
import { salvageBatch } from './unencodable-batch.js'
import { withDeadline } from '../util/deadline.js'
import type { RouterCellHost } from '../router/router-cell.js'
import type { RouterRequestContext } from '../router/router-request.js'

export type { DeadLetterRecord, HostOptions, SystemPort } from './host-options.js'

const selectorName = (selector: Selector): string => (typeof selector === 'string' ? selector : selector === RECEIVE ? 'receive' : 'system message')

/**
 * The actor runtime of one thread (a worker, or the main thread): its actors, its dispatcher,
 * its links to other threads, and the asks it waits on. Refs used on this thread send through
 * it. The parts live in their own modules: the actors (`LocalActors`), the links (`LinkTable`),
 * reading what arrives (`InboundReader`), creating actors (`createActor`), the outcomes of
 * messages (`Replies`); this class sends, forwards for routers, and ties them together.
 */
export class Host implements RefRuntime, CellHost, RouterCellHost, InboundHost, Pick<LinkOwner, 'batchArrived' | 'batchUnencodable'> {
  readonly thread: number
  readonly dispatcher: Dispatcher
  readonly registry: ModuleRegistry
  readonly asks: PendingAsks
  readonly #options: HostOptions
  readonly #actors: LocalActors
  readonly #links: LinkTable
  readonly #inbound: InboundReader
  readonly #replies: Replies
  /** The route object of each router that tracked a message here (one per router, shared). */
  readonly #routes = new Map<number, Route>()
  /** Main thread: consistent-hash key functions of routers placed here, by token. */
  readonly #keyFunctions = new Map<string, KeyFunction>()
  /** Credit-based flow control towards (and from) actors with `backpressure` mailboxes. */
  readonly #flow: FlowControl
  #closed = false
  #nextOffload = 1
  /** Decodes the batches a link's ledger held, when they must be read again (rare: a death or a refusal). */
  #heldDecoder: ReturnType<typeof createDecoder> | undefined
  /** Call chains started on this thread (see `newChain`). */
  #nextChain: number

  constructor(options: HostOptions) {
    this.#options = options
    this.thread = options.thread
    this.dispatcher = new Dispatcher(options.throughput, options.slice && { ...options.slice, thread: options.thread })
    this.asks = new PendingAsks(firstCorrelation(options.generation ?? 0))
    this.#nextChain = 1 + ((options.generation ?? 0) % 2048) * 2 ** 25
    this.#links = new LinkTable({
      thread: options.thread,
      owner: this,
      connect: (from, to) => options.system.connect(from, to),
      beforeFlush: () => {
        if (!this.#closed) this.#flow.payOwed()
      },
    })
    this.#flow = new FlowControl({
      thread: options.thread,
      link: (thread) => this.#links.get(thread),
      requestFlush: () => this.#links.requestFlush(),
      abandon: (target, held) => this.undeliverable(target, held, 'shutdown'),
    })
    this.#replies = new Replies({
      thread: options.thread,
      maxMessageBytes: options.maxMessageBytes,
      asks: this.asks,
      links: this.#links,
      deadLetters: options.deadLetters,
      routeeDone: (route, routee) => this.routeeDone(route, routee),
      creditReturned: (thread, target) => this.creditReturned(thread, target),
    })
    this.registry = new ModuleRegistry(options.allowList)
    this.#actors = new LocalActors(this, options.restoring ?? [])
    this.#inbound = new InboundReader(this, this.#actors, this.#flow)
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
      this.#actors.deliver(ref.id, envelope(sender, this.thread, correlation, selector, body, priority, undefined, -1, chain))
    } else if (this.#closed) {
      this.undeliverable(ref.id, envelope(sender, this.thread, correlation, selector, body, priority), 'shutdown')
    } else if (chain !== 0 && ref.window === 0) {
      // Only chained asks use this frame, so the common frames stay as they are. (To a
      // flow-controlled actor the ask goes credited, in order with what waits for credit, without its chain.)
      this.#links.get(ref.home).deliverChain(ref.id, sender, correlation, selector, body, priority, chain)
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

  // ---- CellHost: replies, failures, dead letters ---------------------------------------------

  replyOk(envelope: Envelope, value: unknown): void {
    this.#replies.ok(envelope, value)
  }

  replyError(envelope: Envelope, error: unknown): void {
    this.#replies.error(envelope, error)
  }

  undeliverable(recipient: ActorRefImpl | number, envelope: Envelope, reason: DeadLetterReason, error?: Error): void {
    this.#replies.undeliverable(typeof recipient === 'number' ? recipient : recipient.id, envelope, reason, error)
  }

  /** Records a dead letter: here on the main thread, else sent to it. */
  deadLetter(record: DeadLetterRecord): void {
    this.#replies.deadLetter(record)
  }

  actorFailed(cell: ActorCell, error: unknown): void {
    this.#options.system.actorFailed(cell.id, toWireError(error))
  }

  cellStopped(cell: ActorCell): void {
    this.#actors.remove(cell)
  }

  // ---- AccountingHost: what a link's ledger needs ---------------------------------------------

  decodeBatch(bytes: Uint8Array): Frames {
    // Each batch defines its own record structures, so one held batch decodes on its own.
    return decodeWith<Frames>((this.#heldDecoder ??= createDecoder()), bytes, this)
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
      else if (!this.#closed) this.#links.get(original.senderThread).rerouted(correlation, routee.home)
    }
    if (routee.home === this.thread) {
      this.#actors.deliver(routee.id, routed(original, route))
    } else if (this.#closed) {
      this.undeliverable(routee.id, routed(original, route), 'shutdown')
    } else {
      // Handed on: the forward is a message of this thread now, under this thread's accounting.
      settle(original)
      const { sender, senderThread, correlation, selector, body, priority } = original
      this.#links.get(routee.home).forward(routee.id, sender, senderThread, correlation, selector, body, priority, route?.router ?? 0)
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
      if (!this.#closed) this.#links.get(route.thread).routed(route.router, routee)
      return
    }
    this.#actors.routed(route.router, routee)
  }

  localKeyFunction(token: string): KeyFunction | undefined {
    return this.#keyFunctions.get(token)
  }

  // ---- Links ---------------------------------------------------------------------------------

  /** Attaches this thread's end of a channel to `thread` (set up by the system). */
  attachLink(thread: number, port: MessagePort): void {
    this.#links.attach(thread, port)
  }

  batchArrived(link: PeerLink, bytes: Uint8Array): void {
    this.dispatcher.ioServed()
    this.#inbound.read(link, decodeWith<Frames>(link.decoder, bytes, this))
  }

  batchUnencodable(link: PeerLink, frames: Frames, error: unknown): void {
    salvageBatch(this, this.#flow, link, frames, error)
  }

  // ---- Lifecycle of actors on this thread ---------------------------------------------------

  /** Creates an actor here, as ordered by the system. Resolves once `onStart` has completed. */
  async spawnHere(order: SpawnOrder): Promise<void> {
    if (this.#closed) throw new SystemShutdownError(`spawn ${order.export}`)
    await createActor(this, this.#actors, order, this.#options.workerCount)
  }

  /** A supervisor's directive for a failed actor of this thread. */
  async supervise(id: number, directive: HostDirective, cause: Error): Promise<void> {
    const cell = this.#actors.get(id)
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
  offload<F extends TaskFunction>(task: TaskRef<F>, input: TaskInput<F>, options: Omit<OffloadOptions, 'transferList'> | undefined): Promise<TaskOutput<F>> {
    return offloadTask(this.#options.system, this.#nextOffload++, task, input, options)
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
    for (const cell of this.#actors.cells()) {
      mailboxDepth += cell.mailbox.length
      parked += cell.mailbox.parked
    }
    const awaitingCredit = this.#flow.awaitingCredit
    const { active, idle } = performance.eventLoopUtilization()
    return {
      thread: this.thread,
      generation: this.#options.generation ?? 0,
      actors: this.#actors.size,
      mailboxDepth,
      parked,
      awaitingCredit,
      processed: this.dispatcher.processed,
      pendingAsks: this.asks.size,
      retainedIds: this.#actors.size + this.#actors.awaiting + this.#routes.size,
      eventLoop: { active, idle },
      sampledAt: performance.timeOrigin + performance.now(),
    }
  }

  /** Flushes what is queued for other threads and closes every channel. Pending asks fail. */
  close(): void {
    if (this.#closed) return
    this.#links.flush()
    this.#closed = true
    this.#replies.close()
    this.#flow.close()
    this.#links.close()
    this.asks.failAll(() => new SystemShutdownError('ask'))
  }

  /**
   * The worker at `thread` died. What this thread had sent it and it had not processed is known
   * from the link's ledger: dead letters `worker-died`, or (actors in `atLeastOnce`) queued again
   * for the restarted actors. The asks waiting on it fail now (no reply can come), and the
   * channel keeps what is sent from now on for the worker that replaces it.
   */
  threadDied(thread: number, reason: string, atLeastOnce: readonly number[] = []): void {
    const link = this.#links.find(thread)
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
