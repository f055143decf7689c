import type { PipelineLedger } from './chunk-book.js'
import { exact } from '../shared/format.js'
import type { KillOutcome } from './kill-drill.js'
import type { ProducerReport } from './producer.js'
import { sumOfSequence } from './stream-totals.js'
import type { RunTotals } from './throughput-meter.js'

export type CheckId = 'no-gap-no-double' | 'closed-form' | 'producers-agree' | 'worker-killed-and-recovered' | 'restarts-from-the-kill' | 'resumed-after-recovery' | 'placement' | 'every-worker-processed' | 'dead-letters'

export interface Check {
  readonly id: CheckId
  readonly passed: boolean
  /** One line for people: what was compared and what was found. */
  readonly detail: string
}

export interface PipelineOutcome {
  readonly pipeline: number
  /** Where the topology put each end (1..N). */
  readonly producerThread: number
  readonly consumerThread: number
  /** Where each end said it ran, at the end of the run. */
  readonly producerRanOn: number
  readonly consumerRanOn: number
  readonly producer: ProducerReport
  readonly ledger: PipelineLedger
  /** Chunks the ledger gained after the killed worker's actors answered again. */
  readonly committedAfterRecovery: number
}

/** What the demo observed, end to end: plain data, so the checks are plain functions. */
export interface Observations {
  readonly chunkSize: number
  readonly pipelines: readonly PipelineOutcome[]
  readonly kill: KillOutcome
  /** From `system.events`: worker events for the killed thread, and every actor failure and restart. */
  readonly crashed: number
  readonly recoveredActors: number | undefined
  readonly failedActors: readonly number[]
  readonly restartedActors: readonly number[]
  readonly run: RunTotals
  readonly deadLetters: { readonly total: number; readonly toKilledWorker: number }
}

export function checkRun(observed: Observations): Check[] {
  return [
    noGapNoDouble(observed),
    closedForm(observed),
    producersAgree(observed),
    killedAndRecovered(observed),
    restartsFromTheKill(observed),
    resumedAfterRecovery(observed),
    placement(observed),
    everyWorkerProcessed(observed.run),
    deadLetters(observed),
  ]
}

/** The ledger holds chunks 0..K−1 of every pipeline: as many distinct chunks as its frontier, none conflicting. */
function noGapNoDouble({ pipelines }: Observations): Check {
  const broken = pipelines.filter(({ ledger }) => ledger.chunks !== ledger.frontier || ledger.conflicts !== 0 || ledger.malformed !== 0)
  const chunks = pipelines.reduce((total, p) => total + p.ledger.chunks, 0)
  const duplicates = pipelines.reduce((total, p) => total + p.ledger.duplicates, 0)
  return {
    id: 'no-gap-no-double',
    passed: pipelines.length > 0 && broken.length === 0,
    detail:
      broken.length === 0
        ? `ledger: every pipeline holds chunks 0..K-1 with no gap (${exact(chunks)} chunks in ${pipelines.length} pipelines); ${exact(duplicates)} retransmitted chunks recognised and counted once`
        : `ledger: ${broken.map(({ pipeline, ledger }) => `pipeline ${pipeline} holds ${ledger.chunks} chunks below ${ledger.frontier}, ${ledger.conflicts} conflicting, ${ledger.malformed} malformed`).join('; ')}`,
  }
}

/** Counts and sums are what K whole chunks must add up to: values 0..K·size−1. */
function closedForm({ pipelines, chunkSize }: Observations): Check {
  const wrong = pipelines.filter(({ ledger }) => {
    const values = ledger.frontier * chunkSize
    return ledger.count !== values || ledger.sum !== sumOfSequence(values) || !Number.isSafeInteger(ledger.sum)
  })
  const values = pipelines.reduce((total, p) => total + p.ledger.count, 0)
  const sum = pipelines.reduce((total, p) => total + p.ledger.sum, 0)
  return {
    id: 'closed-form',
    passed: pipelines.length > 0 && wrong.length === 0,
    detail:
      wrong.length === 0
        ? `counts and sums match the closed form n(n-1)/2 per pipeline: ${exact(values)} values, sum ${exact(sum)}`
        : `pipelines whose count or sum is off: ${wrong.map((p) => p.pipeline).join(', ')}`,
  }
}

