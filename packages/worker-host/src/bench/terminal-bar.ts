// A cli-progress bar on the terminal's last line, with the run's own output scrolling above it.
import { Buffer } from 'node:buffer'
import { Writable } from 'node:stream'
import cliProgress from 'cli-progress'
import type { Options, Params, SingleBar } from 'cli-progress'
import { captureLines } from './capture-lines.js'
import type { CapturedStream } from './capture-lines.js'

/** The terminal to draw on: process.stderr, or a stand-in with isTTY in a test. */
export type TerminalStream = NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number }

export interface TerminalBarOptions {
  readonly stream: TerminalStream
  /**
   * The whole line, given the drawn bar. It is asked again at every redraw, not only when the
   * value moves, so a clock in it keeps going while a long benchmark runs.
   */
  readonly line: (bar: string) => string
  /** Other streams on the same terminal (stdout, when it is one): their lines go above the bar too. */
  readonly others?: readonly NodeJS.WritableStream[]
  /** Characters of the bar itself. */
  readonly barsize?: number
  /** Where the bar starts: the first frame is drawn at once, and must not show a value it does not have. */
  readonly value: number
  readonly total: number
}

/**
 * What cli-progress draws on: the terminal's own write() from before the capture (so the bar's
 * output is not captured as a line of the run), and the terminal's width as it is now.
 */
class BarStream extends Writable {
  readonly isTTY = true
  constructor(
    private readonly terminal: TerminalStream,
    private readonly draw: (text: string) => void,
  ) {
    super({ decodeStrings: false })
  }
  get columns(): number | undefined {
    return this.terminal.columns
  }
  override _write(chunk: string | Uint8Array, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.draw(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    done()
  }
}

/** cli-progress's multi-bar (the one with log()), whose redraw timer does not keep the process alive. */
class BackgroundMultiBar extends cliProgress.MultiBar {
  /** The redraw timer (cli-progress's lib/multi-bar.js); its type declarations leave it out. */
  declare timer: ReturnType<typeof setTimeout> | null
  override update(): void {
    super.update()
    // The bar is the last thing that should keep a run going. When a run fails, the CLI reports
    // the error and returns without reaching stop(): the process must still exit, and the exit
    // hooks below then draw the bar's last state under the error.
    this.timer?.unref()
  }
}

const options: Options = {
  // Redraws run on the main thread, which also times the workload's passes: once a second keeps
  // the estimate current at negligible cost.
  fps: 1,
  // Log lines are written between redraws; cli-progress redraws only a changed line unless told
  // to, and a line just cleared for a log line has not changed.
  forceRedraw: true,
  // linewrap: false would switch the terminal's wrapping off for the whole run (cutting long log
  // lines such as a failure's stack at the edge), and a Ctrl-C would leave it off. With it on,
  // cli-progress cuts the bar's own line to the terminal's width instead.
  linewrap: true,
  // A SIGINT listener would take Ctrl-C's default (ending the process) away; and with the cursor
  // left visible, there is nothing to restore.
  gracefulExit: false,
  hideCursor: false,
  barCompleteChar: '#',
  barIncompleteChar: '-',
}

export class TerminalBar {
  private readonly bars: BackgroundMultiBar
  private readonly bar: SingleBar
  private readonly captured: CapturedStream[]
  private readonly stream: TerminalStream
  private active = true
  private readonly onExit = (): void => this.stop()

  constructor({ stream, line, others = [], barsize = 24, value, total }: TerminalBarOptions) {
    this.stream = stream
    const own = captureLines(stream, (text) => this.log(text))
    this.captured = [own, ...others.map((other) => captureLines(other, (text) => this.log(text)))]
    const format = (barOptions: Options, params: Params): string => line(cliProgress.Format.BarFormat(params.progress, barOptions))
    this.bars = new BackgroundMultiBar({ ...options, barsize, format, stream: new BarStream(stream, own.write) })
    this.bar = this.bars.create(total, value)
    // Draws the first frame now, and makes the timer that create() started one that lets the process exit.
    this.bars.update()
    process.once('beforeExit', this.onExit)
    process.once('exit', this.onExit)
  }

  /** Moves the bar to `value` of `total` and redraws at once. */
  progress(value: number, total: number): void {
    if (!this.active) return
    this.bar.setTotal(total)
    this.bar.update(value)
    this.bars.update()
  }

  /** A line of the run's output: above the bar while it is drawn, as it is after. */
  log(line: string): void {
    if (!this.active) {
      this.stream.write(`${line}\n`)
      return
    }
    this.bars.log(`${line}\n`)
    // At once, not at the next redraw: the lines then keep their order with anything written
    // after the bar has stopped (cli-progress's stop() does not write what is still waiting).
    this.bars.update()
  }

  /** Draws the bar's last state, leaves it on its own line, and gives the streams back. */
  stop(): void {
    if (!this.active) return
    // Half a line still waiting in a capture goes above the bar while it is drawn.
    for (const capture of this.captured) capture.release()
    this.active = false
    process.removeListener('beforeExit', this.onExit)
    process.removeListener('exit', this.onExit)
    this.bars.stop()
  }
}
