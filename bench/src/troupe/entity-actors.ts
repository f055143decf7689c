// Entities of the entity.* and reminder.* benchmarks. Module-level figures are per thread (each
// worker has its own copy of this module), read through a `Gauge` actor placed on each worker.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
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

/**
 * Drives load from a worker: the benchmarks' messages start on the workers, as an application's
 * would under load, not all from the main thread (which on a 2-core machine competes with both
 * workers for the cores).
 */
export class Driver extends Actor {
  /** Asks `method` of entities `<prefix><i>` for i in [from, to), at most `window` in flight; resolves when all are answered. */
  async drive(kind: 'visitor' | 'alarm', method: 'touch' | 'inc' | 'arm', prefix: string, from: number, to: number, window: number, argument?: number): Promise<number> {
    let next = from
    const lane = async (): Promise<void> => {
      while (next < to) {
        const key = `${prefix}${next++}`
        if (kind === 'alarm') await this.ctx.entity(Alarm, key).ask.arm(argument!)
        else if (method === 'inc') await this.ctx.entity(Visitor, key).ask.inc()
        else await this.ctx.entity(Visitor, key).ask.touch()
      }
    }
    await Promise.all(Array.from({ length: Math.min(window, to - from) }, lane))
    return to - from
  }
}

/** Reads this thread's figures. */
export class Gauge extends Actor {
  lags(): number[] {
    return lags.splice(0)
  }

  /**
   * A full garbage collection of this worker, so RSS shows what is still held. (A worker cannot be
   * started with --expose-gc; the flag is set at run time and `gc` taken from a fresh context.)
   */
  collect(): number {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    gc()
    return process.memoryUsage().heapUsed
  }
}
