// cluster.down.detection.ms: how long after a node is SIGKILLed the other node declares it down,
// with heartbeatMs 200 and downAfterMs 1000. The first part of the cluster work's failover goal:
// what is timed ends at node-down, when asks to the dead node fail; cluster.failover.ms
// (cluster-failover.ts) times on until the dead node's sharded entities answer elsewhere.
import { NodeDownError, type ActorSystem, type SystemEvent } from 'troupe'
import { natsServerMissing } from '../baselines/nats.js'
import type { BenchmarkDefinition } from '../harness.js'
import { withClusterPair } from './cluster-pair.js'
import { CHILD_NODE } from './cluster-protocol.js'
import { check } from './system.js'

const id = 'cluster.down.detection.ms'
/** Both nodes' membership settings: P27's goal (2000 ms) is twice downAfterMs. */
export const DOWN_TIMING = { heartbeatMs: 200, downAfterMs: 1000 } as const
/** Asks answered before the kill: node b is known to answer, not merely to be a member. */
const asksBeforeKill = 200

type NodeDownEvent = Extract<SystemEvent, { type: 'node-down' }>

/** Resolves at node a's first node-down for node b's id, with the time it was seen and the event. */
export function nodeDown(system: ActorSystem, node: number): { readonly seen: Promise<{ at: number; event: NodeDownEvent }>; stop(): void } {
  let stop: () => void = () => undefined
  const seen = new Promise<{ at: number; event: NodeDownEvent }>((resolve) => {
    stop = system.events.subscribe((event) => {
      if (event.type === 'node-down' && event.id === node) resolve({ at: performance.now(), event })
    })
  })
  return { seen, stop: () => stop() }
}

/**
 * Node a's main thread asks node b's Incrementer inc(n), one in flight, without pause. After
 * `asksBeforeKill` answers and a random pause of 0-2 heartbeats (the asks go on), node b's
 * process is SIGKILLed (t0, taken just before the signal); the figure is the time from t0 until
 * node a's system publishes `node-down` for node b, in ms.
 * Checked: every answer before the kill was n + 1, the event names node b, is not about node a
 * itself and gives the missed heartbeats as its reason, and the ask in flight at the kill
 * rejected with NodeDownError for node b. One kill per run; a warm-up round would warm nothing
 * (the figure is set by timers), so there is none.
 */
async function downDetectionRun(): Promise<number> {
  return withClusterPair(id, { timing: DOWN_TIMING, killsNodeB: true, expectedDeadLetters: ['node-down'] }, async (system, b) => {
    // Subscribed before anything is asked: a node-down at any point is seen.
    const down = nodeDown(system, b.id)
    try {
      let answered = 0
      let killed: (() => void) | undefined
      const killNow = new Promise<void>((resolve) => (killed = resolve))
      // Resolves with the error that ended the asks once node b is gone; rejects on a wrong
      // answer, or on any failure before the kill (then there is nothing to time).
      const asking = (async (): Promise<unknown> => {
        for (let n = 0; ; n++) {
          let answer: number
          try {
            answer = await b.incrementer.ask.inc(n)
          } catch (error) {
            if (answered < asksBeforeKill) throw error
            return error
          }
          check(`${id}: inc(${n})`, answer, n + 1)
          if (++answered === asksBeforeKill) killed?.()
        }
      })()
      await Promise.race([killNow, asking])
      // A crash comes at any moment of the heartbeat cycle. Without this pause the kill would
      // fall at nearly the same phase of node a's membership timer in every run (a fixed time
      // after it joined), and the figure would be that phase's, not the spread's.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * DOWN_TIMING.heartbeatMs))
      const t0 = performance.now()
      const exited = b.kill()
      const { at, event } = await down.seen
      // On a loaded machine node b could miss its heartbeats while alive: that is no detection of the kill.
      if (at < t0) throw new Error(`${id}: node b was declared down ${(t0 - at).toFixed(0)} ms before it was killed (${event.reason})`)
      const ms = at - t0
      await exited
      const failure = await asking
      if (!(failure instanceof NodeDownError)) throw new Error(`${id}: the ask in flight ended with ${String(failure)}, not NodeDownError`)
      check(`${id}: NodeDownError's node`, failure.node, CHILD_NODE)
      check(`${id}: node-down's node`, event.node, CHILD_NODE)
      check(`${id}: node-down about node a itself`, event.self, false)
      if (!/no heartbeat/.test(event.reason)) throw new Error(`${id}: node-down's reason is "${event.reason}", not missed heartbeats`)
      process.stderr.write(`  ${id}: node-down ${ms.toFixed(0)} ms after SIGKILL (${event.reason}); ${answered} asks answered before it\n`)
      return ms
    } finally {
      down.stop()
    }
  })
}

export const clusterDownDetectionMs: BenchmarkDefinition = {
  id,
  unit: 'ms',
  requires: natsServerMissing,
  // Uncapped timed rounds (whatever --pairs says); no warm-up round: each run is fresh processes and timers.
  rounds: { timed: Number.POSITIVE_INFINITY, warmup: 0 },
  run: downDetectionRun,
}
