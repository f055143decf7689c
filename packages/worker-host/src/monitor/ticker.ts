import { Worker } from 'node:worker_threads'
import type { MonitorBoard } from './monitor-board.js'

/** Restarts of a ticker that died, before time slices fall back to counting messages only. */
const MAX_RESTARTS = 3

/**
 * Owns the thread that keeps `board`'s clock. The thread is plain JavaScript started straight
 * from its file with no CLI options of its own (`execArgv: []`), so a loader the program runs
 * under (`tsx`, `--import …`) is not loaded into it: it costs one small isolate. It never keeps
 * the process alive.
 *
 * If the thread dies anyway (its isolate runs out of memory, someone terminates it), it is
 * started again; after {@link MAX_RESTARTS} deaths the clock stops and a process warning says
 * so. A stopped clock only means turns end after a count of messages instead of a time slice:
 * nothing is lost and the watchdog (which reads progress counters, not the clock) still works.
 * The error is never left unhandled: that would crash the user's process for a helper thread.
 */
export class Ticker {
  #thread: Worker | undefined
  #restarts = 0
  #stopped = false

  constructor(
    private readonly board: MonitorBoard,
    private readonly tickMs = 1,
  ) {
    this.#thread = this.#start()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    const thread = this.#thread
    this.#thread = undefined
    await thread?.terminate()
  }

  #start(): Worker {
    const thread = new Worker(new URL('./ticker.mjs', import.meta.url), {
      workerData: { buffer: this.board.buffer, tickMs: this.tickMs },
      name: 'troupe-ticker',
      execArgv: [],
      // It allocates nothing after start; the limit only keeps a runaway from taking the heap.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
    })
    thread.unref()
    thread.on('error', (error: Error) => this.#died(thread, error))
    return thread
  }

  #died(thread: Worker, error: Error): void {
    if (this.#stopped || thread !== this.#thread) return
    if (this.#restarts >= MAX_RESTARTS) {
      this.#thread = undefined
      process.emitWarning(`troupe: the time-slice clock thread died ${MAX_RESTARTS + 1} times (${error.message}); turns now end by message count only`, { code: 'TROUPE_TICKER_DIED' })
      return
    }
    this.#restarts += 1
    this.#thread = this.#start()
  }
}
