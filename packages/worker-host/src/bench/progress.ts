// A progress bar on stderr: redrawn in place on a terminal, one line per run otherwise (CI logs).
import type { ScalingProgress } from './scaling.js'
import { formatRate } from './table.js'

export interface ProgressSink {
  readonly isTTY?: boolean
  write(text: string): unknown
}

const barWidth = 24

/** The text of one progress report, e.g. "[######------]  6/12  round 2/4  k=2  1.23 M ops/s  ETA 12 s". */
export function progressLine(progress: ScalingProgress, unit: string, warmupRounds: number, rounds: number, elapsedMs: number): string {
  const filled = Math.round((progress.done / progress.total) * barWidth)
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]`
  const round = progress.warmup ? `warm-up ${progress.round + 1}/${warmupRounds}` : `round ${progress.round - warmupRounds + 1}/${rounds - warmupRounds}`
  const remainingMs = (elapsedMs / progress.done) * (progress.total - progress.done)
  const eta = progress.done < progress.total ? `  ETA ${Math.ceil(remainingMs / 1000)} s` : `  done in ${(elapsedMs / 1000).toFixed(1)} s`
  const width = String(progress.total).length
  return `${bar} ${String(progress.done).padStart(width)}/${progress.total}  ${round}  k=${progress.workers}  ${formatRate(progress.perSecond)} ${unit}${eta}`
}

/** Returns the onProgress callback for a run of `rounds` rounds, `warmupRounds` of them untimed. */
export function progressBar(sink: ProgressSink, unit: string, warmupRounds: number, rounds: number, now: () => number = () => performance.now()): (progress: ScalingProgress) => void {
  const started = now()
  return (progress) => {
    const line = progressLine(progress, unit, warmupRounds, rounds, now() - started)
    if (sink.isTTY === true) sink.write(`\r\x1b[2K${line}${progress.done === progress.total ? '\n' : ''}`)
    else sink.write(`${line}\n`)
  }
}
