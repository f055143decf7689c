// Entities of the entity.* and reminder.* benchmarks. Module-level figures are per thread (each
// worker has its own copy of this module), read through a `Gauge` actor placed on each worker.
import { Actor, Entity, type EntityLifecycle } from 'troupe'

/** Reminder lags seen on this thread: handler start − due time, in ms. */
const lags: number[] = []

/** Activated on its first message; `touch` changes nothing, so nothing is written. */
export class Visitor extends Entity<Visitor, { visits: number }> {
  static readonly entityName = 'bench-visitor'
  state = { visits: 0 }

  touch(): void {}

  /** One state commit per call. */
  inc(): number {
    return ++this.state.visits
  }
}

/** Sets a reminder due at one instant shared by all of them; records how late it ran. */
export class Alarm extends Entity<Alarm, { dueAt: number }> implements EntityLifecycle {
  static readonly entityName = 'bench-alarm'
  state = { dueAt: 0 }

  async arm(atMs: number): Promise<void> {
    this.state.dueAt = atMs
    await this.ctx.remind('due', { atMs })
  }

  onReminder(): void {
    lags.push(Date.now() - this.state.dueAt)
  }
}

/** Reads this thread's figures. */
export class Gauge extends Actor {
  lags(): number[] {
    return lags.splice(0)
  }
}
