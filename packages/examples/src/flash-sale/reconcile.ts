import { exact } from '../shared/format.js'
import type { FileAudit } from './audit.js'
import type { InventoryReport } from './inventory.js'

export type CheckId =
  | 'every-attempt-answered'
  | 'never-oversold'
  | 'stock-balances'
  | 'buyers-match-inventory'
  | 'inventory-matches-file'
  | 'same-purchases'
  | 'no-conflicting-answers'
  | 'killed-and-recovered'

export type Check = { readonly id: CheckId; readonly passed: boolean; readonly detail: string }

/** The buyers' totals, from the main thread's book. */
export type BuyerTotals = {
  readonly answered: number
  readonly sold: number
  readonly soldOut: number
  readonly unanswered: number
  readonly conflicts: number
  readonly soldIds: ReadonlySet<string>
}

export type SaleObservations = {
  readonly initialStock: number
  readonly attempts: number
  readonly buyers: BuyerTotals
  readonly inventory: InventoryReport
  readonly file: FileAudit
  /** Present when the run killed the inventory's worker. */
  readonly kill?: {
    readonly inventoryThread: number
    /** Threads whose worker-crashed event was seen. */
    readonly crashedThreads: readonly number[]
    readonly inventoryRestarts: number
  }
}

/** Three independent counts of the units sold (buyers, inventory, file) must agree exactly. */
export function reconcile(o: SaleObservations): Check[] {
  const { inventory, file, buyers } = o
  const checks: Check[] = [
    {
      id: 'every-attempt-answered',
      passed: buyers.answered === o.attempts && buyers.unanswered === 0,
      detail: `${exact(buyers.answered)} of ${exact(o.attempts)} attempts answered sold or sold out; ${exact(buyers.unanswered)} gave up`,
    },
    {
      id: 'never-oversold',
      passed: buyers.sold <= o.initialStock && inventory.sold <= o.initialStock && file.purchases <= o.initialStock,
      detail: `at most ${exact(o.initialStock)} units sold by every count: buyers ${exact(buyers.sold)}, inventory ${exact(inventory.sold)}, file ${exact(file.purchases)}`,
    },
    {
      id: 'stock-balances',
      passed: inventory.initial === o.initialStock && inventory.sold + inventory.remaining === o.initialStock && inventory.pending === 0,
      detail: `sold ${exact(inventory.sold)} + remaining ${exact(inventory.remaining)} = ${exact(inventory.sold + inventory.remaining)} (initial ${exact(o.initialStock)}); ${exact(inventory.pending)} pending`,
    },
    {
      id: 'buyers-match-inventory',
      passed: buyers.sold === inventory.sold,
      detail: `successes reported by buyers ${exact(buyers.sold)} = sold recorded by the inventory ${exact(inventory.sold)}`,
    },
    {
      id: 'inventory-matches-file',
      passed: file.purchases === inventory.sold && file.stock === inventory.remaining && file.initialStock === o.initialStock && file.tornBytes === 0,
      detail: `file: ${exact(file.purchases)} purchase records, stock ${file.stock ?? 'missing'}, initial ${file.initialStock === undefined ? 'missing' : exact(file.initialStock)}, ${exact(file.tornBytes)} torn bytes`,
    },
    samePurchases(buyers.soldIds, file.purchaseIds),
    {
      id: 'no-conflicting-answers',
      passed: buyers.conflicts === 0,
      detail: `purchase ids answered both sold and sold out: ${exact(buyers.conflicts)}`,
    },
  ]
  if (o.kill !== undefined) checks.push(killedAndRecovered(o.kill, inventory, o.initialStock))
  return checks
}

/** Not just the same count: the very purchase ids buyers were told "sold" are the ones on disk. */
function samePurchases(toldSold: ReadonlySet<string>, onDisk: ReadonlySet<string>): Check {
  const missing = [...toldSold].filter((id) => !onDisk.has(id)).length
  const extra = [...onDisk].filter((id) => !toldSold.has(id)).length
  return {
    id: 'same-purchases',
    passed: missing === 0 && extra === 0,
    detail: `purchase ids: ${exact(missing)} told sold but not on disk, ${exact(extra)} on disk but never told`,
  }
}

function killedAndRecovered(kill: NonNullable<SaleObservations['kill']>, inventory: InventoryReport, initialStock: number): Check {
  const crashed = kill.crashedThreads.includes(kill.inventoryThread)
  // Mid-sale: the fresh inventory found some units sold and some left, and sold the rest itself.
  const midSale = inventory.recoveredSold > 0 && inventory.recoveredSold < initialStock
  return {
    id: 'killed-and-recovered',
    passed: crashed && kill.inventoryRestarts >= 1 && midSale && inventory.thread === kill.inventoryThread,
    detail: `worker ${kill.inventoryThread} ${crashed ? 'crashed' : 'did NOT crash'}; inventory restarted ${kill.inventoryRestarts}× and resumed from the log at ${exact(inventory.recoveredSold)} sold`,
  }
}
