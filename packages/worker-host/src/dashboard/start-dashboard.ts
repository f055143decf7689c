import { createServer } from 'node:http'
import { closeServer, listen, serverUrl, servedWhileRunning } from '../util/listen-options.js'
import type { SystemRuntime } from '../system/system-runtime.js'
import { DashboardFeed, type FeedSource } from './dashboard-feed.js'
import { resolveDashboardOptions, type DashboardOptions } from './dashboard-options.js'
import { handleRequest } from './http-routes.js'
import { SseClients } from './sse-clients.js'
import { loadAssets } from './static-assets.js'
import { ThreadReader } from '../metrics/thread-reader.js'

export type { DashboardOptions } from './dashboard-options.js'

/** A running dashboard, as `system.serveDashboard()` resolves it. */
export interface DashboardHandle {
  /** The page's address, e.g. `http://127.0.0.1:43117/` (with `?token=` when a token is set). */
  readonly url: string
  /** The port it listens on (the one picked when `port` was 0). */
  readonly port: number
  /**
   * Stops serving: ends every open page's stream and closes the server. Resolves once it is
   * closed; every call returns the same promise. `system.shutdown()` calls it too.
   */
  close(): Promise<void>
}

/** Open pages (streams) at once; past it a page gets a 503 and a hint. */
const MAX_PAGES = 32
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1'])

/** Serves the live dashboard of the system `runtime` runs. See `ActorSystem.serveDashboard`. */
export async function startDashboard(runtime: SystemRuntime, options?: DashboardOptions): Promise<DashboardHandle> {
  const settings = resolveDashboardOptions(options)
  const assets = await loadAssets()
  // Each needs the other: the feed publishes to the open streams, which start and stop its sampling.
  const feed = new DashboardFeed(feedSource(runtime), settings, (event, data) => clients.broadcast(event, data))
  const clients = new SseClients(MAX_PAGES, (count) => feed.watch(count > 0))
  const context = { assets, feed, clients, token: settings.token, loopbackOnly: LOOPBACK_HOSTS.has(settings.host) }
  const server = createServer((req, res) => handleRequest(req, res, context))
  let port: number
  try {
    port = await listen(server, settings.port, settings.host)
  } catch (error) {
    feed.close()
    throw error
  }
  server.on('error', (error) => process.emitWarning(error, 'TroupeDashboardWarning'))
  let closing: Promise<void> | undefined
  const handle: DashboardHandle = {
    url: serverUrl(settings.host, port, `/${settings.token === undefined ? '' : `?token=${settings.token}`}`),
    port,
    close: () => {
      runtime.endpoints.delete(handle)
      if (closing === undefined) {
        feed.close()
        clients.closeAll()
        closing = closeServer(server)
      }
      return closing
    },
  }
  // The dashboard lives as long as the system it shows (see servedWhileRunning).
  return servedWhileRunning(runtime, handle, 'serveDashboard')
}

/** What the feed reads of the running system: all of it on the main thread, read only. */
function feedSource(runtime: SystemRuntime): FeedSource {
  const workers = runtime.options.workers
  return {
    workers,
    events: runtime.events,
    deadLetters: runtime.deadLetters,
    tree: runtime.directory,
    reader: new ThreadReader({
      workers,
      main: () => runtime.mainHost.metricsSnapshot(),
      // The slot's current worker: after a crash, its replacement.
      worker: (thread) => runtime.workers[thread - 1]!.call((control) => control.metrics()),
    }),
  }
}
