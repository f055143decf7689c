import type { Check, PipelineOutcome } from './checks.js'
import { compact, exact, percent, row, rule, share, threadName, type Column } from '../shared/format.js'
import { RESEND_REASONS, addResends, emptyResends, totalResends } from './resend-reason.js'
import type { RateSample, RunTotals } from './throughput-meter.js'

const shortName = (thread: number): string => (thread === 0 ? 'main' : `w${thread}`)

const TIME: Column = { width: 8, align: 'right' }
const RATE: Column = { width: 10, align: 'right' }
const UTIL: Column = { width: 5, align: 'right' }

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

  /** A worker that is down shows "down"; one that replaced a dead worker during the interval is marked "*". */
  line(sample: RateSample): string {
    const cells = [`${sample.elapsed.toFixed(2)} s`, compact(sample.totalRate)]
    for (const thread of this.#threads) {
      const rate = sample.threads.find((t) => t.thread === thread)
      if (rate === undefined) cells.push('down', '-')
      else cells.push(`${rate.replaced ? '* ' : ''}${compact(rate.rate)}`, percent(rate.utilization))
    }
    const replaced = sample.threads.filter((t) => t.replaced).map((t) => shortName(t.thread))
    const line = row(this.#columns, cells)
    return replaced.length === 0 ? line : `${line}   * ${replaced.join(', ')}: old and fresh thread together`
  }
}

const SUMMARY: readonly Column[] = [
  { width: 8, align: 'left' },
  { width: 9, align: 'right' },
  { width: 6, align: 'right' },
  { width: 8, align: 'right' },
  { width: 9, align: 'right' },
  { width: 0, align: 'left' },
]

/** Per-thread totals over the whole run: messages, share of all messages, rate, mean utilisation. */
export function summaryTable(run: RunTotals): string[] {
  const lines = [row(SUMMARY, ['thread', 'messages', 'share', 'msg/s', 'mean util', '']), rule(SUMMARY.slice(0, -1))]
  for (const thread of run.threads) {
    const note = thread.replacements === 0 ? '' : `killed and replaced; ${compact(thread.processedThisLife)} by the fresh thread`
    lines.push(
      row(SUMMARY, [
        threadName(thread.thread),
        compact(thread.processed),
        share(run.processed === 0 ? 0 : thread.processed / run.processed),
        compact(thread.processed / run.seconds),
        percent(thread.meanUtilization),
        note,
      ]),
    )
  }
  lines.push(row(SUMMARY, ['all', compact(run.processed), share(1), compact(run.processed / run.seconds), '', '']))
  return lines
}

const LEDGER: readonly Column[] = [
  { width: 8, align: 'right' },
  { width: 7, align: 'left' },
  { width: 7, align: 'right' },
  { width: 10, align: 'right' },
  { width: 7, align: 'right' },
  { width: 10, align: 'right' },
  { width: 0, align: 'left' },
]

/** The ledger per pipeline: chunks committed, chunks sent again, duplicates it ignored, and how a restarted producer resumed. */
export function ledgerTable(pipelines: readonly PipelineOutcome[]): string[] {
  const lines = [row(LEDGER, ['pipeline', 'route', 'chunks', 'values', 're-sent', 'duplicates', '']), rule(LEDGER.slice(0, -1))]
  for (const { pipeline, producerThread, consumerThread, producer, ledger } of pipelines) {
    const resumed = producer.resumedAt === undefined ? '' : `producer restarted, resumed at chunk ${exact(producer.resumedAt.frontier)}${producer.resumedAt.missing.length > 0 ? ` after re-sending ${producer.resumedAt.missing.length} missing` : ''}`
    lines.push(
      row(LEDGER, [
        String(pipeline),
        `w${producerThread}>w${consumerThread}`,
        exact(ledger.chunks),
        exact(ledger.count),
        exact(totalResends(producer.resends)),
        exact(ledger.duplicates),
        resumed,
      ]),
    )
  }
  return lines
}

/** "14 chunks re-sent: 8 worker-crashed, 6 incomplete". */
export function resendLine(pipelines: readonly PipelineOutcome[]): string {
  const resends = pipelines.reduce((total, p) => addResends(total, p.producer.resends), emptyResends())
  const reasons = RESEND_REASONS.filter((reason) => resends[reason] > 0).map((reason) => `${exact(resends[reason])} ${reason}`)
  return `${exact(totalResends(resends))} chunks re-sent by producers${reasons.length > 0 ? `: ${reasons.join(', ')}` : ''}`
}

export function checkLines(checks: readonly Check[]): string[] {
  return checks.map((check) => `${check.passed ? '[ok]  ' : '[FAIL]'} ${check.detail}`)
}
