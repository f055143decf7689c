import { Actor } from 'troupe'

/** Books a shipment and hands back a tracking id. Answers only; never waits on anyone. */
export class Shipping extends Actor {
  #shipments = 0

  ship(orderId: number, customer: string): { readonly trackingId: string } {
    this.#shipments++
    return { trackingId: `TRK-${String(this.#shipments).padStart(4, '0')}-${customer.toUpperCase()}-${orderId}` }
  }

  thread(): number {
    return this.ctx.thread
  }
}
