// A websocket client of the live feed, as the page is one: it records every message, so the
// scripted run and the tests can check what a page was told and in which order.
import { WebSocket } from 'ws'
import { waitFor } from './client.js'
import type { BannerUpdate, FeedMessage } from './types.js'

export class FeedObserver {
  readonly messages: FeedMessage[] = []
  readonly #socket: WebSocket

  private constructor(socket: WebSocket) {
    this.#socket = socket
    socket.on('message', (data: Buffer) => this.messages.push(JSON.parse(data.toString()) as FeedMessage))
  }

  /** Connects to the feed of the server at `baseUrl` and waits for its snapshot. */
  static async connect(baseUrl: string, timeoutMs = 10_000): Promise<FeedObserver> {
    const url = new URL('ws', baseUrl)
    url.protocol = 'ws:'
    const socket = new WebSocket(url, { origin: new URL(baseUrl).origin })
    const observer = new FeedObserver(socket)
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
    await waitFor('the feed’s snapshot', timeoutMs, () => Promise.resolve(observer.messages.some((m) => m.type === 'snapshot') ? true : undefined), 10)
    return observer
  }

  /** The updates received so far, in order. */
  get updates(): BannerUpdate[] {
    return this.messages.flatMap((m) => (m.type === 'update' ? [m.banner] : []))
  }

  /** Waits until an update of `id` with this `change` has arrived, and returns it. */
  waitForUpdate(id: string, change: BannerUpdate['change'], timeoutMs: number): Promise<BannerUpdate> {
    return waitFor(`a "${change}" update of ${id} on the feed`, timeoutMs, () => Promise.resolve(this.updates.find((u) => u.id === id && u.change === change)), 10)
  }

  close(): void {
    this.#socket.close()
  }
}
