import { Worker } from 'node:worker_threads'
import type { SpareInit } from '../worker/worker-init.js'
import type { WorkerLaunch } from './worker-handle.js'

/** What `stats().spareWorker` says: off (no `spareWorker` option), none idle, loading, ready. */
export type SpareWorkerState = 'off' | 'none' | 'booting' | 'ready'

/** How a spare starts: the same bootstrap, flags and limits as the system's workers. */
export type SpareLaunch = Pick<WorkerLaunch, 'bootstrap' | 'execArgv' | 'resourceLimits'> & Pick<WorkerLaunch['init'], 'entry' | 'useTsx'>

/**
 * At most one pre-started worker thread per system, idle until a worker dies: it has already
 * started its isolate and loaded troupe's worker modules (bootstrap.mjs, `spare: true`), and
 * waits for the `WorkerInit` of the slot it takes. It hosts no actor before that, is not in the
 * system's worker list (the watchdog, placement and `stats()` do not see it), and is terminated
 * with the workers on shutdown (`close`).
 *
 * A spare is started once the system's first workers are ready, and again as soon as each
 * replacement answers (`refill`), not while the first workers boot: on a small machine it would
 * compete for the same cores. A spare that dies while idle is not restarted until the next
 * refill. A replacement may take a spare that is still booting: it is still ahead of a fresh one.
 */
export class SparePool {
  readonly #launch: SpareLaunch
  #spare: Worker | undefined
  /** Whether the idle spare has loaded troupe's modules (it posted `troupeSpareReady`). */
  #ready = false
  #closed = false
  /** Every spare not yet known to have exited, so `close` can wait for each thread to end. */
  readonly #running = new Map<Worker, Promise<void>>()

  constructor(launch: SpareLaunch) {
    this.#launch = launch
  }

  /** Starts a spare unless one is idle already, or the system is closing. */
  refill(): void {
    if (this.#closed || this.#spare) return
    const launch = this.#launch
    const troupe: SpareInit = { entry: launch.entry, useTsx: launch.useTsx, spare: true }
    const worker = new Worker(launch.bootstrap, {
      workerData: { troupe },
      execArgv: launch.execArgv,
      name: 'troupe-worker-spare',
      ...(launch.resourceLimits ? { resourceLimits: launch.resourceLimits } : {}),
    })
    // An idle spare's error (it failed to boot) only means there is no spare: a worker started
    // afresh reports the same failure where it matters. Without a listener it would be thrown.
    worker.on('error', () => undefined)
    worker.on('message', (message: unknown) => {
      if (this.#spare === worker && isReadyMessage(message)) this.#ready = true
    })
    this.#running.set(
      worker,
      new Promise<void>((resolve) =>
        worker.once('exit', () => {
          this.#running.delete(worker)
          if (this.#spare === worker) {
            this.#spare = undefined
            this.#ready = false
          }
          resolve()
        }),
      ),
    )
    this.#spare = worker
    this.#ready = false
  }

  /** The idle spare's state: none (taken, dead or not started yet), still loading, or ready. */
  get state(): Exclude<SpareWorkerState, 'off'> {
    if (this.#spare === undefined) return 'none'
    return this.#ready ? 'ready' : 'booting'
  }

  /**
   * Hands over the idle spare, if one is alive: from then on its owner (a WorkerHandle) sends it
   * its init and watches its exit. An exit already emitted removed it here, so a spare taken is
   * one whose exit its new owner will see.
   */
  take(): Worker | undefined {
    const spare = this.#spare
    this.#spare = undefined
    this.#ready = false
    if (spare) this.#running.delete(spare)
    return spare
  }

  /** No more spares; the idle one is terminated, and resolves once its thread has ended. */
  async close(): Promise<void> {
    this.#closed = true
    const exits = [...this.#running.values()]
    for (const worker of this.#running.keys()) void worker.terminate()
    this.#spare = undefined
    this.#ready = false
    await Promise.all(exits)
  }
}

function isReadyMessage(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { troupeSpareReady?: unknown }).troupeSpareReady === true
}
