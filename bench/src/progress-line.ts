// The text of the suite's progress: after the bar on a terminal, and as plain lines in logs.
import { formatDuration } from './duration.js'
import type { ProgressSnapshot } from './progress.js'

/** "ETA 8m 30s"; "ETA --" before the first run has finished. */
export function etaText(remainingMs: number | null): string {
  return remainingMs === null ? 'ETA --' : `ETA ${formatDuration(remainingMs)}`
}

function percent({ done, total }: { done: number; total: number }): number {
  return total <= 0 ? 100 : Math.floor((done / total) * 100)
}

const finished = (s: ProgressSnapshot): boolean => s.runs.done >= s.runs.total

/**
 * What follows the bar: " 33% | 12/57 benchmarks | ETA 8m 30s | 4m 12s | tell.cross-thread round 3/10".
 * The most useful first: a narrow terminal cuts the line's end, so the id goes last.
 */
export function barStatus(s: ProgressSnapshot): string {
  const head = [`${String(percent(s.runs)).padStart(3)}%`, `${s.benchmarks.done}/${s.benchmarks.total} benchmarks`]
  if (finished(s)) return [...head, `took ${formatDuration(s.elapsedMs)}`].join(' | ')
  const parts = [...head, etaText(s.remainingMs), formatDuration(s.elapsedMs)]
  if (s.current !== null) parts.push(`${s.current.id} ${s.current.label}`)
  return parts.join(' | ')
}

/**
 * The plain line printed as a benchmark starts, where no bar can be drawn (CI logs, pipes):
 * "[12/57] tell.cross-thread: runs 134/402 (33%), 4m 12s elapsed, ETA 8m 30s".
 */
export function plainLine(s: ProgressSnapshot): string {
  const id = s.current?.id ?? '(between runs)'
  return `[${s.benchmarks.started}/${s.benchmarks.total}] ${id}: runs ${s.runs.done}/${s.runs.total} (${percent(s.runs)}%), ${formatDuration(s.elapsedMs)} elapsed, ${etaText(s.remainingMs)}`
}
