import { row, rule, type Column } from '../shared/format.js'
import type { AggregateSnapshot, QueueSnapshot } from './types.js'

const COLUMNS: readonly Column[] = [
  { width: 8, align: 'left' },
  { width: 6, align: 'right' },
  { width: 9, align: 'right' },
  { width: 5, align: 'right' },
  { width: 6, align: 'right' },
  { width: 7, align: 'right' },
]

/** "[ 1.25 s]": seconds since the run started, so the monitor's lines and the run's line up. */
export function stamp(startedAt: number, now = Date.now()): string {
  return `[${((now - startedAt) / 1000).toFixed(2).padStart(5)} s]`
}

/** The monitor's live table: the queue in one line, then one row per worker. */
export function monitorTable(at: string, queue: QueueSnapshot, pool: AggregateSnapshot): string[] {
  const { waiting } = queue
  const { totals } = pool
  const parked = queue.parked === 0 ? '' : `, ${queue.parked} submitter${queue.parked === 1 ? '' : 's'} waiting`
  const indent = ' '.repeat(at.length + 1)
  return [
    `${at} queue ${queue.depth}/${queue.capacity} (high ${waiting.high}, normal ${waiting.normal}, low ${waiting.low})${parked}; in flight ${queue.inFlight}/${queue.slots}; ` +
      `${totals.settled} settled: ${totals.done} done, ${totals.failed} failed, ${totals.expired} expired; ${queue.retried} ${queue.retried === 1 ? 'retry' : 'retries'}`,
    indent + row(COLUMNS, ['worker', 'thread', 'in flight', 'done', 'failed', 'expired']),
    indent + rule(COLUMNS),
    ...pool.workers.map((w) => indent + row(COLUMNS, [w.label, String(w.thread), String(w.inFlight), String(w.done), String(w.failed), String(w.expired)])),
  ]
}
