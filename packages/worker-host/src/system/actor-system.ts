import { entityRef } from '../entity/entity-ref.js'
import type {
  ActorClass,
  ActorRef,
  ActorSystemOptions,
  ActorTypeRef,
  EntityClass,
  EntityTypeRef,
  GroupRouter,
  Topic,
  OffloadOptions,
  PoolRouter,
  PoolRouterOptions,
  RouterOptions,
  SpawnOptions,
  TaskFunction,
  TaskInput,
  TaskOutput,
  TaskRef,
} from '@troupe/core'
import { InvalidOptionError, SystemShutdownError, TaskNotAllowedError, WorkerCrashedError } from '@troupe/core'
import { ActorRefImpl, resolveSystemOptions } from '@troupe/core/internal'
import type { HostStats } from '../protocol/control.js'
import { OffloadPool, type OffloadStats } from '../offload/offload-pool.js'
import type { Subscribable } from '../util/topic.js'
import type { DeadLetters } from './dead-letters.js'
import type { SystemEvent } from './system-events.js'
import { manualClockParts, type ManualClock } from '../clock/manual-clock.js'
import { systemClockDriver } from '../clock/system-clock-driver.js'
import { engineFor } from './system-engine.js'
import { UtilizationWindows } from './utilization-windows.js'
import type { SpareWorkerState } from './spare-worker.js'
import { SystemRuntime, type RegistryStats } from './system-runtime.js'
import { RouterHandle } from '../router/router-handle.js'
import { buildRouterRequest } from '../router/router-request.js'
import { poolLaunch, resolveModuleSources, workerLaunch } from './launch.js'
import { checkNoProgramEntry } from '../host/program-entry.js'
import type { Registry } from 'prom-client'
import { createRegistry } from '../metrics/prometheus.js'
import type { MetricsSnapshot } from '../metrics/system-metrics.js'
import { spawnChannel, type SpawnContext } from '../diagnostics/channels.js'
import { spawnTypeName, traceOperation } from '../diagnostics/trace-operation.js'
import { serveMetrics, type MetricsServer, type MetricsServerOptions } from '../metrics/metrics-server.js'
import { startDashboard, type DashboardHandle, type DashboardOptions } from '../dashboard/start-dashboard.js'
import { clusterTransport, joinCluster } from '../cluster/join-cluster.js'
import { lookupOnNode } from '../cluster/remote-lookup.js'
import { isNodePlacement, spawnOnNode } from '../cluster/remote-spawn.js'
import { stopOnNode } from '../cluster/remote-stop.js'
import type { Cluster } from '../cluster/cluster-node.js'
import { openStream, type DurableStream } from '../durable/durable-stream.js'

/** `spawn`'s options argument: required exactly when the constructor takes required arguments. */
export type SpawnArguments<C extends ActorClass> = [] extends ConstructorParameters<C>
  ? [options?: SpawnOptions<ConstructorParameters<C>>]
  : [options: SpawnOptions<ConstructorParameters<C>>]

export interface ThreadStats extends HostStats {
  readonly kind: 'main' | 'worker'
  /** Event-loop utilisation (0..1) since this system's previous `stats()` call (or thread start). */
  readonly utilization: number
}

export interface SystemStats {
  /** Thread 0 is the main thread; 1..N are the workers. */
  readonly threads: readonly ThreadStats[]
  /** The thread budget and how it is split. */
  readonly budget: { readonly threads: number; readonly workers: number; readonly offloadThreads: number }
  /** The offload pool, when there is one. */
  readonly offload: OffloadStats | undefined
  /** The main thread's tables of actors, names, watches and supervisors. */
  readonly registry: RegistryStats
  /**
   * The pre-started spare worker (`spareWorker: true`): `'ready'` once it has loaded troupe's
   * modules, `'booting'` before, `'none'` while there is none idle (just taken by a replacement,
   * or not started yet), `'off'` without the option.
   */
  readonly spareWorker: SpareWorkerState
}

/** Each system's engine, for troupe's own test kit (not public API). */
const runtimes = new WeakMap<ActorSystem, SystemRuntime>()

/** The private engine behind a system (the test kit reaches its workers and options through it). */
export function runtimeOf(system: ActorSystem): SystemRuntime {
  const runtime = runtimes.get(system)
  if (runtime === undefined) throw new InvalidOptionError('system', 'an ActorSystem', system)
  return runtime
}

