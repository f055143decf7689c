import { TERMINATED, encodeValue, fromWireError, toWireError, type ResolvedSystemOptions, type WireError } from '@troupe/core/internal'
import type { Host, SystemPort } from '../host/host.js'
import { ThreadChannels } from './thread-channels.js'
import type { SpareWorkerState } from './spare-worker.js'
import { unwrapResult, type HostDirective, type LocalEvent, type OffloadRequest, type RefInfo, type SpawnRequest } from '../protocol/control.js'
import { Topic } from '../util/topic.js'
import type { ClusterNode } from '../cluster/cluster-node.js'
import type { ClusterTransport } from '../cluster/thread-nats.js'
import { findOnNode, type RemoteRefInfo } from '../cluster/remote-lookup.js'
import { DeadLetterOffice } from './dead-letters.js'
import { Directory, type ActorRecord } from './directory.js'
import { DeathWatch, type WatchedActor, type Watcher } from './death-watch.js'
import { LocalTrees } from './local-trees.js'
import { ActorIds } from '../host/actor-ids.js'
import type { OffloadPool } from '../offload/offload-pool.js'
import { OffloadRequests } from './offload-requests.js'
import { HeartbeatWatchdog, hungReason } from './heartbeat-watchdog.js'
import { Supervisor } from './supervisor.js'
import { Scheduler } from './scheduler.js'
import type { SystemEvent } from './system-events.js'
import type { WorkerHandle, WorkerLaunch } from './worker-handle.js'
import { SystemStore } from '../persistence/system-store.js'
import { createMainHost } from './main-host.js'
import { threadEngine, type SystemEngine } from './system-engine.js'
import { workerControl } from './worker-control.js'
import { WorkerRecovery } from './worker-recovery.js'
import { SystemShutdown, terminateWorkers } from './system-shutdown.js'
import { SystemSpawns } from './system-spawns.js'
import { ActorStops } from './actor-stops.js'
import type { SpawnedBody } from '../protocol/spawn-wire.js'
import { MonitorBoard } from '../monitor/monitor-board.js'
import { Ticker } from '../monitor/ticker.js'
import { SystemMetrics } from '../metrics/system-metrics.js'
import { realClock, sleepOn, type Clock } from '../clock/clock.js'
import { manualClockParts, type ManualClock } from '../clock/manual-clock.js'

type State = 'running' | 'stopping' | 'stopped'

/** Main's per-actor tables, as `stats()` reports them. */
export interface RegistryStats {
  /** Actors in the directory (alive, starting, or waiting to be restored). */
  readonly actors: number
  readonly names: number
  /** Actors that someone watches. */
  readonly watched: number
  /** Supervisors with restart bookkeeping or failures being handled. */
  readonly supervised: number
}

/**
 * The private engine behind `ActorSystem`, on the main thread: it owns the workers, the
 * directory (router), the scheduler and the main thread's own host, and answers the control
 * requests of every host (a worker's come through `workerControl`). What happens when a worker
 * dies is `WorkerRecovery`'s, and how the system ends is `SystemShutdown`'s.
 */
export class SystemRuntime implements SystemPort {
  readonly options: ResolvedSystemOptions
  readonly directory: Directory
  readonly scheduler: Scheduler
  readonly deadLetters = new DeadLetterOffice()
  readonly events = new Topic<SystemEvent>()
  readonly mainHost: Host
  /** The entity store as every thread reaches it; undefined without `persistence`. */
  readonly store: SystemStore | undefined
  readonly workers: WorkerHandle[] = []
  readonly supervisor: Supervisor
  /** Where the main thread's timers read the time (real, or the `clock` option's). */
  readonly clock: Clock
  readonly #channels: ThreadChannels
  /** HTTP endpoints serving this system (metrics, dashboard): closed when it starts shutting down. */
  readonly endpoints = new Set<{ close(): Promise<void> }>()
  /** Every thread's metrics, collected on a scrape (see metrics/). */
  readonly metrics: SystemMetrics
  /** The pool for stateless tasks, when the system was started with `offload`. */
  offloadPool: OffloadPool | undefined
  /** This process as a node of a cluster, when the system was started with `cluster`. */
  cluster: ClusterNode | undefined
  readonly #offloads = new OffloadRequests(() => this.offloadPool)
  readonly #deathWatch = new DeathWatch((watcher, watched) => this.#signalTerminated(watcher, watched))
  readonly #localTrees: LocalTrees
  readonly #watchdog: HeartbeatWatchdog
  /** Coarse clock and progress counters shared by every thread (see MonitorBoard). */
  readonly board: MonitorBoard
  #ticker: Ticker | undefined
  #launch: WorkerLaunch | undefined
  #state: State = 'running'
  readonly #shutdown: SystemShutdown
  readonly #recovery: WorkerRecovery
  readonly #spawns: SystemSpawns
  readonly #stops: ActorStops

