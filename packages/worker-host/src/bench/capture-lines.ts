// Takes over a stream's write() and hands on what is written, line by line. While a progress bar
// owns the terminal's last line, anything written straight to the terminal would land in the
// middle of the bar; routed through the bar's log it appears above the bar, whole. A workload's
// actors may print (Node forwards worker threads' output through the main thread's write()), and
// the CLI reports a failed run on stderr while the bar is still drawn; all of it passes here.
import { Buffer } from 'node:buffer'
import { StringDecoder } from 'node:string_decoder'

type WriteCallback = (error?: Error | null) => void

export interface CapturedStream {
  /** The stream's own write, for whoever draws on the terminal. */
  readonly write: (text: string) => void
  /** Gives the stream its write() back; a last line without its newline is handed on first. */
  release(): void
}

export function captureLines(stream: NodeJS.WritableStream, onLine: (line: string) => void): CapturedStream {
  const original = stream.write
  const write = (text: string): void => {
    original.call(stream, text)
  }
  // Bytes, not strings, may arrive, and a character may be split between two writes.
  const decoder = new StringDecoder('utf8')
  let pending = ''
  const take = (text: string): void => {
    const lines = (pending + text).split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) onLine(line)
  }
  stream.write = (chunk: Uint8Array | string, encodingOrCallback?: BufferEncoding | WriteCallback, callback?: WriteCallback): boolean => {
    const encoding = typeof encodingOrCallback === 'string' ? encodingOrCallback : 'utf8'
    take(decoder.write(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk))
    const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback
    // As a stream would: the callback never runs before write() returns.
    if (done !== undefined) process.nextTick(done, null)
    return true
  }
  let released = false
  return {
    write,
    release() {
      if (released) return
      released = true
      stream.write = original
      const rest = pending + decoder.end()
      pending = ''
      if (rest !== '') onLine(rest)
    },
  }
}