/**
 * A running actor system: a set of worker threads (plus the main thread) hosting actors.
 *
 * ```ts
 * await using system = await ActorSystem.start({ actors: [new URL('./counter.js', import.meta.url)] })
 * const counter = await system.spawn(Counter)
 * counter.tell.inc(5)
 * const n = await counter.ask.get()
 * ```
 */
export class ActorSystem implements AsyncDisposable {
  readonly #runtime: SystemRuntime
  #registry: Registry | undefined
  /** The utilisation window of `stats()` (its own, not a scrape's). */
  readonly #utilization = new UtilizationWindows()

  private constructor(runtime: SystemRuntime) {
    this.#runtime = runtime
    runtimes.set(this, runtime)
  }

  /** Starts the workers and resolves once every one of them is ready. */
  static async start(options: ActorSystemOptions): Promise<ActorSystem> {
    const resolved = resolveModuleSources(resolveSystemOptions(options))
    checkNoProgramEntry('actors', resolved.actors)
    checkNoProgramEntry('offload.tasks', resolved.offload?.tasks ?? [])
    const engine = engineFor(options)
    // A node's id is drawn before any thread starts: every ref made on it carries it.
    const cluster = resolved.cluster && clusterTransport(resolved.cluster, resolved.persistence)
    const runtime = new SystemRuntime(resolved, engine, cluster)
    const clock = resolved.clock && manualClockParts(resolved.clock as ManualClock)
    if (clock) {
      clock.attach(runtime, engine.clockDriver?.() ?? systemClockDriver(clock.main, runtime.mainHost, () => runtime.workers))
      void runtime.whenTerminated().then(
        () => clock.detach(runtime),
        () => clock.detach(runtime),
      )
    }
    const launch = workerLaunch(resolved)
    if (cluster) launch.init.cluster = cluster
    if (resolved.offload) runtime.offloadPool = new OffloadPool(resolved.offload, poolLaunch(resolved, launch), runtime.metrics.offload)
    await runtime.startWorkers(launch)
    if (resolved.cluster && cluster) await joinCluster(runtime, resolved.cluster, cluster)
    return new ActorSystem(runtime)
  }

