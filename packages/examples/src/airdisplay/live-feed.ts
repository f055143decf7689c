import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import type { ActorSystem } from 'troupe'
import { WebSocket, WebSocketServer } from 'ws'
import { readFleet } from './fleet-reader.js'
import { BANNER_UPDATES, type BannerUpdate, type FeedMessage } from './types.js'

/** Where pages connect. */
export const FEED_PATH = '/ws'

/**
 * A client this far behind (bytes queued on its socket) is dropped rather than buffered without
 * bound: its page reconnects and starts again from a snapshot.
 */
const SLOW_CLIENT_BYTES = 1 << 20

export interface LiveFeed {
  /** Pages connected now. */
  readonly clients: number
  /** Unsubscribes from the topic and disconnects every page. */
  close(): void
}

/**
 * Pushes the fleet to web pages over websockets: on connect, a snapshot of every banner; then
 * each change, as the banners publish it on the `BANNER_UPDATES` topic. The page is subscribed
 * before its snapshot is read, so no change falls between the two; one that is in both is told
 * twice, and the page keeps the higher `version` of each banner.
 */
export function attachLiveFeed(server: Server, system: ActorSystem, fleet: readonly string[], log: (line: string) => void): LiveFeed {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 })
  const inFleet = new Set(fleet)

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== FEED_PATH) return refuse(socket, 404, 'Not Found')
    // Browsers let any site open a websocket to any host, with its own origin in the header:
    // only pages served by this server may read the feed.
    if (req.headers.origin !== undefined && req.headers.origin !== `http://${req.headers.host ?? ''}`) return refuse(socket, 403, 'Forbidden')
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  const subscription = system.topic<BannerUpdate>(BANNER_UPDATES).subscribe((banner) => {
    if (!inFleet.has(banner.id)) return
    const text = JSON.stringify({ type: 'update', banner } satisfies FeedMessage)
    for (const client of wss.clients) send(client, text)
  })

  wss.on('connection', (ws: WebSocket) => {
    // A page only listens; an error on its socket (a reset) ends it and nothing else.
    ws.on('error', () => ws.terminate())
    log(`feed: page connected (${wss.clients.size} connected)`)
    ws.on('close', () => log(`feed: page disconnected (${wss.clients.size} connected)`))
    readFleet(system, fleet).then(
      (banners) => send(ws, JSON.stringify({ type: 'snapshot', banners } satisfies FeedMessage)),
      (error: unknown) => ws.close(1011, `no snapshot: ${error instanceof Error ? error.message : String(error)}`.slice(0, 120)),
    )
  })

  return {
    get clients() {
      return wss.clients.size
    },
    close() {
      subscription.unsubscribe()
      for (const client of wss.clients) client.terminate()
      wss.close()
    },
  }
}

function send(client: WebSocket, text: string): void {
  if (client.readyState !== WebSocket.OPEN) return
  if (client.bufferedAmount > SLOW_CLIENT_BYTES) client.terminate()
  else client.send(text)
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`)
}
