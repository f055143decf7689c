import { stopInReverse } from './stop-order.js'
import { ShutdownTimeoutError, type SupervisionError } from '@troupe/core'
import type { Host } from '../host/host.js'
import type { Ticker } from '../monitor/ticker.js'
import type { OffloadPool } from '../offload/offload-pool.js'
import type { Directory } from './directory.js'
import type { HeartbeatWatchdog } from './heartbeat-watchdog.js'
import type { WorkerHandle } from './worker-handle.js'

/** What shutting down needs from the system. */
export interface ShutdownDeps {
  readonly directory: Directory
  readonly mainHost: Host
  readonly workers: readonly WorkerHandle[]
  readonly watchdog: HeartbeatWatchdog
  /** Past this, the shutdown is forced (`shutdownTimeoutMs`). */
  readonly timeoutMs: number
  /** Set once the system has one (the offload pool only with the `offload` option). */
  offloadPool(): OffloadPool | undefined
  ticker(): Ticker | undefined
  /** Stops an actor and its subtree. */
  stop(id: number): Promise<void>
  /** Shutdown has begun (the system refuses new work), or is over. */
  setState(state: 'stopping' | 'stopped'): void
  /** Releases the entity store once every thread has closed (with `persistence`). */
  closeStore?(): Promise<void>
}

/** Terminates every worker, without asking its actors to stop. */
export async function terminateWorkers(workers: readonly WorkerHandle[]): Promise<void> {
  await Promise.all(workers.map((worker) => worker.terminate()))
}

/**
 * How the system ends: a shutdown, graceful or, past its deadline, forced; and the promise that
 * `whenTerminated()` returns, which settles once it has ended and rejects when the guardian gave
 * up (a fatal supervision error, which also starts the shutdown).
 */
export class SystemShutdown {
  readonly #deps: ShutdownDeps
  #started: Promise<void> | undefined
  #fatalError: SupervisionError | undefined
  readonly #terminated: Promise<void>
  #settleTerminated!: (error: Error | undefined) => void

  constructor(deps: ShutdownDeps) {
    this.#deps = deps
    this.#terminated = new Promise<void>((resolve, reject) => {
      this.#settleTerminated = (error) => (error ? reject(error) : resolve())
    })
    this.#terminated.catch(() => undefined) // observed through whenTerminated(), if at all
  }

  /** Resolves when the system has shut down; rejects with the error if the guardian gave up. */
  get terminated(): Promise<void> {
    return this.#terminated
  }

  /** Starts the shutdown, once; every call returns the same promise. */
  begin(): Promise<void> {
    return (this.#started ??= this.#shutdownWithin(this.#deps.timeoutMs))
  }

  fatal(error: SupervisionError): void {
    this.#fatalError ??= error
    void this.begin().catch(() => undefined)
  }

  /**
   * A graceful shutdown, or past `ms` a forced one: the workers are terminated without waiting
   * for the actors still stopping (a hung `onStop`, a worker that stopped answering), and the
   * shutdown rejects with `ShutdownTimeoutError`. Either way no worker is left.
   */
  async #shutdownWithin(ms: number): Promise<void> {
    const deps = this.#deps
    const graceful = this.#shutdownOnce()
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)))
    try {
      if ((await Promise.race([graceful, late])) !== 'late') return
    } finally {
      clearTimeout(timer)
    }
    graceful.catch(() => undefined) // it fails as its asks are cut off below; the timeout is the news
    const actorsLeft = deps.directory.size
    await terminateWorkers(deps.workers)
    await deps.offloadPool()?.destroy()
    deps.mainHost.close()
    await deps.closeStore?.().catch(() => undefined)
    deps.setState('stopped')
    this.#settleTerminated(this.#fatalError)
    throw new ShutdownTimeoutError(ms, actorsLeft)
  }

  async #shutdownOnce(): Promise<void> {
    const deps = this.#deps
    deps.setState('stopping')
    deps.watchdog.stop()
    const failures: unknown[] = []
    const stop = (id: number): Promise<void> => deps.stop(id).catch((error: unknown) => void failures.push(error))
    await stopInReverse(deps.directory.topLevel(), stop, (id) => deps.directory.leafThread(id))
    await Promise.all(deps.workers.filter((w) => w.alive).map((w) => w.call((control) => control.close()).catch(() => undefined)))
    await terminateWorkers(deps.workers)
    await deps.offloadPool()?.destroy()
    deps.mainHost.close()
    await deps.mainHost.closed
    await deps.closeStore?.().catch(() => undefined)
    await deps.ticker()?.stop()
    deps.setState('stopped')
    this.#settleTerminated(this.#fatalError)
    if (failures.length > 0) throw new AggregateError(failures, `${failures.length} actor(s) failed to stop cleanly`)
  }
}
