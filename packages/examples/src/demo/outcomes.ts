import { WorkerCrashedError, type ActorRef } from 'troupe'
import type { PipelineOutcome } from './checks.js'
import type { KillOutcome } from './kill-drill.js'
import type { Producer, ProducerReport } from './producer.js'
import type { Pipeline, Topology } from './topology.js'

/** `finish` is asked again if a worker dies under it (not expected: the kill is long over by then). */
const FINISH_ATTEMPTS = 3

export const throughKilledWorker = (pipeline: Pick<Pipeline, 'producerThread' | 'consumerThread'>, kill: Pick<KillOutcome, 'thread'>): boolean => pipeline.producerThread === kill.thread || pipeline.consumerThread === kill.thread

/**
 * Waits until every stream through the killed worker has committed a chunk more than it had
 * when the worker's actors answered again: proof, from the ledger, that the streams resumed,
 * and no guess about how long that takes. A stream that never resumes shows up in the checks
 * (its ask times out here and is left for them to report).
 */
export async function waitForResumedStreams(topology: Topology, kill: KillOutcome): Promise<void> {
  const through = topology.pipelines.filter((pipeline) => throughKilledWorker(pipeline, kill))
  await Promise.allSettled(through.map(({ pipeline }) => topology.ledger.ask.whenCommitted(pipeline, (kill.committedAtRecovery[pipeline] ?? 0) + 1)))
}

/**
 * Stops every producer (each answers once all it sent is committed), then reads where every
 * consumer runs and what the ledger holds: the ledger is read last, so it is final.
 */
export async function collectOutcomes(topology: Topology, kill: KillOutcome): Promise<PipelineOutcome[]> {
  const ends = await Promise.all(
    topology.pipelines.map(async (pipeline) => {
      const producer = await finish(pipeline.producer)
      const consumer = await pipeline.consumer.ask.ping()
      return { pipeline, producer, consumerRanOn: consumer.thread }
    }),
  )
  const ledger = await topology.ledger.ask.report()
  return ends.map(({ pipeline, producer, consumerRanOn }): PipelineOutcome => {
    const book = ledger.pipelines[pipeline.pipeline]
    if (book === undefined) throw new Error(`the ledger has no pipeline ${pipeline.pipeline}`)
    return {
      pipeline: pipeline.pipeline,
      producerThread: pipeline.producerThread,
      consumerThread: pipeline.consumerThread,
      producerRanOn: producer.thread,
      consumerRanOn,
      producer,
      ledger: book,
      committedAfterRecovery: book.chunks - (kill.committedAtRecovery[pipeline.pipeline] ?? 0),
    }
  })
}

async function finish(producer: ActorRef<Producer>): Promise<ProducerReport> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await producer.ask.finish()
    } catch (error) {
      if (!(error instanceof WorkerCrashedError) || attempt >= FINISH_ATTEMPTS) throw error
    }
  }
}
