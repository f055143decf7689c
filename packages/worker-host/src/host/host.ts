import { InvalidOptionError, SystemShutdownError, type ActorRef, type DeadLetterReason, type MessageOptions, type OffloadOptions, type TaskFunction, type TaskInput, type TaskOutput, type TaskRef } from '@troupe/core'
import { ActorRefImpl, checkBody, createDecoder, decodeWith, describeRef, type RefRuntime, type Selector } from '@troupe/core/internal'
import type { HostStats, SpawnOrder } from '../protocol/control.js'
import { ActorIds } from './actor-ids.js'
import { LocalLifecycle } from './local-lifecycle.js'
import type { Frames } from '../protocol/wire.js'
import type { LinkOwner, PeerLink } from '../transport/peer-link.js'
import { LinkTable } from '../transport/link-table.js'
import { FlowControl } from '../transport/flow-control.js'
import type { ActorCell, CellHost } from './actor-cell.js'
import { Dispatcher } from './dispatcher.js'
import { envelope, type Envelope, type Route } from './envelope.js'
import { accountForDeadPeer } from '../transport/delivery-accounting.js'
import type { DeadLetterRecord, HostOptions } from './host-options.js'
import { InboundReader, type InboundHost } from './inbound.js'
import { LocalActors } from './local-actors.js'
import { ModuleRegistry } from './module-registry.js'
import { PendingAsks, firstCorrelation, selectorName } from './pending-asks.js'
import { offloadTask } from './offload-call.js'
import { Replies } from './replies.js'
import { ChainIds, currentChain } from './reentrancy.js'
import { createActor } from './spawn-here.js'
import type { SpawnInput } from './spawn-request.js'
import { salvageBatch } from './unencodable-batch.js'
import { RouterForwarding } from './router-forwarding.js'
import { serveSystemMessage } from './system-service.js'
import { hostStats } from './host-stats.js'
import { ThreadMetrics } from '../metrics/thread-metrics.js'
import type { ThreadSnapshot } from '../metrics/thread-snapshot.js'
import { ThreadTracing } from '../tracing/thread-tracing.js'
import { Instrument } from './instrument.js'
import { realClock, type Clock } from '../clock/clock.js'
import type { ChannelEnd } from '../link/thread-channel.js'
import { entityTarget, type ThreadEntities } from '../entity/thread-entities.js'
import type { ThreadTopics } from '../pubsub/thread-topics.js'
import { threadServices } from './thread-services.js'
import { ThreadCluster } from '../cluster/thread-cluster.js'
import { isRemoteKey } from '../transport/remote-key.js'

export type { DeadLetterRecord, HostOptions, SystemPort } from './host-options.js'

/**
 * The actor runtime of one thread (a worker, or the main thread): its actors, its dispatcher,
 * its links to other threads, and the asks it waits on. Refs used on this thread send through
 * it. The parts live in their own modules: the actors (`LocalActors`), the links (`LinkTable`),
 * reading what arrives (`InboundReader`), creating actors (`createActor`), the outcomes of
 * messages (`Replies`); this class sends, forwards for routers, and ties them together.
 */
