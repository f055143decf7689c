import type { PeerLink } from './peer-link.js'

/** A link is hot while its last batch came less than this long ago, in ms. */
const HOT_MS = 2
/** Spins in a row that caught nothing on a link before it is no longer spun on (until a batch comes). */
const MAX_MISSES = 3
/** Batches caught by spinning before the thread must let its event loop run once (I/O, timers, control). */
const MAX_CAUGHT_BEFORE_YIELD = 64

/**
 * Adaptive spinning for one message in flight. A thread that has just sent its batches and has
 * nothing left to run would park in its event loop, and the reply would pay the operating
 * system's wake-up of this thread (~75 µs on a small VM: more than the whole exchange). So it
 * first polls the links that carried a batch in the last `HOT_MS`, for up to `busyWaitUs`,
 * taking a batch straight off the port (`Link.poll`) if one comes.
 *
 * The cost is bounded: only hot links are polled, a link that made `MAX_MISSES` spins in a row
 * catch nothing is left alone until its next batch, an idle thread spins never, and after
 * `MAX_CAUGHT_BEFORE_YIELD` caught batches the thread lets its event loop turn once.
 */
export class SpinWait {
  #caught = 0
  #yieldQueued = false

  /** `spinMs`: how long one spin polls before giving up (the `busyWaitUs` option, in ms). */
  constructor(
    private readonly spinMs: number,
    private readonly busy: () => boolean,
  ) {}

  /** Called once a flush has sent this turn's batches. */
  spin(links: Iterable<PeerLink>): void {
    if (this.#caught >= MAX_CAUGHT_BEFORE_YIELD || this.busy()) return
    const start = performance.now()
    let hot: PeerLink[] | undefined
    for (const link of links) {
      if (link.pollable && link.misses < MAX_MISSES && start - link.lastArrival < HOT_MS) (hot ??= []).push(link)
    }
    if (hot === undefined) return
    const until = start + this.spinMs
    do {
      for (const link of hot) {
        if (link.poll()) {
          link.misses = 0
          this.#caught++
          if (!this.#yieldQueued) {
            this.#yieldQueued = true
            setImmediate(this.#yielded)
          }
          return
        }
      }
    } while (performance.now() < until)
    for (const link of hot) link.misses++
  }

  /** The event loop turned: spinning may catch batches again. */
  readonly #yielded = (): void => {
    this.#yieldQueued = false
    this.#caught = 0
  }
}
