import { MessageChannel, Worker } from 'node:worker_threads'
import * as Comlink from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import { WorkerCrashedError } from '@troupe/core'
import type { Host } from '../host/host.js'
import { createThreadChannel } from '../link/thread-channel.js'
import type { HostControlApi, SystemControlApi } from '../protocol/control.js'
import type { WorkerInit } from '../worker/worker-init.js'
import type { SystemStore } from '../persistence/system-store.js'
import type { ResolvedSystemOptions } from '@troupe/core/internal'
import type { SparePool } from './spare-worker.js'
import { ControlCalls, describeExit } from './control-calls.js'

/** How to start workers: the same for every worker of a system. */
export interface WorkerLaunch {
  bootstrap: URL
  execArgv: string[]
  resourceLimits: ResolvedSystemOptions['resourceLimits']
  init: Omit<WorkerInit, 'thread' | 'dataPort' | 'hostPort' | 'systemPort' | 'restoring' | 'generation' | 'board' | 'persistence'>
  /** The system's entity store, when it has `persistence`: each worker is given its way to it. */
  store?: SystemStore
  /** The pre-started worker a replacement takes over, when the system was started with `spareWorker: true`. */
  spares?: SparePool
}

export interface WorkerExit {
  code: number
  error: Error | undefined
  /** True when the system itself terminated the worker (shutdown). */
  expected: boolean
}

/**
 * A worker slot's occupant as the main thread sees it: a real thread (`ThreadWorker`), or a
 * simulated one in the test kit's deterministic mode. The system's recovery, watchdog, channels
 * and shutdown use only this.
 */
export interface WorkerHandle {
  readonly thread: number
  readonly generation: number
  readonly exited: Promise<WorkerExit>
  readonly alive: boolean
  readonly killed: boolean
  readonly exitReason: string
  readonly started: boolean
  readonly pendingCalls: number
  readonly spares: SparePool | undefined
  lastSeen: number
  lastProgress: number
  touch(now?: number): void
  kill(reason: string): void
  call<T>(invoke: (control: Comlink.Remote<HostControlApi>) => Promise<T>): Promise<T>
  ready(): Promise<void>
  terminate(): Promise<void>
}

/**
 * One worker thread as the main thread sees it: its control channel (comlink), its data channel
 * (attached to the main host), and its exit. Control calls never hang on a dead worker: they
 * race the worker's exit.
 */
export class ThreadWorker implements WorkerHandle {
  readonly thread: number
  readonly exited: Promise<WorkerExit>
  readonly #worker: Worker
  readonly #calls: ControlCalls
  #exit: WorkerExit | undefined
  #terminating = false
  #killedBecause: string | undefined
  /** When the worker last showed its event loop turning (heartbeat or load report). */
  lastSeen = performance.now()
  /** Its host answered once: from then on, silence means it hung. Before, `ready()` judges. */
  started = false
  /** The system's spare worker (see SparePool), shared by every handle of the system. */
  readonly spares: SparePool | undefined
  #ready: Promise<void> | undefined

  /**
   * `restoring`: ids of the actors this worker will re-create, when it replaces a dead one;
   * `generation`: how many workers held the slot before it.
   */
  /** Its progress counter on the monitor board when the watchdog last saw it move. */
  lastProgress = 0

  constructor(
    thread: number,
    launch: WorkerLaunch,
    board: SharedArrayBuffer,
    systemApi: SystemControlApi,
    mainHost: Host,
    restoring: number[] = [],
    readonly generation = 0,
  ) {
    this.thread = thread
    const data = createThreadChannel()
    const hostChannel = new MessageChannel()
    const systemChannel = new MessageChannel()
    const store = launch.store?.forWorker()
    const init: WorkerInit = { ...launch.init, board, thread, restoring, generation, persistence: store?.persistence, dataPort: data.port2, hostPort: hostChannel.port2, systemPort: systemChannel.port2 }
    const transferList = [data.port2, hostChannel.port2, systemChannel.port2, ...(store?.transfer ?? [])]
    this.spares = launch.spares
    // A replacement takes the pre-started spare when there is one: its thread runs and its
    // modules are loaded, it only waits for this init (bootstrap.mjs).
    const spare = generation > 0 ? launch.spares?.take() : undefined
    if (spare) {
      this.#worker = spare
      spare.postMessage({ troupe: init }, transferList)
    } else {
      this.#worker = new Worker(launch.bootstrap, {
        workerData: { troupe: init },
        transferList,
        execArgv: launch.execArgv,
        name: `troupe-worker-${thread}`,
        ...(launch.resourceLimits ? { resourceLimits: launch.resourceLimits } : {}),
      })
    }
    Comlink.expose(systemApi, nodeEndpoint(systemChannel.port1))
    this.#calls = new ControlCalls(Comlink.wrap<HostControlApi>(nodeEndpoint(hostChannel.port1)))
    mainHost.attachLink(thread, data.port1)
    this.exited = new Promise((resolve) => {
      let error: Error | undefined
      this.#worker.on('error', (e: Error) => (error = e))
      this.#worker.on('exit', (code) => {
        this.#exit = { code, error, expected: this.#terminating }
        this.#calls.failAll(() => new WorkerCrashedError(this.thread, this.exitReason))
        systemChannel.port1.close()
        hostChannel.port1.close()
        resolve(this.#exit)
      })
    })
  }

  get alive(): boolean {
    return this.#exit === undefined
  }

  /** Terminated by the system because it hung, and not gone yet: reported once, not again each round. */
  get killed(): boolean {
    return this.#killedBecause !== undefined
  }

  get exitReason(): string {
    return describeExit(this.#exit, this.#killedBecause)
  }

  /** The worker answered: its event loop is alive. */
  touch(now = performance.now()): void {
    this.lastSeen = now
  }

  /** Terminates a worker that is not shutting down (it hung). Its exit counts as a crash. */
  kill(reason: string): void {
    if (!this.alive || this.#killedBecause) return
    this.#killedBecause = reason
    void this.#worker.terminate()
  }

  /** A control call that rejects with `WorkerCrashedError` if the worker dies before answering. */
  call<T>(invoke: (control: Comlink.Remote<HostControlApi>) => Promise<T>): Promise<T> {
    if (!this.alive) return Promise.reject(new WorkerCrashedError(this.thread, this.exitReason))
    // An answer proves the event loop turns: a worker busy answering a burst of control calls
    // (thousands of spawns) may have no chance to run its heartbeat timer.
    return this.#calls.call(invoke, () => this.touch())
  }

  /** Control calls still waiting for an answer. */
  get pendingCalls(): number {
    return this.#calls.size
  }

  /** Resolves once the worker's host answers, or rejects with why it could not start. */
  ready(): Promise<void> {
    return (this.#ready ??= this.call((control) => control.stats()).then(() => {
      this.touch()
      this.started = true
    }))
  }

  /** Terminates the worker, and the system's spare with it (this is shutdown, or a failed start). */
  async terminate(): Promise<void> {
    this.#terminating = true
    await Promise.all([this.#worker.terminate(), this.spares?.close()])
    await this.exited
  }
}
