import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { InvalidOptionError, SystemShutdownError } from '@troupe/core'
import { checkKnownOptions } from '@troupe/core/internal'

/** Where an HTTP endpoint of troupe listens. */
export interface ListenOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number
  /** Interface to bind. Default `'127.0.0.1'`: reachable from this machine only, as operators' endpoints should start. */
  readonly host?: string
}

/** Hostnames are at most 253 characters; IPv6 literals far less. */
const MAX_HOST_LENGTH = 253

/**
 * Validates listen options, naming each wrong one; `extra` are further keys the caller accepts
 * (and validates itself).
 */
export function resolveListenOptions(value: unknown, extra: readonly string[] = []): { port: number; host: string } {
  if (value === undefined) return { port: 0, host: '127.0.0.1' }
  if (typeof value !== 'object' || value === null) throw new InvalidOptionError('options', `an object { ${['port', 'host', ...extra].map((key) => `${key}?`).join(', ')} }`, value)
  checkKnownOptions(value, ['port', 'host', ...extra])
  const { port = 0, host = '127.0.0.1' } = value as ListenOptions
  if (!(typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65_535)) throw new InvalidOptionError('port', 'an integer from 0 to 65535', port)
  if (typeof host !== 'string' || host.length === 0 || host.length > MAX_HOST_LENGTH || /\s/.test(host)) {
    throw new InvalidOptionError('host', `a hostname or IP address (1 to ${MAX_HOST_LENGTH} characters, no spaces)`, host)
  }
  return { port, host }
}

/** An HTTP endpoint that lives as long as its system (see `servedWhileRunning`). */
export interface Endpoint {
  close(): Promise<void>
}

/** What `servedWhileRunning` needs of the system: whether it is shutting down, and its open endpoints. */
export interface EndpointOwner {
  readonly closing: boolean
  readonly endpoints: Set<Endpoint>
}

/**
 * Ties a started endpoint to its system: the system closes its endpoints as it starts shutting
 * down, so none keeps the process alive. One started while a shutdown began is closed at once
 * and refused with `SystemShutdownError`. The endpoint's `close` must remove it from `endpoints`.
 */
export async function servedWhileRunning<E extends Endpoint>(owner: EndpointOwner, endpoint: E, what: string): Promise<E> {
  if (owner.closing) {
    await endpoint.close()
    throw new SystemShutdownError(what)
  }
  owner.endpoints.add(endpoint)
  return endpoint
}

/** Starts `server` listening; resolves with the port it got, rejects if it cannot (port taken). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

/** Closes `server` and every connection it holds (a keep-alive or streaming client must not hold it open). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

/** The URL of a server listening on `host`:`port` (IPv6 addresses in brackets). */
export function serverUrl(host: string, port: number, path = '/'): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`
}
