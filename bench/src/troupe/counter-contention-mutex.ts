// A mutex on a SharedArrayBuffer for mutex.atomics: Drepper's three-state futex mutex ("Futexes
// Are Tricky", mutex 2) with a short spin first, as most real mutexes do. The state is one Int32:
// 0 unlocked, 1 locked, 2 locked with (possible) waiters, who sleep in Atomics.wait.

const UNLOCKED = 0
const LOCKED = 1
const CONTENDED = 2
/** Attempts to take a free lock by spinning before going to sleep. */
const spins = 100

export class SharedMutex {
  readonly #cells: Int32Array
  readonly #index: number

  /** The mutex is the Int32 at `index` of `cells`; it must start at 0 (unlocked). */
  constructor(cells: Int32Array, index: number) {
    this.#cells = cells
    this.#index = index
  }

  lock(): void {
    const cells = this.#cells
    const i = this.#index
    for (let n = 0; n < spins; n++) {
      if (Atomics.compareExchange(cells, i, UNLOCKED, LOCKED) === UNLOCKED) return
    }
    // Mark it contended; whoever unlocks then wakes a sleeper. Sleep while someone else holds it.
    let state = Atomics.exchange(cells, i, CONTENDED)
    while (state !== UNLOCKED) {
      Atomics.wait(cells, i, CONTENDED)
      state = Atomics.exchange(cells, i, CONTENDED)
    }
  }

  unlock(): void {
    if (Atomics.sub(this.#cells, this.#index, 1) !== LOCKED) {
      // It was CONTENDED: release fully and wake one sleeper.
      Atomics.store(this.#cells, this.#index, UNLOCKED)
      Atomics.notify(this.#cells, this.#index, 1)
    }
  }
}

/** Layout of the shared Int32Array: the mutex, then the counter it guards. */
export const MUTEX_INDEX = 0
export const COUNTER_INDEX = 1
export const SHARED_INTS = 2

/** main -> worker: do `count` locked increments. */
export interface IncrementCommand {
  readonly kind: 'increment'
  readonly count: number
}

/** worker -> main: the increments are done. */
export interface IncrementedReport {
  readonly kind: 'incremented'
}

export interface MutexWorkerData {
  readonly shared: SharedArrayBuffer
}
