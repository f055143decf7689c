// The pattern of packages/worker-host/test/helpers/nats.ts, on troupe's public testkit: tests that
// need a real nats-server skip visibly without one, and fail under CI=true.
import { describe } from 'vitest'
import { findNatsServer } from 'troupe/testkit'

/** The nats-server binary, if this machine has one. */
export const natsServerBinary = findNatsServer()

const reason = 'nats-server not found (apt-get install -y nats-server, or set TROUPE_NATS_SERVER)'

if (!natsServerBinary && process.env['CI'] === 'true') {
  // CI installs it: a missing server there is a broken setup, not a skip.
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
