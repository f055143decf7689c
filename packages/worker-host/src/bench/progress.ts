// A progress bar on stderr: drawn by cli-progress on a terminal, one plain line per run otherwise
// (CI logs, pipes), where a redrawn line would only leave escape codes behind.
import { remainingMs } from './eta.js'
import type { ScalingProgress } from './scaling.js'
import { formatRate } from './table.js'
import { TerminalBar } from './terminal-bar.js'
import type { TerminalStream } from './terminal-bar.js'

/** Where progress goes: process.stderr, or a stand-in in a test. */
export type ProgressSink = TerminalStream

const barWidth = 24

/**
 * The report after the bar, e.g. "6/12  round 2/4  k=2  1.23 M ops/s  ETA 12 s". `spentMs`: from the
 * start until the reported run finished; `nowMs`: until now, later on a terminal's redraw, so the
 * estimate counts down between reports.
 */
export function progressStatus(progress: ScalingProgress, unit: string, warmupRounds: number, rounds: number, spentMs: number, nowMs: number = spentMs): string {
  const round = progress.warmup ? `warm-up ${progress.round + 1}/${warmupRounds}` : `round ${progress.round - warmupRounds + 1}/${rounds - warmupRounds}`
  const left = remainingMs({ done: progress.done, total: progress.total, spentMs, nowMs }) ?? 0
  const eta = progress.done < progress.total ? `  ETA ${Math.ceil(left / 1000)} s` : `  done in ${(spentMs / 1000).toFixed(1)} s`
  const width = String(progress.total).length
  return `${String(progress.done).padStart(width)}/${progress.total}  ${round}  k=${progress.workers}  ${formatRate(progress.perSecond)} ${unit}${eta}`
}

/** The plain line of one report, e.g. "[######------]  6/12  round 2/4  k=2  1.23 M ops/s  ETA 12 s". */
export function progressLine(progress: ScalingProgress, unit: string, warmupRounds: number, rounds: number, elapsedMs: number): string {
  const filled = Math.round((progress.done / progress.total) * barWidth)
  return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${progressStatus(progress, unit, warmupRounds, rounds, elapsedMs)}`
}

/** stdout too, when it is the same terminal as the bar: a workload printing there would cut through it. */
function sameTerminal(sink: ProgressSink): NodeJS.WritableStream[] {
  return sink === process.stderr && process.stdout.isTTY ? [process.stdout] : []
}

/**
 * Returns the onProgress callback for a run of `rounds` rounds, `warmupRounds` of them untimed.
 * On a terminal the bar appears with the first report and ends with the last one; a run that
 * fails before that leaves it to the process's exit, which draws its last state.
 */
export function progressBar(
  sink: ProgressSink,
  unit: string,
  warmupRounds: number,
  rounds: number,
  now: () => number = () => performance.now(),
  others: readonly NodeJS.WritableStream[] = sameTerminal(sink),
): (progress: ScalingProgress) => void {
  const started = now()
  if (sink.isTTY !== true) {
    return (progress) => {
      sink.write(`${progressLine(progress, unit, warmupRounds, rounds, now() - started)}\n`)
    }
  }
  let bar: TerminalBar | undefined
  let last: { progress: ScalingProgress; spentMs: number } | undefined
  const line = (drawn: string): string => (last === undefined ? `[${drawn}]` : `[${drawn}] ${progressStatus(last.progress, unit, warmupRounds, rounds, last.spentMs, now() - started)}`)
  return (progress) => {
    last = { progress, spentMs: now() - started }
    if (bar === undefined) bar = new TerminalBar({ stream: sink, others, barsize: barWidth, line, value: progress.done, total: progress.total })
    else bar.progress(progress.done, progress.total)
    if (progress.done >= progress.total) bar.stop()
  }
}
