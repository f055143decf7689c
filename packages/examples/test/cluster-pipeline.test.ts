// `pnpm example cluster-pipeline` from sources: a real nats-server and three real node processes.
// The assertions read the launcher's JSON summary line, built from the nodes' own lines.
import { expect, it } from 'vitest'
import { runClusterPipeline } from '../src/cluster-pipeline/run.js'
import { HANDLER, MAX_ATTEMPTS, MAX_JOBS, RETRY_DELAY_MS } from '../src/cluster-pipeline/settings.js'
import type { ClusterPipelineSummary } from '../src/cluster-pipeline/summary.js'
import { ALL_USERS, DOUBLE_SUBMITTED, FLAKY, NODES, POISON } from '../src/cluster-pipeline/users.js'
import { describeWithNats } from './helpers/nats.js'

/** A guard against a hung run, not a wait for a condition: the run takes about 15 s from sources. */
const RUN_TIMEOUT_MS = 60_000

function summaryLine(lines: readonly string[]): ClusterPipelineSummary {
  const line = lines.find((l) => l.startsWith('{"example":"cluster-pipeline"'))
  if (!line) throw new Error(`no summary line in:\n${lines.join('\n')}`)
  return JSON.parse(line) as ClusterPipelineSummary
}

describeWithNats('cluster-pipeline (real nats-server, three node processes)', () => {
  it('sends one mail per user, retries flaky sends after 100/500/1000 ms, and dead-letters the poison user after 4 attempts', async () => {
    const lines: string[] = []
    // On a failed step the launcher throws: show what it printed up to then.
    const result = await runClusterPipeline({ log: (line) => lines.push(line) }).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${lines.join('\n')}`)
    })
    const s = summaryLine(lines)
    expect(result.ok, lines.join('\n')).toBe(true)

    // Idempotent by user id: one mail per deliverable user, the double submission refused once.
    const deliverable = ALL_USERS.filter((user) => user.id !== POISON)
    expect(s.events).toBe(ALL_USERS.length + 1)
    expect(s.mails).toMatchObject({ sent: deliverable.length, uniqueUsers: deliverable.length })
    expect(s.mails.duplicates.map((d) => d.user)).toEqual([DOUBLE_SUBMITTED])

    // Attempts: 1 + the failures the provider was scripted to give, 4 for the poison user.
    for (const [user, failures] of Object.entries(FLAKY)) expect(s.attemptsByUser[user], user).toBe(failures + 1)
    expect(s.attemptsByUser[POISON]).toBe(MAX_ATTEMPTS)

    // Each retry waited at least the delay of its attempt in [100, 500, 1000] (1 ms: two processes' clocks).
    for (const retry of s.retries) {
      expect(retry.delayMs).toBe(RETRY_DELAY_MS[retry.attempt - 1])
      expect(retry.gapMs).toBeGreaterThanOrEqual(retry.delayMs - 1)
    }
    expect(s.retries.filter((r) => r.user === POISON).map((r) => r.delayMs)).toEqual([100, 500, 1000])
    expect(s.retries.filter((r) => r.user === 'u11').map((r) => r.attempt)).toEqual([1, 2, 3])

    // The dead letter: reported once by the second handler, and stored with the event and its error.
    expect(s.deadLetters.reported).toHaveLength(1)
    expect(s.deadLetters.reported[0]).toMatchObject({ user: POISON, email: `${POISON}@no-such-domain.invalid`, attempts: MAX_ATTEMPTS, handler: HANDLER, error: { name: 'SmtpError', code: '550' } })
    expect(s.deadLetters.reported[0]!.error.message).toContain('550 mailbox unavailable')
    expect(s.deadLetters.stored).toEqual([expect.objectContaining({ user: POISON, attempts: MAX_ATTEMPTS, handler: HANDLER })])

    // Three nodes shared the work, each within maxJobs.
    for (const node of NODES) {
      expect(s.nodes[node]!.attempts, node).toBeGreaterThan(0)
      expect(s.nodes[node]!.stats!.peakRunning).toBeLessThanOrEqual(MAX_JOBS)
    }
  }, RUN_TIMEOUT_MS)
})