  /**
   * Runs a stateless task in the offload pool (piscina) and resolves with its result. Rejects
   * with the task's error (class, `code`, stack kept), `OffloadQueueFullError` when the queue is
   * full, or the signal's reason (`AbortError`, `TimeoutError`) when aborted or past
   * `timeoutMs`, in which case a running task's thread is terminated.
   */
  offload<F extends TaskFunction>(task: TaskRef<F>, input: TaskInput<F>, options?: OffloadOptions): Promise<TaskOutput<F>> {
    if (this.#runtime.closing) return this.#shutDown('offload')
    const pool = this.#runtime.offloadPool
    if (!pool) return Promise.reject(new TaskNotAllowedError(String(task?.module), String(task?.export), 'the system has no offload pool (start it with the `offload` option)'))
    return pool.run(task, input, options) as Promise<TaskOutput<F>>
  }

  /** Number of worker threads. */
  get workers(): number {
    return this.#runtime.options.workers
  }

  /** Every undeliverable message, counted and observable. */
  get deadLetters(): DeadLetters {
    return this.#runtime.deadLetters
  }

  /** Actor failures and worker crashes, for logs and metrics. */
  get events(): Subscribable<SystemEvent> {
    return this.#runtime.events
  }

  /** The cluster this system is a node of (see the `cluster` option); undefined without one. */
  get cluster(): Cluster | undefined {
    return this.#runtime.cluster
  }

  /** Creates a top-level actor. Resolves once its constructor and `onStart` have completed. */
  spawn<C extends ActorClass>(type: C | ActorTypeRef<C>, ...[options]: SpawnArguments<C>): Promise<ActorRef<InstanceType<C>>> {
    if (this.#runtime.closing) return this.#shutDown('spawn')
    if (isNodePlacement(options)) return spawnOnNode<InstanceType<C>>(this.#runtime, type, options)
    const spawn = (): Promise<ActorRef<InstanceType<C>>> => this.#runtime.mainHost.lifecycle.spawnElsewhere<InstanceType<C>>(0, type, options)
    if (!spawnChannel.hasSubscribers) return spawn()
    return traceOperation(spawnChannel, { thread: 0, parent: 0, actorType: spawnTypeName(type) } as SpawnContext, spawn)
  }

  /**
   * A ref to the entity of type `type` with key `key` (see `Entity`), at once: no round trip,
   * nothing activated until its first message, which activates it on the worker its (type, key)
   * hashes to. The ref is only a name: it stays valid across passivation, worker crashes and
   * process restarts, and can be sent in messages or stored. Needs the `persistence` option.
   */
  entity<C extends EntityClass>(type: C | EntityTypeRef<C>, key: string): ActorRef<InstanceType<C>> {
    return entityRef(this.#runtime.mainHost, type, key)
  }

  /**
   * The pub/sub topic named `name`: `publish` from here, and `subscribe` a plain callback that runs
   * on the main thread (to bridge a websocket, say). Actors publish with `ctx.topic(name)` and
   * subscribe with `ctx.subscribe(name, method)`. A publish crosses to each thread with
   * subscribers once and fans out there.
   */
  topic<T>(name: string): Topic<T> {
    return this.#runtime.mainHost.topics.topic<T>(name)
  }

  /**
   * The durable event stream named `name` on NATS JetStream, shared by the cluster's nodes:
   * `publish` events, and `handle` them at least once with retries and dead letters (see
   * docs/durable-handlers.md). Throws `ClusterError` without the `cluster` option.
   */
  stream<T>(name: string): DurableStream<T> {
    return openStream<T>(this, this.#runtime, name)
  }

  /**
   * Creates a router: a ref whose messages go to its routees, chosen by `strategy`.
   * - Pool: `system.router(Worker, { strategy, size, routee })` spawns `size` routees as the
   *   router's children; the router supervises them (`supervision`) and can be resized.
   * - Group: `system.router([a, b, c], { strategy })` routes to existing actors.
   * Resolves once the routees are in place.
   */
  router<C extends ActorClass>(type: C | ActorTypeRef<C>, options: PoolRouterOptions<ConstructorParameters<C>>): Promise<PoolRouter<InstanceType<C>>>
  router<A>(routees: readonly ActorRef<A>[], options: RouterOptions): Promise<GroupRouter<A>>
  async router(target: unknown, options: RouterOptions): Promise<PoolRouter<unknown> & GroupRouter<unknown>> {
    if (this.#runtime.closing) return this.#shutDown('router')
    const host = this.#runtime.mainHost
    const { request, args } = await buildRouterRequest(host.routing.requestContext, target, options)
    const info = await this.#runtime.spawn(0, request)
    return new RouterHandle(info.id, info.thread, host.node, info.name, host, args, (updated) => this.#runtime.replaceArgs(info.id, [updated]))
  }

  /**
   * Finds a live actor by name: on this node, or with `{ node }` on the node of the cluster with
   * that name (asked over NATS; `ClusterError` if no live node has that name).
   */
  lookup<A = unknown>(name: string, options?: { readonly node?: string }): Promise<ActorRef<A> | undefined> {
    if (typeof name !== 'string') return Promise.reject(new InvalidOptionError('name', 'a string', name))
    if (this.#runtime.closing) return this.#shutDown('lookup')
    if (options?.node !== undefined) return lookupOnNode<A>(this.#runtime, name, options.node)
    return this.#runtime.mainHost.lifecycle.lookup<A>(name)
  }

  /**
   * Stops an actor after the messages already in its mailbox, its children first. Resolves
   * when it has stopped. Later messages to it become dead letters; asks reject with
   * `ActorStoppedError`.
   */
  stop(ref: ActorRef): Promise<void> {
    if (!(ref instanceof ActorRefImpl)) return Promise.reject(new InvalidOptionError('ref', 'an ActorRef', ref))
    if (this.#runtime.closing) return this.#shutDown('stop')
    if (ref.node !== this.#runtime.mainHost.node) return stopOnNode(this.#runtime, ref)
    return this.#runtime.stop(ref.id, false, ref.home)
  }

  /**
   * Stops every actor (top-level actors in reverse start order, each after its children and
   * after draining its mailbox), then the workers. Resolves when no worker thread is left.
   */
  async shutdown(): Promise<void> {
    // A node leaves first: the others see it go at once, and nothing new arrives over NATS.
    await this.#runtime.cluster?.close()
    return this.#runtime.shutdown()
  }

  /**
   * Resolves once the system has shut down. Rejects with a `SupervisionError` when the system
   * shut itself down because its guardian gave up (restart intensity exceeded at the top, or a
   * failure escalated past every supervisor).
   */
  whenTerminated(): Promise<void> {
    return this.#runtime.whenTerminated()
  }

  /** One worker slot's stats; if its worker dies meanwhile, its replacement's (a few tries). */
  async #workerStats(slot: number): Promise<HostStats> {
    for (let attempt = 1; ; attempt++) {
      const worker = this.#runtime.workers[slot]!
      try {
        return await worker.call((control) => control.stats())
      } catch (error) {
        if (!(error instanceof WorkerCrashedError) || attempt === 3) throw error
        await worker.exited // the slot's replacement is in place once the death is handled
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
  }

  /**
   * Once `shutdown()` has begun (or the guardian gave up), every call but `shutdown` and
   * `whenTerminated` rejects with `SystemShutdownError`, instead of failing on whatever part of
   * the system is already gone (a terminated worker, a destroyed pool).
   */
  #shutDown(what: string): Promise<never> {
    return Promise.reject(new SystemShutdownError(what))
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown()
  }

  /**
   * The system's metrics in Prometheus' text format (see docs/observability.md for the table).
   * Each thread's figures are collected now, over the control plane; a thread that does not
   * answer within 2 s is reported with `troupe_thread_up 0` instead of holding the scrape.
   */
  metrics(): Promise<string> {
    if (this.#runtime.closing) return this.#shutDown('metrics')
    return this.metricsRegistry.metrics()
  }

  /**
   * The figures behind `metrics()`, as data (for an exporter of your own): every thread's
   * snapshot, the threads that did not answer within 2 s, dead letters, worker deaths, offload.
   */
  metricsSnapshot(): Promise<MetricsSnapshot> {
    if (this.#runtime.closing) return this.#shutDown('metricsSnapshot')
    return this.#runtime.metrics.snapshot()
  }

  /**
   * The system's metrics as a prom-client `Registry`, to serve with your own server or merge
   * with your registry: `Registry.merge([register, system.metricsRegistry])`.
   */
  get metricsRegistry(): Registry {
    return (this.#registry ??= createRegistry(() => this.#runtime.metrics.snapshot()))
  }

  /**
   * Serves the metrics at `GET /metrics` (default `127.0.0.1`, a free port unless `port` is
   * given). Resolves once listening; the server closes on `close()` or when the system shuts down.
   */
  serveMetrics(options?: MetricsServerOptions): Promise<MetricsServer> {
    if (this.#runtime.closing) return this.#shutDown('serveMetrics')
    return serveMetrics(this.#runtime, this.metricsRegistry, options)
  }

  /** Load and counters of every thread. Workers that died are left out. */
  async stats(): Promise<SystemStats> {
    if (this.#runtime.closing) return this.#shutDown('stats')
    const samples = await Promise.all([this.#runtime.mainHost.stats(), ...this.#runtime.workers.map((_, slot) => this.#workerStats(slot))])
    const threads = samples.map((sample): ThreadStats => {
      const utilization = this.#utilization.since(sample.thread, sample.generation, sample.eventLoop)
      return { ...sample, kind: sample.thread === 0 ? 'main' : 'worker', utilization }
    })
    const { options, offloadPool } = this.#runtime
    return {
      threads,
      budget: { threads: options.threads, workers: options.workers, offloadThreads: options.offload?.maxThreads ?? 0 },
      offload: offloadPool?.stats(),
      registry: this.#runtime.registry,
      spareWorker: this.#runtime.spareWorker,
    }
  }

  /**
   * Serves a live dashboard page (threads, load, throughput, mailboxes, supervision tree,
   * events, dead letters) over HTTP, on 127.0.0.1 and a free port by default. Resolves once it
   * listens; `shutdown()` closes it too. Rejects with `InvalidOptionError` for a bad option.
   *
   * ```ts
   * const dashboard = await system.serveDashboard({ port: 9090 })
   * console.log(`dashboard: ${dashboard.url}`)
   * ```
   */
  serveDashboard(options?: DashboardOptions): Promise<DashboardHandle> {
    if (this.#runtime.closing) return this.#shutDown('serveDashboard')
    return startDashboard(this.#runtime, options)
  }
}
