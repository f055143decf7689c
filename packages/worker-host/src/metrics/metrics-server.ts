import { createServer } from 'node:http'
import type { Registry } from 'prom-client'
import { closeServer, listen, resolveListenOptions, serverUrl, servedWhileRunning, type EndpointOwner, type ListenOptions } from '../util/listen-options.js'

export type MetricsServerOptions = ListenOptions

/** A running `/metrics` endpoint. */
export interface MetricsServer {
  /** The scrape URL, e.g. `http://127.0.0.1:9464/metrics`. */
  readonly url: string
  readonly port: number
  /** Stops listening and drops open connections; every call returns the same promise. */
  close(): Promise<void>
}

/**
 * Serves `registry` at `GET /metrics` in Prometheus' text format, for as long as the system
 * (`owner`) runs. Anything else is a 404; a scrape that fails (the system shutting down) is a 503
 * with the error's message.
 */
export async function serveMetrics(owner: EndpointOwner, registry: Registry, options: MetricsServerOptions | undefined): Promise<MetricsServer> {
  const { port, host } = resolveListenOptions(options)
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: scrape GET /metrics\n')
      return
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(request.method === 'HEAD' ? undefined : text),
      (error: unknown) => response.writeHead(503, { 'content-type': 'text/plain' }).end(`${error instanceof Error ? error.message : String(error)}\n`),
    )
  })
  const bound = await listen(server, port, host)
  server.on('error', (error) => process.emitWarning(error, 'TroupeMetricsWarning'))
  let closing: Promise<void> | undefined
  const handle: MetricsServer = {
    url: serverUrl(host, bound, '/metrics'),
    port: bound,
    close: () => {
      owner.endpoints.delete(handle)
      return (closing ??= closeServer(server))
    },
  }
  return servedWhileRunning(owner, handle, 'serveMetrics')
}
