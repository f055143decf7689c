// `pnpm example cluster-tasks` from sources: a real nats-server and three real node processes,
// one of them SIGKILLed mid-run. The assertions read the launcher's JSON summary line, which it
// builds from the nodes' own lines (every attempt's start and end, from a middleware).
import { expect, it } from 'vitest'
import { runClusterTasks } from '../src/cluster-tasks/run.js'
import { ACK_WAIT_MS, KILLED_NODE, MAX_JOBS, NODE_MAX_JOBS, NODES, RETRY_DELAY_MS } from '../src/cluster-tasks/settings.js'
import { jobsFor, PRIORITIES } from '../src/cluster-tasks/jobs.js'
import type { ClusterTasksSummary } from '../src/cluster-tasks/summary.js'
import { describeWithNats } from './helpers/nats.js'

/** A guard against a hung run, not a wait for a condition: the run takes about 20 s from sources. */
const RUN_TIMEOUT_MS = 60_000

function summaryLine(lines: readonly string[]): ClusterTasksSummary {
  const line = lines.find((l) => l.startsWith('{"example":"cluster-tasks"'))
  if (!line) throw new Error(`no summary line in:\n${lines.join('\n')}`)
  return JSON.parse(line) as ClusterTasksSummary
}

describeWithNats('cluster-tasks (real nats-server, three node processes)', () => {
  it('every job takes effect exactly once, within each node budget, retried after its delays, and the killed node\'s jobs come back after ackWaitMs', async () => {
    const lines: string[] = []
    // On a failed step the launcher throws: show what it printed up to then.
    const result = await runClusterTasks({ log: (line) => lines.push(line) }).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${lines.join('\n')}`)
    })
    const s = summaryLine(lines)
    expect(result.ok, lines.join('\n')).toBe(true)

    // Exactly once in effect: one effect per published job id, no more, none missing.
    const ids = NODES.flatMap((node) => jobsFor(node).map((job) => job.id))
    expect(s.effects).toMatchObject({ applied: ids.length, uniqueIds: ids.length, expectedIds: ids.length })
    expect(Object.values(s.nodes).reduce((sum, node) => sum + node.effects, 0)).toBe(ids.length)

    // Backpressure: never more than nodeMaxJobs running on a node (all three handlers together),
    // never more than maxJobs of one handler, by the nodes' own stats too.
    for (const [node, n] of Object.entries(s.nodes)) {
      expect(n.peakRunning, node).toBeLessThanOrEqual(NODE_MAX_JOBS)
      if (node === KILLED_NODE) continue
      for (const priority of PRIORITIES) {
        expect(n.handlers![priority].peakRunning).toBeLessThanOrEqual(MAX_JOBS)
        expect(n.handlers![priority]).toMatchObject({ running: 0, waiting: 0, dead: 0 })
      }
    }
    // Work stealing: every node took jobs. (How many each takes follows its speed only roughly: on
    // a loaded machine the slow node b can take more than a, so the split itself is not asserted.)
    for (const node of NODES) expect(s.nodes[node]!.effects).toBeGreaterThan(0)

    // Retries: each waited at least its delay of the sequence (1 ms: two processes' clocks, floored to the ms).
    expect(s.retries.length).toBeGreaterThan(0)
    for (const retry of s.retries) {
      expect(retry.delayMs).toBe(RETRY_DELAY_MS[Math.min(retry.attempt, RETRY_DELAY_MS.length) - 1])
      expect(retry.gapMs).toBeGreaterThanOrEqual(retry.delayMs - 1)
    }
    expect(s.retries.some((retry) => retry.attempt === 2 && retry.delayMs === 400)).toBe(true)
    // Deadlines: a job hanging past its jobTimeoutMs failed with JobTimeoutError and was retried.
    expect(s.timeouts.length).toBeGreaterThan(0)

    // The kill: node c was running jobs (one with its effect applied, not acknowledged); each came
    // back to a or b as a later attempt, no sooner than ackWaitMs after c's last pulse (ackWait/3 before it died).
    expect(s.killed.heldRunning.length).toBeGreaterThanOrEqual(2)
    for (const id of s.killed.heldRunning) {
      const back = s.redelivered.find((r) => r.id === id)
      expect(back, id).toBeDefined()
      expect(back!.node).not.toBe(KILLED_NODE)
      expect(back!.attempt).toBeGreaterThanOrEqual(2)
      expect(back!.afterKillMs).toBeGreaterThanOrEqual((ACK_WAIT_MS * 2) / 3)
    }
    // The job whose effect c had applied came back and found it applied: no second effect.
    expect(s.effects.duplicates.some((d) => s.killed.heldRunning.includes(d.id) && d.node !== KILLED_NODE)).toBe(true)

    // Priorities: published low first, yet where jobs waited for a slot the high ones went first.
    expect(s.priorityOrder.medianRank.high).toBeLessThan(s.priorityOrder.medianRank.low)
    expect(s.priorityOrder.medianRank.high).toBeLessThan(s.priorityOrder.medianRank.normal)
  }, RUN_TIMEOUT_MS)
})