/** Every chunk a producer generated is committed, and the ledger has nothing beyond. */
function producersAgree({ pipelines }: Observations): Check {
  const off = pipelines.filter(({ producer, ledger }) => producer.frontier !== ledger.frontier)
  return {
    id: 'producers-agree',
    passed: pipelines.length > 0 && off.length === 0,
    detail:
      off.length === 0
        ? 'every producer finished with all it generated committed: its frontier = the ledger\'s'
        : off.map(({ pipeline, producer, ledger }) => `pipeline ${pipeline}: producer at ${producer.frontier}, ledger at ${ledger.frontier}`).join('; '),
  }
}

function killedAndRecovered({ kill, crashed, recoveredActors }: Observations): Check {
  const fresh = kill.victims.filter((victim) => victim.restarted && victim.thread === kill.thread).length
  const passed = crashed === 1 && recoveredActors === kill.victims.length && fresh === kill.victims.length
  return {
    id: 'worker-killed-and-recovered',
    passed,
    detail: `worker ${kill.thread}: ${crashed} crash, recovered with ${recoveredActors ?? 'no'} actors; ${fresh}/${kill.victims.length} answer again as fresh instances, ${(kill.answeredAt - kill.orderedAt).toFixed(0)} ms after the kill`,
  }
}

/** Each actor of the killed worker failed and restarted exactly once, and no other actor did. */
function restartsFromTheKill({ kill, failedActors, restartedActors }: Observations): Check {
  const victims = kill.victims.map((victim) => victim.id).sort((a, b) => a - b)
  const same = (ids: readonly number[]): boolean => ids.length === victims.length && [...ids].sort((a, b) => a - b).every((id, i) => id === victims[i])
  return {
    id: 'restarts-from-the-kill',
    passed: same(failedActors) && same(restartedActors),
    detail: `actor restarts: ${restartedActors.length} (failures: ${failedActors.length}), the kill's ${victims.length} actors once each`,
  }
}

/** The streams through the killed worker went on after its recovery, and the fresh worker did work. */
function resumedAfterRecovery({ pipelines, kill, run }: Observations): Check {
  const through = pipelines.filter((p) => p.producerThread === kill.thread || p.consumerThread === kill.thread)
  const stalled = through.filter((p) => p.committedAfterRecovery <= 0)
  const worker = run.threads.find((thread) => thread.thread === kill.thread)
  const freshWork = worker !== undefined && worker.replacements === 1 && worker.processedThisLife > 0
  const after = through.reduce((total, p) => total + p.committedAfterRecovery, 0)
  return {
    id: 'resumed-after-recovery',
    passed: through.length > 0 && stalled.length === 0 && freshWork,
    detail:
      `${through.length - stalled.length}/${through.length} streams through worker ${kill.thread} committed chunks after its recovery (${exact(after)} chunks); ` +
      `its fresh thread processed ${exact(worker?.processedThisLife ?? 0)} messages`,
  }
}

/** Every end ran where it was placed, and (with two workers or more) every stream crossed threads. */
function placement({ pipelines, run }: Observations): Check {
  const workers = run.threads.filter((thread) => thread.kind === 'worker').length
  const misplaced = pipelines.filter(
    (p) => p.producerRanOn !== p.producerThread || p.consumerRanOn !== p.consumerThread || (workers > 1 && p.producerThread === p.consumerThread),
  )
  return {
    id: 'placement',
    passed: misplaced.length === 0,
    detail:
      misplaced.length === 0
        ? `every producer and consumer on its planned worker, restarted ones too${workers > 1 ? ', each stream crossing threads' : ''}`
        : `streams not where they were placed: ${misplaced.map((p) => p.pipeline).join(', ')}`,
  }
}

function everyWorkerProcessed(run: RunTotals): Check {
  const idle = run.threads.filter((thread) => thread.kind === 'worker' && thread.processed === 0)
  return {
    id: 'every-worker-processed',
    passed: idle.length === 0,
    detail: idle.length === 0 ? 'every worker processed messages' : `workers without messages: ${idle.map((t) => t.thread).join(', ')}`,
  }
}

/**
 * Tells that troupe could not deliver. Tells to the killed worker's actors are buffered and
 * handed to the restarted actors, so few or none become dead letters; the tells already posted
 * to the dying thread are lost with it and are not counted anywhere. Either way the chunk
 * protocol recovers them. A dead letter addressed elsewhere would have no such excuse.
 */
function deadLetters({ deadLetters: letters, kill }: Observations): Check {
  const elsewhere = letters.total - letters.toKilledWorker
  return {
    id: 'dead-letters',
    passed: elsewhere === 0,
    detail: `dead letters: ${exact(letters.total)} (${exact(letters.toKilledWorker)} to actors of worker ${kill.thread}, ${exact(elsewhere)} elsewhere)`,
  }
}
