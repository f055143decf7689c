// Shows the suite's progress: a cli-progress bar on a terminal, with the suite's own lines
// scrolling above it; plain lines where no bar can be drawn (CI logs, pipes), where a redrawn
// line would only leave escape codes behind.
import { barStatus, plainLine } from './progress-line.js'
import type { SuiteProgress } from './progress.js'
import type { RunObserver } from './rounds.js'
import { TerminalBar, type TerminalStream } from 'troupe'

export interface ProgressDisplay extends RunObserver {
  /** A line of the suite's own output (results, timings); above the bar while one is drawn. */
  log(line: string): void
  /** Ends the bar (its last state stays on screen); later lines are written plainly. */
  stop(): void
}

/**
 * `stream` is where progress goes (process.stderr); `others` are streams on the same terminal
 * whose writes must not cut through the bar (process.stdout when it is a terminal too).
 */
export function progressDisplay(progress: SuiteProgress, stream: TerminalStream, others: readonly NodeJS.WritableStream[] = []): ProgressDisplay {
  return stream.isTTY === true ? barDisplay(progress, stream, others) : plainDisplay(progress, stream)
}

function plainDisplay(progress: SuiteProgress, stream: TerminalStream): ProgressDisplay {
  const write = (line: string): void => {
    stream.write(`${line}\n`)
  }
  return {
    log: write,
    starting(id, label) {
      // One line per benchmark, not per run: the result lines already say which run ended.
      if (progress.starting(id, label)) write(plainLine(progress.snapshot()))
    },
    finished(id, dropped) {
      progress.finished(id, dropped)
    },
    stop() {},
  }
}

function barDisplay(progress: SuiteProgress, stream: TerminalStream, others: readonly NodeJS.WritableStream[]): ProgressDisplay {
  const line = (drawn: string): string => `[${drawn}] ${barStatus(progress.snapshot())}`
  const bar = new TerminalBar({ stream, others, barsize: 20, line, value: 0, total: progress.snapshot().runs.total })
  const moved = (): void => {
    const { runs } = progress.snapshot()
    bar.progress(runs.done, runs.total)
  }
  return {
    log: (line) => bar.log(line),
    starting(id, label) {
      progress.starting(id, label)
      moved()
    },
    finished(id, dropped) {
      progress.finished(id, dropped)
      moved()
    },
    stop: () => bar.stop(),
  }
}
