import type { ActorRef, ActorSystem } from 'troupe'
import { Consumer } from './consumer.js'
import { Ledger } from './ledger.js'
import { Producer, type ProducerSettings } from './producer.js'

export interface Pipeline {
  readonly producer: ActorRef<Producer>
  readonly consumer: ActorRef<Consumer>
  /** Worker indexes (0-based among workers) hosting each end. */
  readonly producerWorker: number
  readonly consumerWorker: number
}

export interface Topology {
  readonly ledger: ActorRef<Ledger>
  readonly pipelines: readonly Pipeline[]
}

/**
 * `pipelinesPerWorker` producers on every worker, each streaming to a consumer on the next
 * worker round the ring, so every value crosses threads and every worker both sends and
 * receives. The ledger lives on the main thread and hears from every consumer.
 */
export async function spawnTopology(system: ActorSystem, pipelinesPerWorker: number, settings: ProducerSettings): Promise<Topology> {
  const ledger = await system.spawn(Ledger, { placement: 'main' })
  const workers = system.workers
  const pipelines: Pipeline[] = []
  for (let producerWorker = 0; producerWorker < workers; producerWorker++) {
    const consumerWorker = (producerWorker + 1) % workers
    for (let i = 0; i < pipelinesPerWorker; i++) {
      const consumer = await system.spawn(Consumer, { placement: { worker: consumerWorker }, args: [ledger] })
      const producer = await system.spawn(Producer, { placement: { worker: producerWorker }, args: [consumer, settings] })
      pipelines.push({ producer, consumer, producerWorker, consumerWorker })
    }
  }
  return { ledger, pipelines }
}
