import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main } from '../src/flash-sale/main.js'
import { runFlashSale, type FlashSaleResult } from '../src/flash-sale/run.js'

let dataDir: string
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'troupe-flash-sale-test-'))
})
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

/** The numbers every run must reconcile, whatever happened during it. */
function expectReconciled(result: FlashSaleResult): void {
  const { initialStock, attempts, buyers, inventory, file } = result
  // Every attempt got exactly one final answer, and no id got two different ones.
  expect(buyers.answered).toBe(attempts)
  expect(buyers.sold + buyers.soldOut).toBe(attempts)
  expect(buyers.unanswered).toBe(0)
  expect(buyers.conflicts).toBe(0)
  // Never oversold, and the stock balances.
  expect(inventory.sold).toBeLessThanOrEqual(initialStock)
  expect(inventory.initial).toBe(initialStock)
  expect(inventory.sold + inventory.remaining).toBe(initialStock)
  expect(inventory.pending).toBe(0)
  // Three independent counts agree: buyers, inventory, the writer's file on disk.
  expect(buyers.sold).toBe(inventory.sold)
  expect(file.purchases).toBe(inventory.sold)
  expect(file.stock).toBe(inventory.remaining)
  expect(file.initialStock).toBe(initialStock)
  expect(file.tornBytes).toBe(0)
  // With ten attempts per unit, the whole stock goes.
  expect(inventory.sold).toBe(initialStock)
  // Buyers on every worker took part; the inventory and the writer lived apart.
  expect(buyers.attemptsByThread.map(([thread]) => thread)).toEqual([1, 2])
  expect(result.inventoryThread).not.toBe(result.writerThread)
  expect(inventory.thread).toBe(result.inventoryThread)
  // Group commit: far fewer fsyncs than appends (one append per sale, plus the opening one).
  expect(result.writer.appends).toBe(inventory.sold + 1)
  expect(result.writer.flushes).toBeLessThan(result.writer.appends)
  expect(result.checks.filter((check) => !check.passed)).toEqual([])
  expect(result.ok).toBe(true)
}

describe('flash sale', () => {
  it('10,000 attempts at 1,000 units: never oversold, and buyers, inventory and file agree exactly', async () => {
    const result = await runFlashSale({ workers: 2, killMidSale: false, dataDir, log: () => undefined })
    expect(result).toMatchObject({ initialStock: 1_000, attempts: 10_000, crashes: [], inventoryRestarts: 0, soldAtKill: undefined })
    expectReconciled(result)
    expect(result.inventory.recoveredSold).toBe(0) // a fresh sale
    expect(result.buyers.rerunChunks).toBe(0)
    // Compaction ran during the sale, and the file is the one the caller's directory holds.
    expect(result.writer.compactions).toBeGreaterThan(0)
    expect((await stat(join(dataDir, 'flash-sale.log'))).size).toBe(result.file.bytes)
  })

  it("the inventory's worker killed mid-sale: it recovers its stock from the writer and the sale still reconciles exactly", async () => {
    const result = await runFlashSale({ workers: 2, killMidSale: true, dataDir, log: () => undefined })
    expectReconciled(result)
    // The worker really died (a worker-crashed event for the inventory's thread) and was recovered.
    expect(result.crashes.map((crash) => crash.thread)).toEqual([result.inventoryThread])
    expect(result.crashes[0]!.reason).toMatch(/exited with code 1/)
    expect(result.inventoryRestarts).toBe(1)
    // Killed mid-sale: the fresh inventory read some sales back from the log, with stock left to sell.
    expect(result.soldAtKill).toBeGreaterThan(0)
    expect(result.inventory.recoveredSold).toBeGreaterThanOrEqual(result.soldAtKill!)
    expect(result.inventory.recoveredSold).toBeLessThan(result.initialStock)
    // Buyers lived through it: asks that failed with WorkerCrashedError were retried (or their
    // chunk re-run, for buyers that died with the worker) under the same purchase ids.
    expect(result.buyers.retries + result.buyers.rerunChunks).toBeGreaterThan(0)
  })

  it('main() runs both sales and reports success', async () => {
    const lines: string[] = []
    const passed = await main((line) => lines.push(line))
    expect(passed, lines.join('\n')).toBe(true)
    expect(lines.at(-1)).toMatch(/^PASS/)
  })
})
