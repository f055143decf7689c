import type { ActorRef, ActorSystem } from 'troupe'
import { LogWriter, type CompactionPolicy } from '../store/index.js'
import { Buyer } from './buyer.js'
import { Inventory } from './inventory.js'
import type { Product } from './sale-records.js'

export type SaleActors = {
  readonly writer: ActorRef<LogWriter>
  readonly inventory: ActorRef<Inventory>
  readonly buyers: readonly ActorRef<Buyer>[]
  /** Threads (1..N; 0 is main) of the inventory and the writer. */
  readonly inventoryThread: number
  readonly writerThread: number
}

/**
 * The inventory on the first worker, its log writer on the second (so killing the inventory's
 * worker leaves the log alone), and `buyersPerWorker` buyers on every worker. The writer is
 * spawned first: the inventory loads its stock from it in `onStart`.
 */
export async function spawnSale(system: ActorSystem, settings: { readonly path: string; readonly compaction: CompactionPolicy; readonly product: Product; readonly buyersPerWorker: number }): Promise<SaleActors> {
  // `placement.worker` counts workers from 0; thread numbers count them from 1.
  const writer = await system.spawn(LogWriter, { name: 'sale-log', placement: { worker: 1 }, args: [{ path: settings.path, compaction: settings.compaction }] })
  const inventory = await system.spawn(Inventory, { name: 'inventory', placement: { worker: 0 }, args: [writer, settings.product] })
  const buyers: ActorRef<Buyer>[] = []
  for (let worker = 0; worker < system.workers; worker++) {
    for (let i = 0; i < settings.buyersPerWorker; i++) {
      const name = `buyer-${worker + 1}.${i + 1}`
      buyers.push(await system.spawn(Buyer, { name, placement: { worker }, args: [inventory, name] }))
    }
  }
  return { writer, inventory, buyers, inventoryThread: 1, writerThread: 2 }
}
