import { access, mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { ActorSystem } from 'troupe'
import { exact } from '../shared/format.js'
import type { CompactionPolicy, WriterStats } from '../store/index.js'
import { FLASH_SALE_ACTOR_MODULES } from './actor-modules.js'
import { auditLogFile, type FileAudit } from './audit.js'
import { CrashWatch, type Crash } from './crash-watch.js'
import type { InventoryReport } from './inventory.js'
import { OutcomeBook } from './outcome-book.js'
import { purchaseId, type ShoppingReport } from './purchase.js'
import { reconcile, type BuyerTotals, type Check } from './reconcile.js'
import { summaryLines } from './report.js'
import { chunked, shop } from './shopping.js'
import { spawnSale } from './topology.js'

export type FlashSaleOptions = {
  /** Worker threads, at least 2 (inventory and writer on different ones). Default: cores, 2 to 4. */
  readonly workers?: number
  /** Purchase attempts, one unit each. Default 10,000. */
  readonly attempts?: number
  /** Units for sale. Default 1,000. */
  readonly stock?: number
  /** Kill the inventory's worker once 30% of the stock is sold. */
  readonly killMidSale: boolean
  readonly log: (line: string) => void
  /** Where the writer's file goes. Default: a temporary directory, removed afterwards. */
  readonly dataDir?: string
  /** Buyer actors per worker. Default 4. */
  readonly buyersPerWorker?: number
}

export type FlashSaleResult = {
  /** Every check passed. */
  readonly ok: boolean
  readonly checks: readonly Check[]
  readonly workers: number
  readonly initialStock: number
  readonly attempts: number
  /** The buyers' answers, one per purchase id. */
  readonly buyers: Omit<BuyerTotals, 'soldIds'> & {
    readonly retries: number
    readonly replayed: number
    /** Chunks run again because their buyer's worker died. */
    readonly rerunChunks: number
    /** [thread, attempts answered there]: buyers ran on every worker. */
    readonly attemptsByThread: readonly (readonly [number, number])[]
  }
  readonly inventory: InventoryReport
  /** The writer's file, read from disk after the sale. */
  readonly file: Omit<FileAudit, 'purchaseIds'>
  readonly writer: WriterStats
  readonly inventoryThread: number
  readonly writerThread: number
  /** The worker crashes seen during the sale (only with `killMidSale`). */
  readonly crashes: readonly Crash[]
  readonly inventoryRestarts: number
  /** Units the buyers had been told were sold when the kill was ordered. */
  readonly soldAtKill: number | undefined
  /** Messages no actor processed (see `system.deadLetters`). */
  readonly deadLetters: number
  readonly seconds: number
}

const SKU = 'troupe-tee'
/** Purchases per buyer ask: with 4 buyers per worker, a few hundred buys in flight at once. */
const CHUNK_SIZE = 25
const KILL_AT_FRACTION = 0.3
/**
 * Each sale writes two records (the purchase and the new stock) and overwrites `stock`, so the
 * file gains about one dead record per sale: compaction runs a few times during a sale of 1,000.
 */
const SALE_COMPACTION: CompactionPolicy = { minRecords: 500, factor: 1.5 }
const RECOVERY_DEADLINE_MS = 15_000

/**
 * A flash sale: buyers on every worker race for a limited stock owned by one inventory actor,
 * whose sales a log writer on another worker makes durable. Optionally kills the inventory's
 * worker mid-sale. Then checks that buyers, inventory and file agree to the unit.
 */
export async function runFlashSale(options: FlashSaleOptions): Promise<FlashSaleResult> {
  const workers = options.workers ?? Math.min(4, Math.max(2, availableParallelism()))
  const stock = options.stock ?? 1_000
  const attempts = options.attempts ?? 10_000
  const buyersPerWorker = options.buyersPerWorker ?? 4
  if (!Number.isInteger(workers) || workers < 2) throw new RangeError(`workers must be an integer of at least 2 (inventory and writer apart), got ${workers}`)
  for (const [name, value] of Object.entries({ stock, attempts, buyersPerWorker })) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`)
  }

  const started = performance.now()
  const say = (line: string): void => options.log(`[${((performance.now() - started) / 1000).toFixed(2).padStart(5)} s] ${line}`)
  const ownDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'troupe-flash-sale-')))
  const path = join(dataDir, 'flash-sale.log')
  if (await exists(path)) throw new Error(`${path} already holds a sale; give each run its own dataDir`)

  let system: ActorSystem | undefined
  try {
    system = await ActorSystem.start({ workers, actors: FLASH_SALE_ACTOR_MODULES })
    const { writer, inventory, buyers, inventoryThread, writerThread } = await spawnSale(system, {
      path,
      compaction: SALE_COMPACTION,
      product: { sku: SKU, initialStock: stock },
      buyersPerWorker,
    })
    const killAt = options.killMidSale ? Math.max(1, Math.floor(stock * KILL_AT_FRACTION)) : undefined
    options.log(`Flash sale: ${exact(stock)} × ${SKU}, ${exact(attempts)} purchase attempts by ${buyers.length} buyers on ${workers} workers (${buyersPerWorker} each)`)
    options.log(`  inventory on worker ${inventoryThread}; log writer on worker ${writerThread}, file ${path}`)
    if (killAt !== undefined) options.log(`  at ${exact(killAt)} units sold, worker ${inventoryThread} (the inventory's) will be killed with process.exit(1)`)

    const watch = new CrashWatch(system, inventory, inventoryThread, say)
    const book = new OutcomeBook()
    let soldAtKill: number | undefined
    let nextProgress = 1
    const onReport = (report: ShoppingReport): void => {
      const soldBefore = book.sold
      book.record(report)
      if (killAt !== undefined && soldAtKill === undefined && book.sold >= killAt) {
        soldAtKill = book.sold
        say(`${exact(book.sold)} units sold: killing worker ${inventoryThread}, which hosts the inventory`)
        inventory.tell.crashWorker()
      }
      if (soldBefore < stock && book.sold >= stock) say(`sold out: all ${exact(stock)} units sold, ${exact(book.answered)} attempts answered so far`)
      while (book.answered >= (attempts * nextProgress) / 5) {
        say(`${exact(book.answered)}/${exact(attempts)} attempts answered: ${exact(book.sold)} sold, ${exact(book.soldOut)} sold out, ${exact(book.retries)} retries`)
        nextProgress++
      }
    }
    say('sale opens')
    const ids = Array.from({ length: attempts }, (_, i) => purchaseId(i + 1))
    const rerunChunks = await unlessTerminated(system, shop({ buyers, chunks: chunked(ids, CHUNK_SIZE), onReport }))
    // Every attempt was answered, so the inventory is back; wait for its worker's recovery to
    // complete too (its other actors), so that the story and the numbers below are whole. The
    // deadline only keeps a broken run from hanging: the checks then report what is missing.
    if (soldAtKill !== undefined) await unlessTerminated(system, waitAtMost(watch.recovered, RECOVERY_DEADLINE_MS))
    watch.stop()

    const writerStats = await writer.ask.sync()
    const inventoryReport = await inventory.ask.report()
    const file = await auditLogFile(path)
    const buyerTotals: BuyerTotals = {
      answered: book.answered,
      sold: book.sold,
      soldOut: book.soldOut,
      unanswered: book.unanswered,
      conflicts: book.conflicts,
      soldIds: book.soldIds(),
    }
    const checks = reconcile({
      initialStock: stock,
      attempts,
      buyers: buyerTotals,
      inventory: inventoryReport,
      file,
      ...(killAt === undefined ? {} : { kill: { inventoryThread, crashedThreads: watch.crashes.map((crash) => crash.thread), inventoryRestarts: watch.inventoryRestarts } }),
    })
    const ok = checks.every((check) => check.passed)
    const deadLetters = system.deadLetters.count
    const seconds = (performance.now() - started) / 1000

    say('sale closed')
    for (const line of summaryLines({ stock, buyers: buyerTotals, book, rerunChunks, inventory: inventoryReport, file, writer: writerStats, deadLetters, checks, seconds })) {
      options.log(line)
    }

    const { purchaseIds: _ids, ...fileTotals } = file
    const { soldIds: _sold, ...buyerCounts } = buyerTotals
    return {
      ok,
      checks,
      workers,
      initialStock: stock,
      attempts,
      buyers: { ...buyerCounts, retries: book.retries, replayed: book.replayed, rerunChunks, attemptsByThread: [...book.attemptsByThread()] },
      inventory: inventoryReport,
      file: fileTotals,
      writer: writerStats,
      inventoryThread,
      writerThread,
      crashes: [...watch.crashes],
      inventoryRestarts: watch.inventoryRestarts,
      soldAtKill,
      deadLetters,
      seconds,
    }
  } finally {
    await system?.shutdown()
    if (ownDir) await rm(dataDir, { recursive: true, force: true })
  }
}

/**
 * `work`, unless the system shuts itself down first (its guardian gave up, e.g. because a
 * replacement worker cannot start): then nothing will answer any more, so fail at once.
 */
async function unlessTerminated<T>(system: ActorSystem, work: Promise<T>): Promise<T> {
  work.catch(() => undefined) // if the system wins the race, the work's own failure is moot
  const terminated = system.whenTerminated().then(() => {
    throw new Error('the actor system shut down during the sale')
  })
  terminated.catch(() => undefined) // resolves at the normal shutdown too, after the race
  return Promise.race([work, terminated])
}

/** Waits for `promise`, or `ms` at most; clears its timer either way so no process waits on it. */
async function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))])
  clearTimeout(timer)
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}