export class Host implements RefRuntime, CellHost, InboundHost, Pick<LinkOwner, 'batchArrived' | 'batchLost' | 'batchUnencodable'> {
  readonly thread: number
  /** The node of this thread (see `ActorAddress`). */
  readonly node: number
  /** How many hosts ran this thread before this one (a replaced worker's successor is 1). */
  readonly generation: number
  /** The last ref `ctx.sender` made here (see actor-context.ts). */
  lastSender: ActorRefImpl | undefined
  readonly dispatcher: Dispatcher
  /** Where this thread's timers and deadlines read the time (real, or a test's manual clock). */
  readonly clock: Clock
  /** 0..1: backoff jitter and random routing draw from it (seeded in deterministic mode). */
  readonly random: () => number
  readonly registry: ModuleRegistry
  readonly asks: PendingAsks
  /** This thread's actor ids (main's host shares its allocator with the directory). */
  readonly ids: ActorIds
  readonly metrics: ThreadMetrics
  readonly #instrument: Instrument
  readonly #options: HostOptions
  readonly #actors: LocalActors
  /** Spawning, stopping, watching and supervising from this thread (its local tree). */
  readonly lifecycle: LocalLifecycle
  readonly #links: LinkTable
  readonly #inbound: InboundReader
  readonly #replies: Replies
  /** Forwarding for the routers on this thread. */
  readonly routing: RouterForwarding
  /** The entities that live on this thread and their reminders (with the system's `persistence`). */
  readonly entities: ThreadEntities | undefined
  /** Pub/sub: this thread's subscribers (and, on main, which threads have subscribers). */
  readonly topics: ThreadTopics
  /** Credit-based flow control towards (and from) actors with `backpressure` mailboxes. */
  readonly #flow: FlowControl
  #closed = false
  /** The entity store's close, started by `close`. */
  #closedStore: Promise<void> | undefined
  #nextOffload = 1
  /** Decodes the batches a link's ledger held, when they must be read again (rare: a death or a refusal). */
  #heldDecoder: ReturnType<typeof createDecoder> | undefined
  /** Call chains started on this thread (see `newChain`). */
  readonly #chains: ChainIds
  /** This thread's links to, and watches of, other nodes (when the system is a node of a cluster). */
  readonly cluster: ThreadCluster | undefined

