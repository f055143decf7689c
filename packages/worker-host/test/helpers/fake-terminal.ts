// A stand-in terminal for tests of progress displays (the `troupe bench` CLI's and the suite's).
import { Buffer } from 'node:buffer'
import { Writable } from 'node:stream'

/**
 * A stand-in terminal that keeps what is on its screen: the part of VT100 that cli-progress and
 * node:readline use (cursor to a column, up and down, clear line and screen). Tests read the
 * screen, so "not garbled" means every line reads as it was written.
 */
export class FakeTerminal extends Writable {
  readonly isTTY = true
  readonly screen: string[] = ['']
  raw = ''
  private row = 0
  private col = 0
  constructor(readonly columns = 120) {
    super({ decodeStrings: false })
  }
  override _write(chunk: string | Uint8Array, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.feed(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    done()
  }
  /** The screen without trailing blanks and without the empty line the cursor may sit on. */
  lines(): string[] {
    const lines = this.screen.map((line) => line.trimEnd())
    while (lines.length > 0 && lines.at(-1) === '') lines.pop()
    return lines
  }
  private feed(text: string): void {
    this.raw += text
    for (const [token, params = '', command] of text.matchAll(/\x1b\[([?\d;]*)([A-Za-z])|\x1b[78]|\r|\n|[^\x1b\r\n]+/g)) {
      const n = Number(params === '' ? 1 : params)
      if (token === '\r') this.col = 0
      else if (token === '\n') this.moveTo(this.row + 1, 0)
      else if (command === 'G') this.col = n - 1
      else if (command === 'A') this.moveTo(this.row - n, this.col)
      else if (command === 'B') this.moveTo(this.row + n, this.col)
      else if (command === 'K') this.screen[this.row] = params === '2' ? '' : params === '1' ? ' '.repeat(this.col) + this.line().slice(this.col) : this.line().slice(0, this.col)
      else if (command === 'J') this.screen.splice(this.row + 1, Infinity, this.line().slice(0, this.col))
      else if (command !== undefined || token.startsWith('\x1b')) continue
      else {
        const line = this.line().padEnd(this.col)
        this.screen[this.row] = line.slice(0, this.col) + token + line.slice(this.col + token.length)
        this.col += token.length
      }
    }
  }
  private line(): string {
    return this.screen[this.row] ?? ''
  }
  private moveTo(row: number, col: number): void {
    this.row = Math.max(0, row)
    this.col = col
    while (this.screen.length <= this.row) this.screen.push('')
  }
}
