// savina.count: one producer sends N increments to a counter actor on another worker, then asks for the total.
import type { ActorSystem } from 'troupe'
import type { BenchmarkDefinition } from '../../harness.js'
import { check } from '../system.js'
import { secondsSince, sizedBenchmark } from './common.js'
import { Counter, Producer } from './count-actors.js'

const id = 'savina.count'
/** Savina's N = 1 000 000 increments. */
const increments = { full: 1_000_000, quick: 250_000 }

async function pass(system: ActorSystem, count: number): Promise<number> {
  const producer = await system.spawn(Producer, { placement: { worker: 0 } })
  const counter = await system.spawn(Counter, { placement: { worker: 1 } })
  const started = performance.now()
  const total = await producer.ask.run(counter, count)
  const seconds = secondsSince(started)
  check(`${id} total`, total, count)
  return seconds
}

export const savinaCount: BenchmarkDefinition = sizedBenchmark(id, 'count', increments, pass)
