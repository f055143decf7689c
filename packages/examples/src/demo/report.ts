import type { Check } from './reconcile.js'
import type { RateSample, RunTotals } from './throughput-meter.js'
import { compact, percent, row, rule, share, type Column } from './format.js'

const threadName = (thread: number): string => (thread === 0 ? 'main' : `worker ${thread}`)
const shortName = (thread: number): string => (thread === 0 ? 'main' : `w${thread}`)

const TIME: Column = { width: 6, align: 'right' }
const RATE: Column = { width: 10, align: 'right' }
const UTIL: Column = { width: 4, align: 'right' }

/** The live table, one row a second: total rate, then each thread's rate and utilisation. */
export class LiveTable {
  readonly #columns: readonly Column[]
  readonly #threads: readonly number[]

  constructor(threads: readonly number[]) {
    this.#threads = threads
    this.#columns = [TIME, RATE, ...threads.flatMap(() => [RATE, UTIL])]
  }

  header(): string[] {
    const titles = ['time', 'all msg/s', ...this.#threads.flatMap((thread) => [`${shortName(thread)} msg/s`, 'util'])]
    return [row(this.#columns, titles), rule(this.#columns)]
  }

  line(sample: RateSample): string {
    const cells = [`${sample.elapsed.toFixed(1)} s`, compact(sample.totalRate)]
    for (const thread of this.#threads) {
      const rate = sample.threads.find((t) => t.thread === thread)
      cells.push(rate === undefined ? '-' : compact(rate.rate), rate === undefined ? '-' : percent(rate.utilization))
    }
    return row(this.#columns, cells)
  }
}

const SUMMARY: readonly Column[] = [
  { width: 8, align: 'left' },
  { width: 8, align: 'right' },
  { width: 6, align: 'right' },
  { width: 8, align: 'right' },
  { width: 9, align: 'right' },
]

/** Per-thread totals over the whole run: messages, share of all messages, rate, mean utilisation. */
export function summaryTable(run: RunTotals): string[] {
  const lines = [row(SUMMARY, ['thread', 'messages', 'share', 'msg/s', 'mean util']), rule(SUMMARY)]
  for (const thread of run.threads) {
    lines.push(
      row(SUMMARY, [
        threadName(thread.thread),
        compact(thread.processed),
        share(run.processed === 0 ? 0 : thread.processed / run.processed),
        compact(thread.processed / run.seconds),
        percent(thread.meanUtilization),
      ]),
    )
  }
  lines.push(row(SUMMARY, ['all', compact(run.processed), share(1), compact(run.processed / run.seconds), '']))
  return lines
}

export function checkLines(checks: readonly Check[]): string[] {
  return checks.map((check) => `${check.passed ? '[ok]  ' : '[FAIL]'} ${check.detail}`)
}
