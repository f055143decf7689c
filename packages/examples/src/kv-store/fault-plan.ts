import type { ActorRef } from 'troupe'
import type { HeartbeatMonitor } from './heartbeat-monitor.js'
import type { RecoveryWatch } from './recovery-watch.js'
import { waitAtMost } from './recovery-watch.js'
import { kvName, writerName, type Shard } from './topology.js'

/** `kill`: process.exit(1) in the actor's worker. `hang`: a handler that never returns (`for (;;) {}`). */
export type Fault = { readonly kind: 'kill' | 'hang'; readonly role: 'kv' | 'writer'; readonly shard: number }

/** Both faults, to both kinds of actor, alternating between the shards. */
export const DEFAULT_FAULTS: readonly Fault[] = [
  { kind: 'kill', role: 'kv', shard: 0 },
  { kind: 'kill', role: 'writer', shard: 1 },
  { kind: 'hang', role: 'kv', shard: 1 },
  { kind: 'hang', role: 'writer', shard: 0 },
]

export type FaultOutcome = {
  readonly fault: Fault
  /** The actor the fault hit, and its partner in the shard (restarted with it, one-for-all). */
  readonly target: string
  readonly partner: string
  readonly thread: number
  /** The monitor saw fresh instances of both and no incident open, and troupe finished the worker's recovery, in time. */
  readonly recovered: boolean
  /** From the fault to that point. */
  readonly recoveryMs: number
}

/** How long one fault may take to be detected, reset and recovered before the run calls it failed. */
const RECOVERY_DEADLINE_MS = 15_000

export const describeFault = (fault: Fault): string => `${fault.kind} ${fault.role === 'kv' ? kvName(`s${fault.shard}`) : writerName(`s${fault.shard}`)}`

/**
 * Injects one fault and waits until it is over: the monitor has seen both actors of the shard
 * answer as fresh instances with no incident open, and troupe has reported the worker recovered.
 * Both are awaited replies and events, with a deadline so that a broken run fails instead of
 * hanging.
 */
export async function injectFault(fault: Fault, shard: Shard, monitor: ActorRef<HeartbeatMonitor>, recoveries: RecoveryWatch): Promise<FaultOutcome> {
  const target = fault.role === 'kv' ? kvName(shard.shard) : writerName(shard.shard)
  const partner = fault.role === 'kv' ? writerName(shard.shard) : kvName(shard.shard)
  const [kvBefore, writerBefore] = await Promise.all([shard.kv.ask.beat(), shard.writer.ask.beat()])
  const thread = fault.role === 'kv' ? kvBefore.thread : writerBefore.thread
  const recovered = recoveries.nextRecovery(thread)
  const started = performance.now()
  if (fault.role === 'kv') {
    if (fault.kind === 'kill') shard.kv.tell.crashWorker()
    else shard.kv.tell.hang()
  } else if (fault.kind === 'kill') {
    shard.writer.tell.crashWorker()
  } else {
    shard.writer.tell.hang()
  }
  const settled = monitor.with({ timeoutMs: RECOVERY_DEADLINE_MS }).ask.settled([
    { name: kvName(shard.shard), instanceBefore: kvBefore.instance },
    { name: writerName(shard.shard), instanceBefore: writerBefore.instance },
  ])
  const monitorSaw = await settled.then(
    () => true,
    () => false,
  )
  const troupeSaw = await waitAtMost(recovered, RECOVERY_DEADLINE_MS)
  return { fault, target, partner, thread, recovered: monitorSaw && troupeSaw, recoveryMs: performance.now() - started }
}
