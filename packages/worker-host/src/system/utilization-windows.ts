import type { HostStats } from '../protocol/control.js'
import { utilizationBetween } from './scheduler.js'

/**
 * Event-loop utilisation of each thread since the previous reading by the same consumer. Threads
 * report cumulative event-loop time, so each consumer (`stats()`, a scrape) keeps its own window
 * instead of resetting anyone else's. A replacement worker (a new `generation`) starts a window of
 * its own: its time counts from its start, not from the dead one's.
 */
export class UtilizationWindows {
  readonly #previous = new Map<string, HostStats['eventLoop']>()

  /** Utilisation (0..1) of `thread` since this consumer's previous reading of it. */
  since(thread: number, generation: number, eventLoop: HostStats['eventLoop']): number {
    const key = `${thread}:${generation}`
    const before = this.#previous.get(key) ?? { active: 0, idle: 0 }
    this.#previous.set(key, eventLoop)
    return utilizationBetween(before, eventLoop)
  }
}
