import { performance } from 'node:perf_hooks'
import type { ActorSystem, SystemEvent } from 'troupe'

/** The run's clock: milliseconds since the streams started. */
export class Clock {
  readonly #zero = performance.now()

  now(): number {
    return performance.now() - this.#zero
  }
}

export interface TimedEvent {
  /** Milliseconds on the run's clock. */
  readonly at: number
  readonly event: SystemEvent
}

type Waiter = { readonly matches: (event: SystemEvent) => boolean; readonly resolve: (event: TimedEvent) => void }

/**
 * Every `system.events` event of the run, stamped on the run's clock, printed as it happens
 * (through `describe`, which returns undefined for events not worth a line), and awaitable.
 */
export class EventLog {
  readonly events: TimedEvent[] = []
  readonly #waiters: Waiter[] = []
  readonly #unsubscribe: () => void

  constructor(system: ActorSystem, clock: Clock, describe: (event: SystemEvent) => string | undefined, log: (line: string) => void) {
    this.#unsubscribe = system.events.subscribe((event) => {
      const timed = { at: clock.now(), event }
      this.events.push(timed)
      const line = describe(event)
      if (line !== undefined) log(`${stamp(timed.at)}  ${line}`)
      for (const waiter of this.#waiters.filter((w) => w.matches(event))) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1)
        waiter.resolve(timed)
      }
    })
  }

  /** The first event that matches, whether it already happened or is still to come. */
  next(matches: (event: SystemEvent) => boolean): Promise<TimedEvent> {
    const seen = this.events.find((timed) => matches(timed.event))
    if (seen !== undefined) return Promise.resolve(seen)
    return new Promise((resolve) => this.#waiters.push({ matches, resolve }))
  }

  of<T extends SystemEvent['type']>(type: T): Array<TimedEvent & { readonly event: Extract<SystemEvent, { type: T }> }> {
    return this.events.filter((timed): timed is TimedEvent & { readonly event: Extract<SystemEvent, { type: T }> } => timed.event.type === type)
  }

  stop(): void {
    this.#unsubscribe()
  }
}

/** "  4.02 s": a time on the run's clock, as wide as the live table's first column. */
export function stamp(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`.padStart(8)
}
