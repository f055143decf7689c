import { stamp, type Clock, type EventLog, type TimedEvent } from './event-log.js'
import type { Topology, WorkerActor } from './topology.js'

export interface Victim {
  readonly label: string
  readonly id: number
  /** Its answer to a ping after the recovery: a fresh instance says it was restarted. */
  readonly restarted: boolean
  readonly thread: number
}

export interface KillOutcome {
  readonly thread: number
  /** On the run's clock, in ms. */
  readonly orderedAt: number
  readonly recovered: TimedEvent
  /** When every actor that lived on the worker had answered a ping again. */
  readonly answeredAt: number
  readonly victims: readonly Victim[]
  /** Chunks the ledger held per pipeline once the worker's actors answered again. */
  readonly committedAtRecovery: readonly number[]
}

/** Longer than any recovery should take, even on a loaded machine: past it, the drill fails. */
const RECOVERY_DEADLINE_MS = 15_000

/**
 * Kills the saboteur's worker from inside (it calls `process.exit(1)`), waits for the system to
 * report the worker recovered, then pings every actor that lived there: the recovery time runs
 * from the kill order to the last of them answering, as a restarted instance.
 */
export async function killWorker(topology: Topology, events: EventLog, clock: Clock, log: (line: string) => void): Promise<KillOutcome> {
  const thread = topology.saboteurThread
  const onWorker = topology.workerActors.filter((actor) => actor.thread === thread)
  const recovery = events.next((event) => event.type === 'worker-recovered' && event.thread === thread)
  const orderedAt = clock.now()
  log(`${stamp(orderedAt)}  KILL  worker ${thread}: its saboteur actor calls process.exit(1), taking ${onWorker.length} actors down with the thread`)
  topology.saboteur.tell.killWorker()

  const recovered = await withDeadline(recovery, RECOVERY_DEADLINE_MS, `worker ${thread} did not recover`)
  const victims = await Promise.all(onWorker.map(ping))
  const answeredAt = clock.now()
  const committedAtRecovery = await topology.ledger.ask.committed()
  const fresh = victims.filter((victim) => victim.restarted).length
  log(`${stamp(answeredAt)}  recovered: ${fresh}/${victims.length} actors of worker ${thread} answer again as fresh instances, ${(answeredAt - orderedAt).toFixed(0)} ms after the kill`)
  return { thread, orderedAt, recovered, answeredAt, victims, committedAtRecovery }
}

async function ping(actor: WorkerActor): Promise<Victim> {
  const health = await actor.ref.ask.ping()
  return { label: actor.label, id: actor.ref.id, restarted: health.restarted, thread: health.thread }
}

function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms)))
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}
