// Actors of the restart benchmark. A module of its own, on that benchmark's allow-list only, so
// the actors that can kill their worker are not spawnable in any other benchmark's system.
import { Actor, type ActorLifecycle } from 'troupe'

/** Who answered a `ping`, so the benchmark can tell a restarted instance from the one that died. */
export interface PingReply {
  /** The constructor argument: which of the K actors answered. */
  readonly index: number
  /** The `n` of the ping, echoed. */
  readonly n: number
  /** `arm()` was called on this instance: it is the one from before the kill, not a restarted one. */
  readonly armed: boolean
  /** `onRestart` ran on this instance. */
  readonly restarted: boolean
  readonly thread: number
}

/**
 * One of the K actors on the worker that gets killed. Before each kill the benchmark arms every
 * instance; a fresh instance (re-created after the crash) is unarmed and has seen `onRestart`.
 */
export class Phoenix extends Actor implements ActorLifecycle {
  readonly #index: number
  #armed = false
  #restarted = false

  constructor(index: number) {
    super()
    this.#index = index
  }

  onRestart(): void {
    this.#restarted = true
  }

  /** Marks this instance as the one that is about to die; answered, so the caller knows. */
  arm(): number {
    this.#armed = true
    return this.#index
  }

  ping(n: number): PingReply {
    return { index: this.#index, n, armed: this.#armed, restarted: this.#restarted, thread: this.ctx.thread }
  }

  /** Kills this actor's worker, and with it every actor on it. */
  exitProcess(code: number): void {
    process.exit(code)
  }
}
