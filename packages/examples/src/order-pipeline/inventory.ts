import { Actor } from 'troupe'
import type { Reservation, StockLevel } from './types.js'

interface Held {
  readonly sku: string
  readonly quantity: number
}

/**
 * Stock per SKU. An order first reserves its items; shipping commits the reservation (the items
 * are sold), a failed order releases it (the items are available again). It only answers: it
 * never asks another actor, so it can never be part of a wait cycle.
 */
export class Inventory extends Actor {
  readonly #initial: ReadonlyMap<string, number>
  readonly #available: Map<string, number>
  readonly #sold = new Map<string, number>()
  readonly #reservations = new Map<number, Held>()

  constructor(stock: Readonly<Record<string, number>>) {
    super()
    this.#initial = new Map(Object.entries(stock))
    this.#available = new Map(this.#initial)
  }

  reserve(orderId: number, sku: string, quantity: number): Reservation {
    const available = this.#available.get(sku) ?? 0
    if (quantity > available) return { ok: false, available }
    this.#available.set(sku, available - quantity)
    this.#reservations.set(orderId, { sku, quantity })
    return { ok: true }
  }

  /** Puts a reservation back on the shelf. False when the order holds none (already released). */
  release(orderId: number): boolean {
    const held = this.#take(orderId)
    if (held === undefined) return false
    this.#available.set(held.sku, (this.#available.get(held.sku) ?? 0) + held.quantity)
    return true
  }

  /** The reserved items left the warehouse. */
  commit(orderId: number): boolean {
    const held = this.#take(orderId)
    if (held === undefined) return false
    this.#sold.set(held.sku, (this.#sold.get(held.sku) ?? 0) + held.quantity)
    return true
  }

  levels(): StockLevel[] {
    return [...this.#initial].map(([sku, initial]) => {
      let reserved = 0
      for (const held of this.#reservations.values()) if (held.sku === sku) reserved += held.quantity
      return { sku, initial, available: this.#available.get(sku) ?? 0, reserved, sold: this.#sold.get(sku) ?? 0 }
    })
  }

  thread(): number {
    return this.ctx.thread
  }

  #take(orderId: number): Held | undefined {
    const held = this.#reservations.get(orderId)
    this.#reservations.delete(orderId)
    return held
  }
}
