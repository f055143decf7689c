// The workload of kv.mutex.atomics and kv.actors.*: W tasks, each owning its own keys of
// one shared key space, doing a seeded random mix of sets, deletes and gets on them.

/** Concurrent tasks: threads (mutex) or client actors. As in the counter pair. */
export const kvTasks = 4
/** Keys per task; task t owns keys t, t + W, t + 2W, ... of the shared key space. */
export const keysPerTask = 1024
export const kvKeys = kvTasks * keysPerTask
/**
 * Operations per task in the timed pass (the untimed pass does a quarter). The mutex does each
 * in well under a microsecond and an ask through a router takes microseconds, so each side gets
 * a count that keeps its timed pass between a few tenths of a second and a few seconds.
 */
export const kvOpsPerTask = {
  mutex: { full: 2_000_000, quick: 500_000 },
  actors: { full: 25_000, quick: 5_000 },
}
/** Shares of the mix, as in the kv-store example: 60% sets, 15% deletes, 25% gets. */
const setShare = 0.6
const deleteShare = 0.15

/** A stored value is the task's op sequence number (from 1); a missing key reads as ABSENT. */
export const ABSENT = -1

export type KvOp = { readonly kind: 'set'; readonly key: number; readonly value: number } | { readonly kind: 'delete'; readonly key: number } | { readonly kind: 'get'; readonly key: number }

/**
 * The ops of one task, generated one at a time from a seed, with the task's own model of its
 * keys: since no other task writes them, every get must read exactly what the model says.
 */
export class TaskOps {
  readonly #task: number
  readonly #random: () => number
  readonly model = new Map<number, number>()
  #seq = 0

  constructor(task: number, seed: number) {
    this.#task = task
    this.#random = mulberry32(seed * 1_000 + task)
  }

  /** The next op; a set or delete is applied to the model at once (ops reach the store in issue order). */
  next(): KvOp {
    const key = this.#task + kvTasks * Math.floor(this.#random() * keysPerTask)
    const roll = this.#random()
    if (roll < setShare) {
      const value = ++this.#seq
      this.model.set(key, value)
      return { kind: 'set', key, value }
    }
    if (roll < setShare + deleteShare) {
      this.model.delete(key)
      return { kind: 'delete', key }
    }
    return { kind: 'get', key }
  }

  /** What a get of `key` must return now. */
  expected(key: number): number {
    return this.model.get(key) ?? ABSENT
  }
}

/** mulberry32: a small seeded PRNG, so both sides run the very same ops. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}
