import { Actor, type ActorLifecycle } from 'troupe'
import type { Health } from './answers.js'

/** Lives on the worker the demo kills, and kills it: the crash comes from inside, like a real bug. */
export class Saboteur extends Actor implements ActorLifecycle {
  #restarted = false

  onRestart(): void {
    this.#restarted = true
  }

  /** Ends this worker thread at once, with every actor on it and every message it held. */
  killWorker(): void {
    process.exit(1)
  }

  ping(): Health {
    return { kind: 'health', thread: this.ctx.thread, restarted: this.#restarted }
  }
}
