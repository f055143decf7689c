// `pnpm example airdisplay-cluster` from sources: a real nats-server (JetStream), three real
// AirDisplay node processes, one SIGKILLed mid-tour. The launcher's checks are the assertions.
import { expect, it } from 'vitest'
import { runAirDisplayCluster } from '../src/airdisplay-cluster/run.js'
import { describeWithNats } from './helpers/nats.js'

/** A guard against a hung run; the run takes about 30 s from sources (messages show for 20 s). */
const RUN_TIMEOUT_MS = 120_000

describeWithNats('airdisplay-cluster (real nats-server, three node processes)', () => {
  it("posts through one node show everywhere, are never overwritten, and a killed node's banners come back on the others with their messages, which still come down on time", async () => {
    const lines: string[] = []
    const result = await runAirDisplayCluster({ log: (line) => lines.push(line) }).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${lines.join('\n')}`)
    })
    expect(result.checks.map((c) => c.name)).toEqual([
      'posts through one node',
      'one page hears every node',
      'every node sees the same banners',
      'never overwritten, across nodes',
      'banners spread over the nodes',
      'banners come back on the other nodes',
      'and live there now',
      'expiry reminders follow their banners',
      'a moved banner takes a new message',
    ])
    for (const check of result.checks) expect(check.passed, `${check.name}: ${check.detail}\n${lines.join('\n')}`).toBe(true)
    expect(result.ok).toBe(true)
  }, RUN_TIMEOUT_MS)
})
