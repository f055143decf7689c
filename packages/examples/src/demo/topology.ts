import type { ActorRef, ActorSystem } from 'troupe'
import type { Health } from './answers.js'
import { Consumer } from './consumer.js'
import { Ledger } from './ledger.js'
import { Producer, type ProducerSettings } from './producer.js'
import { Saboteur } from './saboteur.js'

export type PipelineSettings = Omit<ProducerSettings, 'pipeline'>

export interface Pipeline {
  readonly pipeline: number
  readonly producer: ActorRef<Producer>
  readonly consumer: ActorRef<Consumer>
  /** Threads (1..N) hosting each end. */
  readonly producerThread: number
  readonly consumerThread: number
}

/** Any actor of the demo that lives on a worker, for the recovery probe. */
export interface WorkerActor {
  readonly label: string
  readonly thread: number
  readonly ref: { readonly id: number; readonly ask: { ping(): Promise<Health> } }
}

export interface Topology {
  readonly ledger: ActorRef<Ledger>
  readonly pipelines: readonly Pipeline[]
  readonly saboteur: ActorRef<Saboteur>
  readonly saboteurThread: number
  /** Every actor on a worker, with a name for people. */
  readonly workerActors: readonly WorkerActor[]
}

/**
 * `pipelinesPerWorker` producers on every worker, each streaming to a consumer on the next
 * worker round the ring, so every value crosses threads and every worker both sends and
 * receives. The ledger lives on the main thread, which no worker crash can take down. The
 * saboteur sits on `victimThread`, next to the producers and consumers it will take down.
 */
export async function spawnTopology(system: ActorSystem, pipelinesPerWorker: number, settings: PipelineSettings, victimThread: number): Promise<Topology> {
  const workers = system.workers
  const ledger = await system.spawn(Ledger, { placement: 'main', args: [workers * pipelinesPerWorker, settings.chunkSize] })
  const pipelines: Pipeline[] = []
  for (let producerWorker = 0; producerWorker < workers; producerWorker++) {
    const consumerWorker = (producerWorker + 1) % workers
    for (let i = 0; i < pipelinesPerWorker; i++) {
      const pipeline = pipelines.length
      const consumer = await system.spawn(Consumer, { placement: { worker: consumerWorker }, args: [ledger, { pipeline, chunkSize: settings.chunkSize }] })
      const producer = await system.spawn(Producer, { placement: { worker: producerWorker }, args: [consumer, ledger, { ...settings, pipeline }] })
      pipelines.push({ pipeline, producer, consumer, producerThread: producerWorker + 1, consumerThread: consumerWorker + 1 })
    }
  }
  const saboteur = await system.spawn(Saboteur, { placement: { worker: victimThread - 1 } })
  const workerActors: WorkerActor[] = [
    ...pipelines.flatMap((p) => [
      { label: `producer ${p.pipeline}`, thread: p.producerThread, ref: p.producer },
      { label: `consumer ${p.pipeline}`, thread: p.consumerThread, ref: p.consumer },
    ]),
    { label: 'saboteur', thread: victimThread, ref: saboteur },
  ]
  return { ledger, pipelines, saboteur, saboteurThread: victimThread, workerActors }
}
