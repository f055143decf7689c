import { exact, row, rule, type Column } from '../shared/format.js'
import type { WriterStats } from '../store/index.js'
import type { FileAudit } from './audit.js'
import type { InventoryReport } from './inventory.js'
import type { OutcomeBook } from './outcome-book.js'
import type { BuyerTotals, Check } from './reconcile.js'

export type Summary = {
  readonly stock: number
  readonly buyers: BuyerTotals
  readonly book: OutcomeBook
  readonly rerunChunks: number
  readonly inventory: InventoryReport
  readonly file: FileAudit
  readonly writer: WriterStats
  readonly deadLetters: number
  readonly checks: readonly Check[]
  readonly seconds: number
}

/** Everything printed after the sale: the table, how buyers and writer fared, the checks, the verdict. */
export function summaryLines(s: Summary): string[] {
  const passed = s.checks.filter((check) => check.passed).length
  const byThread = [...s.book.attemptsByThread()].map(([thread, n]) => `${exact(n)} attempts on worker ${thread}`).join(', ')
  return [
    '',
    ...reconciliationTable(s.stock, s.buyers, s.inventory, s.file).map((line) => `  ${line}`),
    '',
    `  buyers: ${byThread}; ${exact(s.book.retries)} retries, ${exact(s.rerunChunks)} chunks re-run, ${exact(s.book.replayed)} sales answered from the log`,
    `  writer: ${exact(s.writer.appends)} appends made durable by ${exact(s.writer.flushes)} fsyncs (up to ${exact(s.writer.largestGroup)} per fsync), ` +
      `${exact(s.writer.compactions)} compactions, ${exact(s.writer.refused)} stale appends refused; file ${exact(s.file.bytes)} bytes in ${exact(s.file.lines)} lines`,
    `  dead letters: ${exact(s.deadLetters)}`,
    '',
    ...checkLines(s.checks).map((line) => `  ${line}`),
    '',
    `${passed === s.checks.length ? 'PASS' : 'FAIL'}: ${passed}/${s.checks.length} checks, ${s.seconds.toFixed(1)} s`,
  ]
}

const COLUMNS: readonly Column[] = [
  { width: 40, align: 'left' },
  { width: 8, align: 'right' },
]

/** The reconciliation table: the same units counted three independent ways. */
export function reconciliationTable(initialStock: number, buyers: BuyerTotals, inventory: InventoryReport, file: FileAudit): string[] {
  const line = (label: string, value: number | undefined): string => row(COLUMNS, [label, value === undefined ? 'missing' : exact(value)])
  return [
    row(COLUMNS, ['', 'units']),
    rule(COLUMNS),
    line('initial stock', initialStock),
    line('sold, per the inventory', inventory.sold),
    line('remaining, per the inventory', inventory.remaining),
    line('sold + remaining', inventory.sold + inventory.remaining),
    line('successes reported by buyers', buyers.sold),
    line("purchase records in the writer's file", file.purchases),
    line("stock in the writer's file", file.stock),
    rule(COLUMNS),
    line('attempts answered "sold"', buyers.sold),
    line('attempts answered "sold out"', buyers.soldOut),
  ]
}

export function checkLines(checks: readonly Check[]): string[] {
  return checks.map((check) => `${check.passed ? 'ok  ' : 'FAIL'}  ${check.id.padEnd(24)} ${check.detail}`)
}
