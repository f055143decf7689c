// A holey array, like every other `#items`, so the ring keeps one elements kind.
const NO_ITEMS: unknown[] = new Array<unknown>(0)

/**
 * A growable ring buffer. `Array#shift` is O(n) once arrays leave V8's fast path, and mailboxes
 * and run-queues shift on every message, so they use this instead.
 */
export class Deque<T> {
  #items: (T | undefined)[]
  #head = 0
  #length = 0

  /**
   * `initialCapacity` 0: no storage until the first push (most mailboxes of idle actors, and
   * every overflow queue of an unbounded one, stay empty; a million actors would otherwise hold a
   * million empty arrays).
   */
  constructor(initialCapacity = 16) {
    if (initialCapacity === 0) {
      // Shared and never written: `push` grows into a fresh array before it writes.
      this.#items = NO_ITEMS as (T | undefined)[]
      return
    }
    let capacity = 1
    while (capacity < initialCapacity) capacity <<= 1
    this.#items = new Array<T | undefined>(capacity)
  }

  get length(): number {
    return this.#length
  }

  push(item: T): void {
    if (this.#length === this.#items.length) this.#grow()
    this.#items[(this.#head + this.#length) & (this.#items.length - 1)] = item
    this.#length++
  }

  shift(): T | undefined {
    if (this.#length === 0) return undefined
    const item = this.#items[this.#head]
    this.#items[this.#head] = undefined
    this.#head = (this.#head + 1) & (this.#items.length - 1)
    this.#length--
    return item
  }

  /** The item `index` places from the front (0: the oldest), without removing it. */
  at(index: number): T | undefined {
    return index < 0 || index >= this.#length ? undefined : this.#items[(this.#head + index) & (this.#items.length - 1)]
  }

  /** Swaps the item `index` places from the front with the front one (a scheduler choosing what runs next). */
  swapToFront(index: number): void {
    if (index <= 0 || index >= this.#length) return
    const mask = this.#items.length - 1
    const at = (this.#head + index) & mask
    const front = this.#items[this.#head]
    this.#items[this.#head] = this.#items[at]
    this.#items[at] = front
  }

  peek(): T | undefined {
    return this.#length === 0 ? undefined : this.#items[this.#head]
  }

  /** Removes and returns every item, oldest first. */
  drain(): T[] {
    const out: T[] = []
    for (let item = this.shift(); item !== undefined; item = this.shift()) out.push(item)
    return out
  }

  #grow(): void {
    const old = this.#items
    const next = new Array<T | undefined>(old.length === 0 ? 8 : old.length * 2)
    for (let i = 0; i < this.#length; i++) next[i] = old[(this.#head + i) & (old.length - 1)]
    this.#items = next
    this.#head = 0
  }
}
