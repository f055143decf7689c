// Shared by the raw-NATS baselines: every run starts its own local nats-server (troupe/testkit's
// startNatsServer: Debian's binary on 127.0.0.1, a free port) and stops it whatever happens, and
// opens one client connection per side, as two nodes of a cluster would.
import { connect } from '@nats-io/transport-node'
import type { NatsConnection } from '@nats-io/transport-node'

/**
 * The reason the NATS baselines cannot run here, or undefined. troupe/testkit is loaded only when
 * a NATS baseline is selected, as other optional pieces of the suite are.
 */
export async function natsServerMissing(): Promise<string | undefined> {
  const { findNatsServer } = await import('troupe/testkit')
  if (findNatsServer() !== undefined) return undefined
  // findNatsServer ignores a TROUPE_NATS_SERVER that is not an executable file: say which it was.
  const fromEnv = process.env['TROUPE_NATS_SERVER']
  if (fromEnv) return `nats-server ${fromEnv} (TROUPE_NATS_SERVER) is not an executable file`
  return 'nats-server is not installed (apt-get install -y nats-server, or set TROUPE_NATS_SERVER)'
}

/**
 * Starts a nats-server for one run (JetStream, with its store in a temporary directory, only when
 * asked: the core-NATS baselines do not need it), runs `body` with its URL, and stops the server
 * by PID afterwards, also on error.
 */
export async function withNatsServer<T>(jetstream: boolean, body: (url: string) => Promise<T>): Promise<T> {
  const { startNatsServer } = await import('troupe/testkit')
  const server = await startNatsServer({ jetstream })
  try {
    return await body(server.url)
  } finally {
    await server.stop()
  }
}

/**
 * Opens one connection per name (separate `connect()` calls: separate sockets, as two nodes
 * would have), runs `body`, and closes them all afterwards, also on error.
 */
export async function withConnections<T>(url: string, names: readonly string[], body: (connections: NatsConnection[]) => Promise<T>): Promise<T> {
  const connections: NatsConnection[] = []
  try {
    for (const name of names) connections.push(await connect({ servers: url, name }))
    return await body(connections)
  } finally {
    await Promise.all(connections.map((connection) => connection.close()))
  }
}

/** Throws unless `actual` equals `expected`, so a broken run cannot post a fast figure. */
export function expectEqual(what: string, actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`${what}: ${actual}, expected ${expected}`)
}
