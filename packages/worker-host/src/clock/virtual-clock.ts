import type { Clock, Timer } from './clock.js'

interface VirtualTimer {
  readonly due: number
  /** Creation order: timers due at the same time run in the order they were set. */
  readonly seq: number
  readonly callback: () => void
  live: boolean
}

/**
 * One thread's timers on manual time. The time itself is one float in shared memory, written only
 * by the `ManualClock` on the main thread, so every thread of a system reads the same `now()`.
 * Timers never fire by themselves: the clock asks each thread for its earliest one (`nextDue`)
 * and tells it to run what is due (`fireDue`), one due time at a time across threads.
 */
export class VirtualClock implements Clock {
  readonly #time: Float64Array
  /** A binary min-heap ordered by (due, seq). Cancelled timers stay until they reach the top. */
  readonly #heap: VirtualTimer[] = []
  #seq = 0

  constructor(buffer: SharedArrayBuffer) {
    this.#time = new Float64Array(buffer)
  }

  now(): number {
    return this.#time[0]!
  }

  setTimeout(callback: () => void, ms: number): Timer {
    const timer: VirtualTimer = { due: this.now() + Math.max(0, ms), seq: this.#seq++, callback, live: true }
    this.#push(timer)
    return timer
  }

  clearTimeout(timer: Timer | undefined): void {
    if (timer !== undefined) (timer as VirtualTimer).live = false
  }

  /** When the earliest live timer is due; `Infinity` when none is set. */
  nextDue(): number {
    this.#dropCancelled()
    return this.#heap[0]?.due ?? Number.POSITIVE_INFINITY
  }

  /** Runs every timer due by `now()`, in order, including those a callback sets due by then. Returns how many ran. */
  fireDue(): number {
    let ran = 0
    const now = this.now()
    for (;;) {
      this.#dropCancelled()
      const top = this.#heap[0]
      if (top === undefined || top.due > now) return ran
      this.#pop()
      top.live = false
      ran++
      top.callback()
    }
  }

  /** Timers set and not yet run or cancelled (cancelled ones may still be counted until they surface). */
  get pending(): number {
    return this.#heap.length
  }

  #dropCancelled(): void {
    while (this.#heap.length > 0 && !this.#heap[0]!.live) this.#pop()
  }

  #push(timer: VirtualTimer): void {
    const heap = this.#heap
    heap.push(timer)
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(heap[i]!, heap[parent]!)) break
      ;[heap[i], heap[parent]] = [heap[parent]!, heap[i]!]
      i = parent
    }
  }

  #pop(): void {
    const heap = this.#heap
    const last = heap.pop()!
    if (heap.length === 0) return
    heap[0] = last
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      const right = left + 1
      let least = i
      if (left < heap.length && before(heap[left]!, heap[least]!)) least = left
      if (right < heap.length && before(heap[right]!, heap[least]!)) least = right
      if (least === i) return
      ;[heap[i], heap[least]] = [heap[least]!, heap[i]!]
      i = least
    }
  }
}

function before(a: VirtualTimer, b: VirtualTimer): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq)
}
