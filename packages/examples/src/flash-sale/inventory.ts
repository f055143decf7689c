import { Actor, type ActorLifecycle, type ActorRef, type DeferredReply } from 'troupe'
import type { Appended, LogWriter } from '../store/index.js'
import { PurchaseUncertainError } from './errors.js'
import type { PurchaseResult } from './purchase.js'
import { openingRecords, readSale, saleRecords, type Product } from './sale-records.js'

export type InventoryReport = {
  readonly sku: string
  readonly initial: number
  /** Units whose sale is on disk. */
  readonly sold: number
  readonly remaining: number
  /** Units reserved by a sale whose write is still in flight. 0 once the sale is over. */
  readonly pending: number
  readonly thread: number
  /** Units already sold when this instance loaded the log: above 0 after a recovery. */
  readonly recoveredSold: number
  /** Buys answered from the record of an earlier attempt with the same purchase id. */
  readonly replayed: number
}

type PendingSale = { readonly purchaseId: string; readonly replies: DeferredReply<PurchaseResult>[] }

/**
 * Owns the stock of one product. A buy reserves a unit at once (so concurrent buyers can never
 * be promised the same unit) and is answered only when the writer has made the sale durable.
 * Meanwhile the inventory keeps taking buys: each write is piped back to it as a message.
 *
 * Idempotent per purchase id: a buy whose sale is recorded is answered from the record, and a
 * buy whose sale is in flight waits for that same write. After a crash, `onStart` rebuilds the
 * stock from the log, so a retry after `WorkerCrashedError` is never counted twice.
 */
export class Inventory extends Actor<Inventory> implements ActorLifecycle {
  readonly #writer: ActorRef<LogWriter>
  readonly #product: Product
  #fence = ''
  #initial = 0
  /** Purchase id → buyer, for every sale on disk. */
  readonly #sold = new Map<string, string>()
  readonly #pending = new Map<string, PendingSale>()
  #recoveredSold = 0
  #replayed = 0
  /** Lost track of a write and is about to be replaced: late write results are ignored. */
  #defunct = false

  constructor(writer: ActorRef<LogWriter>, product: Product) {
    super()
    this.#writer = writer
    this.#product = product
  }

  /** Loads the sale from the writer. On a first start, opens it; after a restart, resumes it. */
  async onStart(): Promise<void> {
    const { fence, entries } = await this.#writer.ask.load()
    if (typeof fence !== 'string' || !Array.isArray(entries)) throw new Error('the writer answered load() with something else: a stray reply')
    this.#fence = fence
    const sale = readSale(entries)
    for (const [purchaseId, buyer] of sale.purchases) this.#sold.set(purchaseId, buyer)
    this.#recoveredSold = this.#sold.size
    if (sale.product === undefined) {
      await this.#writer.ask.append(fence, openingRecords(this.#product))
      this.#initial = this.#product.initialStock
    } else if (sale.product.sku !== this.#product.sku) {
      throw new Error(`the log holds the sale of ${sale.product.sku}, not ${this.#product.sku}`)
    } else {
      this.#initial = sale.product.initialStock // the log, not the spawn arguments, is the truth
    }
  }

  buy(purchaseId: string, buyer: string): DeferredReply<PurchaseResult> {
    const reply = this.ctx.deferReply<PurchaseResult>()
    if (this.#sold.has(purchaseId)) {
      this.#replayed++
      reply.resolve({ status: 'sold', purchaseId, replayed: true })
      return reply
    }
    const inFlight = this.#pending.get(purchaseId)
    if (inFlight !== undefined) {
      inFlight.replies.push(reply)
      return reply
    }
    if (this.#available() === 0) {
      reply.resolve({ status: 'sold-out', purchaseId })
      return reply
    }
    const sale: PendingSale = { purchaseId, replies: [reply] }
    this.#pending.set(purchaseId, sale)
    const written = this.#writer.ask.append(this.#fence, saleRecords(purchaseId, buyer, this.#available()))
    this.ctx.pipeToSelf(
      written,
      (appended) => this.#recorded(sale, buyer, appended),
      (error) => this.#lostTrack(error),
    )
    return reply
  }

  report(): InventoryReport {
    return {
      sku: this.#product.sku,
      initial: this.#initial,
      sold: this.#sold.size,
      remaining: this.#initial - this.#sold.size,
      pending: this.#pending.size,
      thread: this.ctx.thread,
      recoveredSold: this.#recoveredSold,
      replayed: this.#replayed,
    }
  }

  /** For the demonstration: kills this actor's whole worker thread, as a fatal bug would. */
  crashWorker(): void {
    process.exit(1)
  }

  onStop(): void {
    this.#defunct = true
  }

  /** Units neither sold nor reserved. */
  #available(): number {
    return this.#initial - this.#sold.size - this.#pending.size
  }

  #recorded(sale: PendingSale, buyer: string, appended: Appended): void {
    if (this.#defunct) return
    // Defence in depth: an answer to another fence proves nothing about this sale (troupe keeps
    // replies to a dead worker's asks away from its replacement's, but a sale must not depend on
    // that alone): treat it as a lost write.
    if (appended.fence !== this.#fence) {
      this.#lostTrack(new Error('an append was answered for another fence'))
      return
    }
    this.#pending.delete(sale.purchaseId)
    this.#sold.set(sale.purchaseId, buyer)
    for (const reply of sale.replies) reply.resolve({ status: 'sold', purchaseId: sale.purchaseId, replayed: false })
  }

  /**
   * A write failed or was refused: this instance no longer knows which sales are on disk (a
   * refused fence even means another instance owns the log). It fails on purpose; its
   * supervisor restarts it and the fresh instance reads the truth back from the writer.
   */
  #lostTrack(error: unknown): void {
    if (this.#defunct) return
    this.#defunct = true
    const uncertain = new PurchaseUncertainError(error)
    for (const sale of this.#pending.values()) for (const reply of sale.replies) reply.reject(uncertain)
    this.#pending.clear()
    throw uncertain
  }
}
