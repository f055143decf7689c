import type { Selector } from '@troupe/core/internal'
import { writeSelector, type Frames, type SelectorHandler } from '../protocol/wire.js'

/**
 * Interned selectors per link and direction, as Akka Artery's compression tables: a method name
 * crosses a link as a string once, in a `Selector` frame that gives it a small number, and as that
 * number in every message after it. The receiver then reads a number instead of decoding a string
 * per message, and every message of one method shares one string object, so the cell's
 * last-handler check is a pointer comparison.
 *
 * Numbers are never reused on a link, so a held batch (the ledger) still reads back correctly on
 * its sender. A peer that is replaced starts with an empty table: the sender defines every number
 * again at the head of the first batch to the new peer (see `PeerLink.attach`).
 */

/** Method names interned per link at most; any further one travels as a string in every message. */
export const MAX_INTERNED_SELECTORS = 1024

/** The sending side: names to numbers (1, 2, …), and back. */
export class OutboundSelectors {
  readonly #ids = new Map<string, number>()
  /** `names[n]` is the name number `n` stands for (index 0 unused: 0 is `RECEIVE`). */
  readonly names: string[] = ['']
  // The last name looked up: a stream of one method costs a pointer comparison, not a Map lookup.
  #lastName: string | undefined
  #lastId = 0

  /**
   * The wire form of `selector` for a frame about to be written to `frames`: a method name's
   * number, defined in `frames` first if this is its first use on the link. Built-in selectors
   * (`RECEIVE`, system messages) and names past the table's capacity stay as they are.
   */
  toWire(selector: Selector, frames: Frames): Selector | number {
    if (typeof selector !== 'string') return selector
    if (selector === this.#lastName) return this.#lastId
    let id = this.#ids.get(selector)
    if (id === undefined) {
      if (this.names.length > MAX_INTERNED_SELECTORS) return selector
      id = this.names.length
      this.#ids.set(selector, id)
      this.names.push(selector)
      writeSelector(frames, id, selector)
    }
    this.#lastName = selector
    this.#lastId = id
    return id
  }

  /**
   * Forgets every number: the next batch defines what it uses again. For links to other nodes,
   * whose peer thread can be replaced without this side knowing: each batch then stands alone.
   */
  clear(): void {
    this.#ids.clear()
    this.names.length = 1
    this.#lastName = undefined
    this.#lastId = 0
  }

  /** Defines every interned name in `frames` (for a peer that has just replaced the one that knew them). */
  defineAll(frames: Frames): void {
    for (let id = 1; id < this.names.length; id++) writeSelector(frames, id, this.names[id]!)
  }
}

/** The receiving side: the numbers the peer has defined so far. */
export class InboundSelectors implements SelectorHandler {
  /** `names[n]`: the name the peer gave number `n` (index 0 unused). */
  names: string[] = ['']

  define(id: number, name: string): void {
    this.names[id] = name
  }

  /** The peer was replaced: its successor numbers from scratch. */
  reset(): void {
    this.names = ['']
  }
}
