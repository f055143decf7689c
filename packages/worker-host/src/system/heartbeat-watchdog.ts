import type { WorkerHandle } from './worker-handle.js'

export interface WatchdogOptions {
  intervalMs: number
  /** `handlerHangMs`: how long a worker may show no progress before it counts as hung. */
  timeoutMs: number
  /** A worker's progress counter on the monitor board (moves at each turn's end and heartbeat). */
  progress(thread: number): number
  /** A started worker that showed no progress for longer than `timeoutMs`. */
  onSilent(worker: WorkerHandle, silentMs: number): void
}

/**
 * Watches the workers from the main thread. A worker shows progress through its counter in
 * shared memory, bumped at the end of every dispatcher turn (which the time slice bounds) and by
 * its heartbeat timer, and through answers to control calls. So a worker busy with many short
 * handlers, or with a few handlers shorter than the limit, is never taken for hung: only one
 * synchronous stretch longer than `timeoutMs` is. If the main thread was itself blocked (its own
 * tick came late), silence proves nothing about the workers, so that round only resets their clocks.
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
    const mainWasBlocked = lag > this.#options.timeoutMs / 2
    for (const worker of this.#workers()) {
      const progress = this.#options.progress(worker.thread)
      if (progress !== worker.lastProgress || mainWasBlocked) {
        worker.lastProgress = progress
        worker.touch(now)
        continue
      }
      const silentMs = now - worker.lastSeen
      if (worker.alive && worker.started && !worker.killed && silentMs > this.#options.timeoutMs) this.#options.onSilent(worker, silentMs)
    }
  }
}

/** Why a hung worker was terminated, as its exit reason and `worker-crashed` event say it. */
export function hungReason(silentMs: number, handlerHangMs: number): string {
  return `hung: one handler (or other synchronous code) ran for ${Math.round(silentMs)} ms without yielding (handlerHangMs ${handlerHangMs})`
}
