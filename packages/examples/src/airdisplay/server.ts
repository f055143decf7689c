// node:http rather than a framework: three JSON routes, a page and a script, and a websocket
// upgrade. A router would add a dependency and hide nothing worth hiding.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ActorSystem } from 'troupe'
import { AIRDISPLAY_ACTOR_MODULES } from './actor-modules.js'
import { handleApi } from './api.js'
import { fleetIds } from './fleet.js'
import { HttpError, sendError } from './http-json.js'
import { attachLiveFeed, type LiveFeed } from './live-feed.js'
import { resolveOptions, type AirDisplayOptions } from './options.js'
import { PAGE_CSP, pageHtml } from './page.js'
import { PAGE_SCRIPT } from './page-script.js'

export interface AirDisplay {
  /** `http://host:port/`: the page; the API is under `api/`. */
  readonly url: string
  readonly port: number
  /** The LMDB directory in use (absolute), or, on a cluster, which NATS store. */
  readonly storePath: string
  readonly fleet: readonly string[]
  readonly showMs: number
  readonly system: ActorSystem
  readonly feed: LiveFeed
  /** Stops serving (pages disconnected, connections closed), then shuts the actor system down. */
  close(): Promise<void>
}

/**
 * Starts an AirDisplay: an actor system whose banners are entities on an LMDB store, and an HTTP
 * server with the page, the JSON API and the live feed. Options are checked first; an
 * `InvalidOptionError` names the wrong one.
 */
export async function startAirDisplay(options: AirDisplayOptions = {}): Promise<AirDisplay> {
  const { port, host, banners, showMs, storePath: lmdbPath, workers, log, cluster } = resolveOptions(options)
  const system = await ActorSystem.start({
    ...(workers !== undefined && { workers }),
    actors: AIRDISPLAY_ACTOR_MODULES,
    // On a cluster, the store every node shares: the banners are sharded over the nodes.
    ...(cluster ? { persistence: { store: 'nats', servers: cluster.servers, bucket: 'airdisplay' }, cluster } : { persistence: { store: 'lmdb', path: lmdbPath } }),
  })
  const storePath = cluster ? 'nats (bucket prefix airdisplay)' : lmdbPath
  const fleet = fleetIds(banners)
  const page = pageHtml(banners, showMs)
  const server = createServer((req, res) => void respond(req, res))
  const feed = attachLiveFeed(server, system, fleet, log)

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const { pathname } = new URL(req.url ?? '/', 'http://localhost')
      if (pathname.startsWith('/api/') || pathname === '/api') await handleApi(req, res, pathname, { system, fleet, showMs })
      else if (pathname === '/' || pathname === '/app.js') {
        if (req.method !== 'GET') throw new HttpError(405, `${req.method ?? '?'} is not allowed here; use GET`, {}, { allow: 'GET' })
        if (pathname === '/') sendText(res, 'text/html', page, { 'content-security-policy': PAGE_CSP })
        else sendText(res, 'text/javascript', PAGE_SCRIPT)
      } else if (pathname === '/favicon.ico') {
        // Browsers ask for one on their own; there is none, and a 404 would show in the console.
        res.writeHead(204).end()
      } else throw new HttpError(404, `no route ${JSON.stringify(pathname.slice(0, 100))}`)
    } catch (error) {
      if (res.headersSent) res.destroy()
      else if (error instanceof HttpError) sendError(res, error)
      else {
        // A banner that could not answer (store error, shutdown, timeout): the request may be
        // retried; a post that got no 201 may or may not have been shown.
        log(`api: ${req.method ?? '?'} ${req.url ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`)
        sendError(res, new HttpError(503, `the banner could not answer: ${error instanceof Error ? error.message : String(error)}`))
      }
    }
  }

  let listening: AddressInfo
  try {
    listening = await listen(server, port, host)
  } catch (error) {
    feed.close()
    await system.shutdown()
    throw error
  }
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${listening.port}/`
  log(`airdisplay: ${fleet.length} banners on ${system.workers} workers, store ${storePath}, messages show for ${showMs} ms`)
  let closing: Promise<void> | undefined
  return {
    url,
    port: listening.port,
    storePath,
    fleet,
    showMs,
    system,
    feed,
    close() {
      closing ??= (async () => {
        feed.close()
        await closeServer(server)
        await system.shutdown()
      })()
      return closing
    },
  }
}

function sendText(res: ServerResponse, type: string, text: string, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'content-length': Buffer.byteLength(text), 'x-content-type-options': 'nosniff', ...headers })
  res.end(text)
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve(server.address() as AddressInfo)
    })
  })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    // Keep-alive connections would hold `close` open until they time out.
    server.closeAllConnections()
  })
}
