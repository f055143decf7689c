import type { WorkerHandle } from './worker-handle.js'

export interface WatchdogOptions {
  intervalMs: number
  timeoutMs: number
  /** A started worker silent for longer than `timeoutMs`. */
  onSilent(worker: WorkerHandle, silentMs: number): void
}

/**
 * Watches the workers' heartbeats from the main thread. If the main thread was itself blocked
 * (its own tick came late), silence proves nothing about the workers, so that round only
 * resets their clocks.
 */
export class HeartbeatWatchdog {
  readonly #options: WatchdogOptions
  readonly #workers: () => readonly WorkerHandle[]
  #timer: NodeJS.Timeout | undefined
  #lastTick = 0

  constructor(workers: () => readonly WorkerHandle[], options: WatchdogOptions) {
    this.#workers = workers
    this.#options = options
  }

  start(): void {
    this.#lastTick = performance.now()
    this.#timer = setInterval(() => this.#check(), this.#options.intervalMs)
    this.#timer.unref()
  }

  stop(): void {
    clearInterval(this.#timer)
  }

  #check(): void {
    const now = performance.now()
    const lag = now - this.#lastTick - this.#options.intervalMs
    this.#lastTick = now
    if (lag > this.#options.timeoutMs / 2) {
      for (const worker of this.#workers()) worker.touch(now)
      return
    }
    for (const worker of this.#workers()) {
      const silentMs = now - worker.lastSeen
      if (worker.alive && worker.started && silentMs > this.#options.timeoutMs) this.#options.onSilent(worker, silentMs)
    }
  }
}
