import type {
  ActorClass,
  ActorRef,
  ActorSystemOptions,
  ActorTypeRef,
  GroupRouter,
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
import { utilizationBetween } from './scheduler.js'
import { SystemRuntime, type RegistryStats } from './system-runtime.js'
import { RouterHandle } from '../router/router-handle.js'
import { buildRouterRequest } from '../router/router-request.js'
import { poolLaunch, resolveModuleSources, workerLaunch } from './launch.js'
import { checkNoProgramEntry } from '../host/program-entry.js'

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
  /** Event-loop samples of the previous `stats()` call, per thread: the window for `utilization`. */
  readonly #previousEventLoop = new Map<string, HostStats['eventLoop']>()

  private constructor(runtime: SystemRuntime) {
    this.#runtime = runtime
  }

  /** Starts the workers and resolves once every one of them is ready. */
  static async start(options: ActorSystemOptions): Promise<ActorSystem> {
    const resolved = resolveModuleSources(resolveSystemOptions(options))
    checkNoProgramEntry('actors', resolved.actors)
    checkNoProgramEntry('offload.tasks', resolved.offload?.tasks ?? [])
    const runtime = new SystemRuntime(resolved)
    const launch = workerLaunch(resolved)
    if (resolved.offload) runtime.offloadPool = new OffloadPool(resolved.offload, poolLaunch(resolved, launch))
    await runtime.startWorkers(launch)
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

  /** Creates a top-level actor. Resolves once its constructor and `onStart` have completed. */
  spawn<C extends ActorClass>(type: C | ActorTypeRef<C>, ...[options]: SpawnArguments<C>): Promise<ActorRef<InstanceType<C>>> {
    if (this.#runtime.closing) return this.#shutDown('spawn')
    return this.#runtime.mainHost.spawnFrom<InstanceType<C>>(0, type, options)
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
    const { request, args } = await buildRouterRequest(host.routerContext, target, options)
    const info = await host.spawnRequest(0, request)
    return new RouterHandle(info.id, info.thread, host.node, info.name, host, args, (updated) => this.#runtime.replaceArgs(info.id, [updated]))
  }

  /** Finds a live actor by name. */
  lookup<A = unknown>(name: string): Promise<ActorRef<A> | undefined> {
    if (typeof name !== 'string') return Promise.reject(new InvalidOptionError('name', 'a string', name))
    if (this.#runtime.closing) return this.#shutDown('lookup')
    return this.#runtime.mainHost.lookup<A>(name)
  }

  /**
   * Stops an actor after the messages already in its mailbox, its children first. Resolves
   * when it has stopped. Later messages to it become dead letters; asks reject with
   * `ActorStoppedError`.
   */
  stop(ref: ActorRef): Promise<void> {
    if (!(ref instanceof ActorRefImpl)) return Promise.reject(new InvalidOptionError('ref', 'an ActorRef', ref))
    if (this.#runtime.closing) return this.#shutDown('stop')
    return this.#runtime.stop(ref.id, false, ref.home)
  }

  /**
   * Stops every actor (top-level actors in reverse start order, each after its children and
   * after draining its mailbox), then the workers. Resolves when no worker thread is left.
   */
  shutdown(): Promise<void> {
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

  /** Load and counters of every thread. Workers that died are left out. */
  async stats(): Promise<SystemStats> {
    if (this.#runtime.closing) return this.#shutDown('stats')
    const samples = await Promise.all([this.#runtime.mainHost.stats(), ...this.#runtime.workers.map((_, slot) => this.#workerStats(slot))])
    const threads = samples.map((sample): ThreadStats => {
      // A replacement worker counts from zero: its window starts with it, not with the dead one's.
      const key = `${sample.thread}:${sample.generation}`
      const before = this.#previousEventLoop.get(key) ?? { active: 0, idle: 0 }
      this.#previousEventLoop.set(key, sample.eventLoop)
      return { ...sample, kind: sample.thread === 0 ? 'main' : 'worker', utilization: utilizationBetween(before, sample.eventLoop) }
    })
    const { options, offloadPool } = this.#runtime
    return {
      threads,
      budget: { threads: options.threads, workers: options.workers, offloadThreads: options.offload?.maxThreads ?? 0 },
      offload: offloadPool?.stats(),
      registry: this.#runtime.registry,
    }
  }
}