  readonly #engine: SystemEngine

  constructor(options: ResolvedSystemOptions, engine: SystemEngine = threadEngine, cluster?: ClusterTransport) {
    this.options = options
    this.#engine = engine
    // The clock option is a ManualClock (see isSystemClock): the main thread's timers are its own.
    this.clock = options.clock === undefined ? realClock : manualClockParts(options.clock as ManualClock).main
    // Main's host and the directory allocate from one range: both create actors on this thread.
    const ids = new ActorIds(0, 0)
    this.directory = new Directory(ids)
    this.scheduler = new Scheduler(options.workers, this.directory)
    this.supervisor = new Supervisor({
      directory: this.directory,
      events: this.events,
      guardian: options.supervision,
      directive: (record, directive, cause) => this.#directive(record, directive, cause),
      recreate: (record, cause) => this.#recovery.recreate(record, cause),
      forgetStopped: (id) => this.#stops.forget(id),
      escalateElsewhere: (parent, error) => this.#localTrees.escalate(parent, error),
      stop: (id) => this.stop(id),
      leafThread: (id) => this.directory.leafThread(id),
      fatal: (error) => this.#shutdown.fatal(error),
      now: () => this.clock.now(),
      sleep: (ms) => sleepOn(this.clock, ms),
      random: engine.random ?? Math.random,
    })
    this.board = MonitorBoard.create(options.workers)
    this.store = options.persistence && new SystemStore(options.persistence, options.entities.idleTimeoutMs)
    this.#watchdog = new HeartbeatWatchdog(() => this.workers, {
      intervalMs: options.heartbeatIntervalMs,
      timeoutMs: options.handlerHangMs,
      progress: (thread) => this.board.progress(thread),
      // A hung worker (a busy loop, a long synchronous call) is terminated, which also stops busy
      // loops, and its exit is then recovered like a crash.
      onSilent: (worker, silentMs) => {
        this.events.publish({ type: 'worker-hung', thread: worker.thread, silentMs: Math.round(silentMs) })
        worker.kill(hungReason(silentMs, options.handlerHangMs))
      },
    })
    this.mainHost = createMainHost(options, { system: this, ids, deadLetters: this.deadLetters.post, board: this.board, clock: this.clock, store: this.store, engine, cluster })
    this.metrics = new SystemMetrics({
      mainSnapshot: () => this.mainHost.metricsSnapshot(),
      workers: options.workers,
      workerSnapshot: (thread) => this.workers[thread - 1]!.call((control) => control.metrics()),
      events: this.events,
      deadLetters: () => this.deadLetters.countsByReason,
      offloadStats: () => this.offloadPool?.stats(),
    })
    this.#stops = new ActorStops({
      directory: this.directory,
      mainHost: this.mainHost,
      events: this.events,
      stopTimeoutMs: options.stopTimeoutMs,
      supervisor: this.supervisor,
      deathWatch: this.#deathWatch,
      running: () => this.#state === 'running',
    })
    this.#channels = new ThreadChannels({ mainHost: this.mainHost, worker: (thread) => this.#worker(thread), stopped: () => this.#state === 'stopped', channel: (from, to) => engine.channel(from, to) })
    this.#localTrees = new LocalTrees({
      directory: this.directory,
      deathWatch: this.#deathWatch,
      events: this.events,
      mainHost: this.mainHost,
      worker: (thread) => this.#worker(thread),
      stop: (id) => this.stop(id),
    })
    this.#shutdown = new SystemShutdown({
      directory: this.directory,
      mainHost: this.mainHost,
      workers: this.workers,
      watchdog: this.#watchdog,
      timeoutMs: options.shutdownTimeoutMs,
      offloadPool: () => this.offloadPool,
      ticker: () => this.#ticker,
      stop: (id) => this.stop(id),
      ...(this.store ? { closeStore: () => this.store!.close() } : {}),
      setState: (state) => {
        this.#state = state
        if (state === 'stopping') for (const endpoint of [...this.endpoints]) void endpoint.close().catch(() => undefined)
      },
    })
    this.#recovery = new WorkerRecovery({
      directory: this.directory,
      events: this.events,
      mainHost: this.mainHost,
      supervisor: this.supervisor,
      workers: this.workers,
      workerCount: options.workers,
      running: () => this.#state === 'running',
      startWorker: (thread, restoring, generation) => this.#startWorker(thread, restoring, generation),
      worker: (thread) => this.#worker(thread),
      forgetChannels: (thread) => this.#channels.forget(thread),
      localTreeDied: (thread) => this.#localTrees.threadDied(thread),
      connect: (from, to) => this.connect(from, to),
      fatal: (error) => this.#shutdown.fatal(error),
    })
    this.#spawns = new SystemSpawns({
      directory: this.directory,
      scheduler: this.scheduler,
      supervisor: this.supervisor,
      events: this.events,
      mainHost: this.mainHost,
      workers: options.workers,
      spawnTimeoutMs: options.spawnTimeoutMs,
      askTimeoutMs: options.askTimeoutMs,
      delivery: options.delivery,
      running: () => this.#state === 'running',
      worker: (thread) => this.#worker(thread),
      stop: (id, exit, thread) => this.stop(id, exit, thread),
    })
    engine.attached?.(this)
  }

  /** Sizes of main's per-actor tables (for `stats()`): they follow the live actors. */
  get registry(): RegistryStats {
    return { actors: this.directory.size, names: this.directory.names, watched: this.#deathWatch.size, supervised: this.supervisor.tracked }
  }

  /** The pre-started spare worker's state, or 'off' when the system runs without one (`stats()`). */
  get spareWorker(): SpareWorkerState {
    return this.#launch?.spares?.state ?? (this.options.spareWorker ? 'none' : 'off')
  }

  /** True once `shutdown()` has begun (also when the guardian gave up): the façade refuses calls. */
  get closing(): boolean {
    return this.#state !== 'running'
  }

  async startWorkers(launch: WorkerLaunch): Promise<void> {
    this.#launch = this.store ? { ...launch, store: this.store } : launch
    if (this.#engine.realThreads) this.#ticker = new Ticker(this.board)
    for (let thread = 1; thread <= this.options.workers; thread++) this.workers.push(this.#startWorker(thread, []))
    try {
      await Promise.all(this.workers.map((worker) => worker.ready()))
    } catch (error) {
      await terminateWorkers(this.workers)
      this.mainHost.close()
      await this.#ticker?.stop()
      throw error
    }
    if (this.#engine.realThreads) this.#watchdog.start()
    // Entities (and their reminders) live on main only in a system without workers.
    if (this.options.workers === 0) void this.mainHost.entities?.start().catch((error: unknown) => this.events.publish({ type: 'actor-failed', actor: 0, error: error as Error, directive: 'resume' }))
  }

  #startWorker(thread: number, restoring: number[], generation = 0): WorkerHandle {
    const handle = this.#engine.startWorker({ thread, launch: this.#launch!, board: this.board.buffer, systemApi: workerControl(this, thread), mainHost: this.mainHost, restoring, generation })
    void handle.exited.then((exit) => {
      if (!exit.expected) void this.#recovery.recover(handle)
    })
    // The spare worker starts once the system's first workers are all ready (a replacement's
    // recovery starts the next one, see WorkerRecovery): not while they boot on the same cores.
    if (generation === 0) {
      void handle.ready().then(
        () => {
          if (this.#state === 'running' && this.workers.length === this.options.workers && this.workers.every((worker) => worker.started)) handle.spares?.refill()
        },
        () => undefined,
      )
    }
    return handle
  }

  // ---- SystemPort (what hosts ask of the system) ---------------------------------------------

  spawn(parent: number, request: SpawnRequest): Promise<RefInfo> {
    return this.#spawns.spawn(parent, request)
  }

  /** A worker's child, spawned straight on another worker, started: main records and supervises it. */
  spawned(body: SpawnedBody): void {
    this.#spawns.spawned(body)
  }

  /** Stops an actor and its subtree (see ActorStops). */
  stop(id: number, exit = false, thread?: number): Promise<void> {
    return this.#stops.stop(id, exit, thread)
  }

  async lookup(name: string): Promise<RefInfo | undefined> {
    return this.directory.lookup(name, this.options.workers)
  }

  lookupOnNode(name: string, node: string): Promise<RemoteRefInfo | undefined> {
    return findOnNode(this, name, node)
  }

  /** `ctx.offload` from a host: runs in the pool; `cancelOffload` aborts it. */
  offload(request: OffloadRequest, thread = 0): Promise<unknown> {
    return this.#offloads.run(request, thread)
  }

  cancelOffload(id: number, thread = 0): void {
    this.#offloads.cancel(id, thread)
  }

  /** Death watch; resolves once registered. */
  watch(watcher: number, watcherThread: number, watched: number, watchedThread: number, on: boolean): Promise<void> {
    return this.#localTrees.watch({ id: watcher, thread: watcherThread }, watched, watchedThread, on)
  }

  #signalTerminated(watcher: Watcher, watched: WatchedActor): void {
    if (this.#state === 'stopped') return
    // Over the data plane, so it arrives behind what main sent the watcher before.
    // The node goes along: a watcher on another node builds a ref to an actor of this one.
    this.mainHost.tell(this.mainHost.refTo(watcher.id, watcher.thread), TERMINATED, [watched.id, watched.thread, watched.name, this.mainHost.node])
  }

  // ---- What threads report of their local trees (see LocalTrees) -----------------------------

  async registerName(info: RefInfo): Promise<void> {
    this.#localTrees.registerName(info)
  }

  localEnded(id: number, thread: number, name: string | undefined): void {
    this.#localTrees.ended(id, thread, name)
  }

  stopChildren(parent: number): Promise<void> {
    return this.#localTrees.stopChildren(parent)
  }

  localEvent(event: LocalEvent): void {
    this.#localTrees.event(event)
  }

  /** Sets up the direct channel between two threads, once, and hands each end its port. */
  connect(from: number, to: number): void {
    this.#channels.connect(from, to)
  }

  actorFailed(id: number, error: WireError): void {
    this.#spawns.failed(id, fromWireError(error))
  }

  /** New constructor arguments for an actor's re-creation after a crash (a group router's membership). */
  replaceArgs(id: number, args: unknown[]): void {
    const record = this.directory.get(id)
    if (record) record.blueprint = { ...record.blueprint, args: encodeValue(args) }
  }

  /** A graceful shutdown, forced past `shutdownTimeoutMs` (see `SystemShutdown`). */
  shutdown(): Promise<void> {
    return this.#shutdown.begin()
  }

  /** Resolves when the system has shut down; rejects with the error if the guardian gave up. */
  whenTerminated(): Promise<void> {
    return this.#shutdown.terminated
  }

  /** Carries out a supervisor's directive on the thread hosting the actor. */
  async #directive(record: ActorRecord, directive: HostDirective, cause: Error): Promise<void> {
    if (record.lost) return directive === 'pause' ? undefined : this.#recovery.recreate(record, cause)
    if (record.thread === 0) return this.mainHost.lifecycle.supervise(record.id, directive, cause)
    const wire = toWireError(cause)
    await this.#worker(record.thread).call(async (control) => unwrapResult(await control.supervise(record.id, directive, wire)))
  }

  // ---- internals -----------------------------------------------------------------------------

  #worker(thread: number): WorkerHandle {
    const worker = this.workers[thread - 1]
    if (!worker) throw new Error(`no worker ${thread}`)
    return worker
  }
}

