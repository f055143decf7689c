import { connect } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'
import { describe } from 'vitest'
import { findNatsServer, freePort, startNatsServer, type NatsServer, type NatsServerOptions } from '../../src/testkit/nats-server.js'
import { afterTest } from './system.js'

/** The nats-server binary the cluster tests use, if this machine has one. */
export const natsServerBinary = findNatsServer()

const reason = 'nats-server not found (apt-get install -y nats-server, or set TROUPE_NATS_SERVER)'

if (!natsServerBinary && process.env['CI'] === 'true') {
  // CI installs it (.ci/run): a missing server there is a broken setup, not a skip.
  throw new Error(`CI=true but ${reason}`)
}

/**
 * `describe` for tests that need a real nats-server: skipped, with the reason in the suite's name
 * and on stderr, when the machine has none (never under CI=true, which fails above instead).
 */
export function describeWithNats(name: string, body: () => void): void {
  if (natsServerBinary) {
    describe(name, body)
  } else {
    console.warn(`skipping "${name}": ${reason}`)
    describe.skip(`${name} (skipped: ${reason})`, body)
  }
}

/** Starts a nats-server for this test and stops it (by PID) after the test. */
export async function natsServerForTest(options: NatsServerOptions = {}): Promise<NatsServer> {
  const server = await startNatsServer(options)
  afterTest(() => server.stop())
  return server
}

/**
 * A cluster of `size` nats-servers with JetStream, routed to each other on 127.0.0.1, stopped
 * after the test; resolves once JetStream has a meta leader (streams with replicas can be made).
 */
export async function natsClusterForTest(size = 3): Promise<NatsServer[]> {
  const routePorts = await Promise.all(Array.from({ length: size }, () => freePort()))
  const name = `troupe-test-${routePorts[0]}`
  const servers = await Promise.all(
    routePorts.map((port, i) =>
      natsServerForTest({
        name: `${name}-${i}`,
        // Clients stay on the servers they are given (a test cuts a node off by killing its server).
        cluster: { name, port, routes: routePorts.filter((_, j) => j !== i).map((p) => `nats://127.0.0.1:${p}`), advertise: false },
      }),
    ),
  )
  const nc = await connect({ servers: servers.map((s) => s.url) })
  try {
    const jsm = await jetstreamManager(nc, { checkAPI: false })
    // JetStream answers once the servers have found each other and elected a meta leader, and
    // can place a stream on every server once they all take part: a probe stream with a replica
    // on each is made (and removed) before the cluster is handed to the test.
    const deadline = Date.now() + 60_000
    const probe = `ready-probe-${routePorts[0]}`
    for (;;) {
      try {
        await jsm.streams.add({ name: probe, subjects: [probe], num_replicas: size })
        await jsm.streams.delete(probe)
        break
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`the nats-server cluster's JetStream was not ready within 60 s: ${(error as Error).message}`)
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    }
  } finally {
    await nc.close()
  }
  return servers
}
