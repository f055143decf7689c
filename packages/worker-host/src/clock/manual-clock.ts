import { InvalidOptionError } from '@troupe/core'
import { MANUAL_CLOCK_BRAND, type ActorSystemClock } from '@troupe/core/internal'
import { VirtualClock } from './virtual-clock.js'

/** How a `ManualClock` reaches the timers of the threads of the system that uses it. */
export interface ClockDriver {
  /** Each live thread's earliest due time (`Infinity` for none). */
  nextDue(): Promise<ReadonlyArray<{ readonly thread: number; readonly due: number }>>
  /** Runs what is due now on these threads, one after another in the order given. */
  fire(threads: readonly number[]): Promise<void>
  /** Lets what the fired timers started (messages, replies) run before time moves again. */
  settle(): Promise<void>
}

/**
 * Manual time for tests (Akka's `ManualTime`, xstate's `SimulatedClock`). Start a system with
 * `ActorSystem.start({ ..., clock })` and every thread's ask deadlines, `ctx.schedule` and
 * `ctx.every` timers, handler timeouts and supervision backoff read this clock; nothing fires
 * until `advance(ms)`, which runs every timer due by then in time order across all threads.
 *
 * ```ts
 * const clock = new ManualClock()
 * const system = await ActorSystem.start({ actors, clock })
 * await clock.advance(60_000) // a minute passes at once
 * ```
 */
/** What troupe itself reaches in a `ManualClock`, kept out of its public type. */
export interface ManualClockParts {
  /** The main thread's timers. */
  readonly main: VirtualClock
  /** The system that starts with this clock drives it; one system at a time. */
  attach(owner: object, driver: ClockDriver): void
  /** The system that used it has shut down. */
  detach(owner: object): void
}

let partsOf: (clock: ManualClock) => ManualClockParts

/** The internal parts of a clock (for the system and the test kit). */
export function manualClockParts(clock: ManualClock): ManualClockParts {
  return partsOf(clock)
}

export class ManualClock implements ActorSystemClock {
  /** The time, shared with every thread of the system (read-only there). */
  readonly buffer = new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT)
  readonly #time = new Float64Array(this.buffer)
  readonly #main = new VirtualClock(this.buffer)
  #driver: ClockDriver
  #owner: object | undefined
  #queue: Promise<void> = Promise.resolve()

  /** `startMs`: the reading of `now()` at the start (default 0). */
  constructor(startMs = 0) {
    // The brand `isSystemClock` checks, kept out of the public type.
    Object.defineProperty(this, MANUAL_CLOCK_BRAND, { value: true })
    if (!Number.isFinite(startMs) || startMs < 0) throw new InvalidOptionError('startMs', 'a finite number of milliseconds >= 0', startMs)
    this.#time[0] = startMs
    this.#driver = this.#mainOnly
  }

  /** The current time in ms, as every thread of the system reads it. */
  now(): number {
    return this.#time[0]!
  }

  /**
   * Moves time forward by `ms`, running every timer due on the way in time order (timers due at
   * the same time: by thread, then in the order they were set). After each due time, what those
   * timers started gets to run before time moves on. Calls queue behind each other.
   */
  advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) return Promise.reject(new InvalidOptionError('ms', 'a finite number of milliseconds >= 0', ms))
    const run = this.#queue.then(() => this.#advance(this.now() + ms))
    this.#queue = run.catch(() => undefined)
    return run
  }

  async #advance(target: number): Promise<void> {
    await this.#driver.settle()
    for (;;) {
      const dues = await this.#driver.nextDue()
      let at = Number.POSITIVE_INFINITY
      for (const { due } of dues) at = Math.min(at, due)
      if (at > target) break
      this.#time[0] = Math.max(this.now(), at)
      await this.#driver.fire(dues.filter(({ due }) => due <= at).map(({ thread }) => thread))
      await this.#driver.settle()
    }
    this.#time[0] = target
    await this.#driver.settle()
  }

  static {
    partsOf = (clock) => ({
      main: clock.#main,
      attach(owner, driver) {
        if (clock.#owner !== undefined && clock.#owner !== owner) throw new InvalidOptionError('clock', 'a ManualClock that no other running system uses', 'a clock in use')
        clock.#owner = owner
        clock.#driver = driver
      },
      detach(owner) {
        if (clock.#owner !== owner) return
        clock.#owner = undefined
        clock.#driver = clock.#mainOnly
      },
    })
  }

  readonly #mainOnly: ClockDriver = {
    nextDue: async () => [{ thread: 0, due: this.#main.nextDue() }],
    fire: async () => void this.#main.fireDue(),
    settle: () => new Promise((resolve) => setImmediate(resolve)),
  }
}