  constructor(options: HostOptions) {
    this.#options = options
    this.thread = options.thread
    this.node = options.node ?? 0
    this.generation = options.generation ?? 0
    this.dispatcher = new Dispatcher(options.throughput, options.slice && { ...options.slice, thread: options.thread }, options.chooseNext)
    this.metrics = new ThreadMetrics(options.metrics !== undefined, options.metrics?.sampleEvery ?? 1)
    const tracing = ThreadTracing.detect(options.thread)
    this.#instrument = new Instrument(options.thread, this.metrics, tracing)
    this.clock = options.clock ?? realClock
    this.random = options.random ?? Math.random
    this.asks = new PendingAsks(firstCorrelation(options.generation ?? 0), options.metrics && this.metrics, this.clock)
    this.#chains = new ChainIds(options.thread, options.generation ?? 0)
    this.#links = new LinkTable({
      thread: options.thread,
      owner: this,
      connect: (from, to) => options.system.connect(from, to),
      beforeFlush: () => {
        if (!this.#closed) this.#flow.payOwed()
      },
      busyWaitUs: options.busyWaitUs ?? 0,
      busy: () => this.dispatcher.busy || this.#closed,
      remoteLink: (key) => this.cluster!.link(key),
    })
    this.cluster = options.cluster && new ThreadCluster(options.cluster, this, this.#links)
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
    this.registry = options.registry ?? new ModuleRegistry(options.allowList)
    this.ids = options.ids ?? new ActorIds(options.thread, options.generation ?? 0)
    this.#actors = new LocalActors(this, this.ids, options.restoring ?? [])
    this.lifecycle = new LocalLifecycle({
      host: this,
      ids: this.ids,
      actors: this.#actors,
      system: options.system,
      workerCount: options.workerCount,
      maxMessageBytes: options.maxMessageBytes,
      spawnTimeoutMs: options.spawnTimeoutMs,
      askTimeoutMs: options.askTimeoutMs,
      supervision: options.supervision,
    })
    this.#inbound = new InboundReader(this, this.#actors, this.#flow)
    this.routing = new RouterForwarding({
      thread: options.thread,
      asks: this.asks,
      links: this.#links,
      actors: this.#actors,
      registry: this.registry,
      workerCount: options.workerCount,
      maxMessageBytes: options.maxMessageBytes,
      closed: () => this.#closed,
      undeliverable: (recipient, envelope, reason) => this.undeliverable(recipient, envelope, reason),
    })
    ;({ topics: this.topics, entities: this.entities } = threadServices(this, this.#actors, options))
  }

  /** Set while metrics count, a tracer provider is registered, or `troupe:message` has subscribers (see instrument.ts). */
  get instrument(): Instrument | undefined {
    return this.#instrument.forRun()
  }

  // ---- RefRuntime: the send side -------------------------------------------------------------

  entityTarget(name: string, key: string): ActorRefImpl {
    return entityTarget(this, name, key, this.#options.workerCount)
  }

  /** Changes when a cluster's sharded entities may have moved (entity refs then find their target again). */
  get placementEpoch(): number | undefined {
    return this.cluster?.sharding?.placement.epoch
  }

  /** Where a cluster's sharded entities live changed (see ThreadCluster). */
  placementChanged(): void {
    this.entities?.placementChanged()
  }

  tell(ref: ActorRefImpl, selector: Selector, body: unknown): void {
    checkBody(selector, body, this.#options.maxMessageBytes)
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
      checkBody(selector, body, this.#options.maxMessageBytes)
      if (this.#closed) throw new SystemShutdownError(`${onAccept ? 'send' : 'ask'} ${selectorName(selector)} to ${describeRef(ref)}`)
    } catch (error) {
      return Promise.reject(error)
    }
    const correlation = this.asks.reserve()
    // An ask to another node waits under its link's number, so that the node's death fails it.
    const home = ref.node === this.node ? ref.home : (this.cluster?.peers.key(ref.node, ref.home) ?? ref.home)
    const promise = this.asks.create(correlation, home, timeoutMs, ref, selector)
    // An ask (not a send: that is a tell once accepted) made by a handler of a call chain carries the chain.
    this.#send(ref, this.dispatcher.current?.id ?? 0, onAccept ? -correlation : correlation, selector, body, onAccept ? 0 : currentChain())
    return promise
  }

  #send(ref: ActorRefImpl, sender: number, correlation: number, selector: Selector, body: unknown, chain = 0): void {
    const priority = ref.options?.priority === 'normal' ? undefined : ref.options?.priority
    // Inside a span, with tracing on, the message carries the span's context (see tracing/).
    const trace = this.#instrument.tracing?.carry()
    if (trace !== undefined && ref.node === this.node && ref.home !== this.thread && !this.#closed && ref.window === 0) {
      this.#links.get(ref.home).deliverTraced(ref.id, sender, correlation, selector, body, priority, chain, trace)
    } else if (ref.node !== this.node) {
      // Over NATS to a thread of another node; without a cluster, or to a node that is down, refused.
      const key = this.#closed ? undefined : this.cluster?.peers.key(ref.node, ref.home)
      if (key !== undefined) this.#links.get(key).deliver(ref.id, sender, correlation, selector, body, priority)
      else if (this.#closed || !this.cluster) this.undeliverable(ref.id, envelope(sender, this.thread, correlation, selector, body, priority), this.#closed ? 'shutdown' : 'not-found')
      else this.undeliverable(ref.id, envelope(sender, this.thread, correlation, selector, body, priority), 'node-down', this.cluster.peers.downError(ref.node))
    } else if (ref.home === this.thread) {
      this.#actors.deliver(ref.id, envelope(sender, this.thread, correlation, selector, body, priority, undefined, -1, chain, undefined, 0, trace))
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

  newChain(): number {
    return this.#chains.next()
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

  serve(envelope: Envelope): void {
    serveSystemMessage(this, this.#options.system, envelope)
  }

  /** Records a dead letter: here on the main thread, else sent to it. */
  deadLetter(record: DeadLetterRecord): void {
    this.#replies.deadLetter(record)
  }

  actorFailed(cell: ActorCell, error: unknown): void {
    if (this.entities?.owns(cell)) this.entities.shard.failed(cell, error)
    else this.lifecycle.failed(cell, error)
  }

  beforeStop(cell: ActorCell): Promise<void> | undefined {
    return this.lifecycle.tree.beforeStop(cell.id)
  }

  cellStopped(cell: ActorCell): void {
    this.instrument?.stopped(cell)
    const record = cell.localRecord
    this.#actors.remove(cell)
    this.lifecycle.tree.ended(cell.id, record)
    this.topics.actorStopped(cell.id)
    this.entities?.shard.stopped(cell)
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

  // ---- Routers ---------------------------------------------------------------------------------

  routeeDone(route: Route, routee: number): void {
    this.routing.routeeDone(route, routee)
  }

  routeOf(router: number, thread: number): Route {
    return this.routing.routeOf(router, thread)
  }

  // ---- Links ---------------------------------------------------------------------------------

  /** Attaches this thread's end of a channel to `thread` (set up by the system). */
  attachLink(thread: number, end: ChannelEnd): void {
    this.#links.attach(thread, end)
  }

  batchArrived(link: PeerLink, bytes: Uint8Array): void {
    this.dispatcher.ioServed()
    this.#inbound.read(link, decodeWith<Frames>(link.decoder, bytes, this))
  }

  batchLost(link: PeerLink, bytes: Uint8Array): void {
    this.#inbound.readLost(link, decodeWith<Frames>(link.decoder, bytes, this))
  }

  batchUnencodable(link: PeerLink, frames: Frames, error: unknown): void {
    salvageBatch(this, this.#flow, link, frames, error)
  }

  // ---- Lifecycle of actors on this thread ---------------------------------------------------

  /** Creates an actor here, as ordered by the system. Resolves once `onStart` has completed. */
  async spawnHere(order: SpawnOrder): Promise<void> {
    if (this.#closed) throw new SystemShutdownError(`spawn ${order.export}`)
    this.lifecycle.created(order)
    await createActor(this, this.#actors, order, this.#options.workerCount)
  }

  /** `ctx.spawn`: a child on this thread at once (the default), or elsewhere through the system. */
  spawnChild(parent: ActorCell, type: unknown, options: SpawnInput | undefined): ActorRef | Promise<ActorRef> {
    if (this.#closed) throw new SystemShutdownError('spawn')
    return this.lifecycle.spawnFrom(parent, type, options)
  }

  watch(watcher: number, watched: ActorRefImpl, on: boolean): Promise<void> {
    if (watched.node !== this.node) return this.cluster?.watches.watch(watcher, watched, on) ?? Promise.resolve()
    return this.lifecycle.watch(watcher, watched, on)
  }

  /** `ctx.offload`: the task runs in the system's pool; an abort is forwarded as a cancel. */
  offload<F extends TaskFunction>(task: TaskRef<F>, input: TaskInput<F>, options: Omit<OffloadOptions, 'transferList'> | undefined): Promise<TaskOutput<F>> {
    return offloadTask(this.#options.system, this.#nextOffload++, task, input, options)
  }

  /** A ref to an actor that lives on `thread` of this node, usable from this thread. */
  refTo<A>(id: number, thread: number, name?: string, window = 0): ActorRefImpl<A> {
    if (!isRemoteKey(thread)) return new ActorRefImpl<A>(id, thread, name, this, undefined, window, this.node)
    const sender = this.cluster!.senderAddress(thread) // the sender of a message from another node
    return new ActorRefImpl<A>(id, sender.thread, name, this, undefined, 0, sender.node)
  }

  /** A ref to an actor of node `node` (this node's when undefined), usable from this thread. */
  refAt<A>(id: number, thread: number, name: string | undefined, node: number | undefined): ActorRefImpl<A> {
    return node === undefined || node === this.node ? this.refTo<A>(id, thread, name) : new ActorRefImpl<A>(id, thread, name, this, undefined, 0, node)
  }

  /** This thread's figures (see `hostStats`). */
  stats(scope: 'full' | 'load' = 'full'): HostStats {
    const { thread, generation, dispatcher } = this
    return hostStats({ thread, generation, actors: this.#actors, dispatcher, awaitingCredit: this.#flow.awaitingCredit, pendingAsks: this.asks.size, routes: this.routing.routes }, scope)
  }

  /** This thread's metrics, for a scrape (see metrics/). */
  metricsSnapshot(): ThreadSnapshot {
    return this.metrics.snapshot({ thread: this.thread, generation: this.generation, processed: this.dispatcher.processed, cells: () => this.#actors.cells() })
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
    this.#closedStore = Promise.all([this.entities?.close().catch(() => undefined), this.cluster?.close()]).then(() => undefined)
  }

  /** Resolves once `close` has released what it closes in the background (the entity store). */
  get closed(): Promise<void> {
    return this.#closedStore ?? Promise.resolve()
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
    this.topics.threadDied(thread)
  }
}
