import { sumOfSequence, type StreamTotals } from './stream-totals.js'
import { exact, percent } from './format.js'

// The reconciliation of the earlier demo, in which nothing died and each consumer's own tally
// had to match its producer's. The demo no longer uses it: a killed worker takes consumers'
// tallies with it, so the demo checks itself against the ledger instead (checks.ts). It stays,
// with its own types, only because test/reconcile.test.ts still covers it.

export interface ProducerTotals extends StreamTotals {
  readonly thread: number
}

export interface ConsumerTotals extends StreamTotals {
  /** Values that did not arrive as the next sequence number: lost, duplicated or reordered. */
  readonly outOfOrder: number
  readonly thread: number
}

export interface RunTotals {
  readonly seconds: number
  readonly processed: number
  readonly threads: ReadonlyArray<{ readonly thread: number; readonly kind: 'main' | 'worker'; readonly processed: number; readonly meanUtilization: number }>
}

/**
 * A worker below this mean event-loop utilisation sat mostly idle: its share of the work did not
 * reach it. Low on purpose: utilisation is wall-clock, and on a shared 2-core machine a worker
 * can wait for the CPU (or for a descheduled peer) without anything being wrong with troupe.
 */
export const BUSY_UTILIZATION = 0.25

export type CheckId = 'streams' | 'ledger' | 'placement' | 'every-worker-processed' | 'every-worker-busy' | 'dead-letters' | 'actor-failures'

export interface Check {
  readonly id: CheckId
  readonly passed: boolean
  /** One line for people: what was compared and what was found. */
  readonly detail: string
}

/** What the demo observed, end to end. */
export interface Observations {
  readonly streams: ReadonlyArray<{
    readonly producer: ProducerTotals
    readonly consumer: ConsumerTotals
    /** Threads the topology asked for (1..N). */
    readonly producerThread: number
    readonly consumerThread: number
  }>
  readonly ledger: StreamTotals
  readonly run: RunTotals
  readonly deadLetters: number
  readonly actorFailures: number
}

export function reconcile(observed: Observations): Check[] {
  return [
    checkStreams(observed),
    checkLedger(observed),
    checkPlacement(observed),
    checkEveryWorkerProcessed(observed.run),
    checkEveryWorkerBusy(observed.run),
    {
      id: 'dead-letters',
      passed: observed.deadLetters === 0,
      detail: `dead letters: ${exact(observed.deadLetters)}`,
    },
    {
      id: 'actor-failures',
      passed: observed.actorFailures === 0,
      detail: `actor failures: ${exact(observed.actorFailures)}`,
    },
  ]
}

/** Every stream arrived whole and in order: sent = received = 0+1+…+(n-1), in count and sum. */
function checkStreams({ streams }: Observations): Check {
  const broken = streams.filter(({ producer, consumer }) => {
    const expectedSum = sumOfSequence(producer.count)
    return (
      producer.count !== consumer.count ||
      producer.sum !== expectedSum ||
      consumer.sum !== expectedSum ||
      consumer.outOfOrder !== 0 ||
      !Number.isSafeInteger(expectedSum)
    )
  })
  const values = streams.reduce((total, { producer }) => total + producer.count, 0)
  return {
    id: 'streams',
    passed: streams.length > 0 && broken.length === 0,
    detail:
      broken.length === 0
        ? `${streams.length}/${streams.length} streams: sent = received (count and sum), in order; ${exact(values)} values`
        : `${broken.length}/${streams.length} streams do not reconcile`,
  }
}

/** The main-thread ledger, fed only by consumers, matches what the producers say they sent. */
function checkLedger({ streams, ledger }: Observations): Check {
  const sent = streams.reduce((total, { producer }) => ({ count: total.count + producer.count, sum: total.sum + producer.sum }), { count: 0, sum: 0 })
  const passed = ledger.count === sent.count && ledger.sum === sent.sum && Number.isSafeInteger(sent.sum)
  return {
    id: 'ledger',
    passed,
    detail: passed
      ? `main-thread ledger agrees: ${exact(ledger.count)} values, sum ${exact(ledger.sum)}`
      : `main-thread ledger has ${exact(ledger.count)} values (sum ${exact(ledger.sum)}), producers sent ${exact(sent.count)} (sum ${exact(sent.sum)})`,
  }
}

/** Actors ran where they were placed, and every stream crossed threads (when there are two workers or more). */
function checkPlacement({ streams, run }: Observations): Check {
  const workers = run.threads.filter((thread) => thread.kind === 'worker').length
  const misplaced = streams.filter(
    (stream) =>
      stream.producer.thread !== stream.producerThread ||
      stream.consumer.thread !== stream.consumerThread ||
      (workers > 1 && stream.producerThread === stream.consumerThread),
  )
  return {
    id: 'placement',
    passed: misplaced.length === 0,
    detail:
      misplaced.length === 0
        ? `every producer and consumer on its planned worker${workers > 1 ? ', each stream crossing threads' : ''}`
        : `${misplaced.length} streams not where they were placed`,
  }
}

function checkEveryWorkerProcessed(run: RunTotals): Check {
  const idle = run.threads.filter((thread) => thread.kind === 'worker' && thread.processed === 0)
  return {
    id: 'every-worker-processed',
    passed: idle.length === 0,
    detail: idle.length === 0 ? 'every worker processed messages' : `workers without messages: ${idle.map((t) => t.thread).join(', ')}`,
  }
}

function checkEveryWorkerBusy(run: RunTotals): Check {
  const workers = run.threads.filter((thread) => thread.kind === 'worker')
  const least = Math.min(...workers.map((thread) => thread.meanUtilization))
  return {
    id: 'every-worker-busy',
    passed: workers.length > 0 && least >= BUSY_UTILIZATION,
    detail: `every worker busy: lowest mean utilisation ${percent(least)} (needs ${percent(BUSY_UTILIZATION)})`,
  }
}
