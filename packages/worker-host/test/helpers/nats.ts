import { describe } from 'vitest'
import { findNatsServer, startNatsServer, type NatsServer, type NatsServerOptions } from '../../src/testkit/nats-server.js'
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
