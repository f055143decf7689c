import type { ServerResponse } from 'node:http'

/** A page that does not read its stream is dropped past this much unsent data (it reconnects and starts afresh). */
const MAX_BUFFERED_BYTES = 1024 * 1024
/** A comment line this often keeps idle streams open through proxies that time out silent ones. */
const KEEPALIVE_MS = 15_000
/** How long a page waits before it reconnects after the stream broke. */
const RETRY_MS = 2_000

/**
 * The open server-sent-event streams: each message is serialised once for all of them, a slow
 * reader is cut off rather than buffered without end, and `closeAll` ends every stream so that
 * the server can close without waiting for browsers to go away.
 */
export class SseClients {
  readonly #clients = new Set<ServerResponse>()
  readonly #max: number
  readonly #onCount: (count: number) => void
  #keepalive: NodeJS.Timeout | undefined

  /** `onCount` hears the number of open streams after each change (the feed samples only while some are open). */
  constructor(max: number, onCount: (count: number) => void) {
    this.#max = max
    this.#onCount = onCount
  }

  get size(): number {
    return this.#clients.size
  }

  /** Starts a stream on `res` with a first message; false (nothing written) when `max` streams are open. */
  open(res: ServerResponse, event: string, data: unknown): boolean {
    if (this.#clients.size >= this.#max) return false
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    })
    res.write(`retry: ${RETRY_MS}\n\n`)
    res.write(frame(event, data))
    this.#clients.add(res)
    res.on('close', () => {
      if (this.#clients.delete(res)) this.#changed()
    })
    this.#changed()
    return true
  }

  broadcast(event: string, data: unknown): void {
    if (this.#clients.size === 0) return
    this.#send(frame(event, data))
  }

  closeAll(): void {
    const clients = [...this.#clients]
    this.#clients.clear()
    for (const res of clients) res.end()
    this.#changed()
  }

  #send(text: string): void {
    let dropped = false
    for (const res of this.#clients) {
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        this.#clients.delete(res)
        res.destroy()
        dropped = true
        continue
      }
      res.write(text)
    }
    if (dropped) this.#changed()
  }

  #changed(): void {
    if (this.#clients.size > 0 && !this.#keepalive) {
      this.#keepalive = setInterval(() => this.#send(': keepalive\n\n'), KEEPALIVE_MS).unref()
    } else if (this.#clients.size === 0 && this.#keepalive) {
      clearInterval(this.#keepalive)
      this.#keepalive = undefined
    }
    this.#onCount(this.#clients.size)
  }
}

/** One SSE message. JSON has no raw newlines, so the data fits one `data:` line. */
function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
}
