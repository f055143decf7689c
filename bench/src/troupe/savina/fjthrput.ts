// savina.fjthrput: the main thread sends N messages to each of A actors spread over every worker.
import type { ActorRef, ActorSystem } from 'troupe'
import type { BenchmarkDefinition } from '../../harness.js'
import { check, withSystem } from '../system.js'
import { actorModule, pick, savinaWorkers, secondsSince } from './common.js'
import { ThroughputActor } from './fjthrput-actors.js'

const id = 'savina.fjthrput'
/** Savina's A = 60 actors, N = 10 000 messages each. */
const shape = { full: { actors: 60, messages: 10_000 }, quick: { actors: 60, messages: 2_500 } }

async function pass(system: ActorSystem, actors: number, messages: number): Promise<number> {
  const targets: ActorRef<ThroughputActor>[] = []
  for (let i = 0; i < actors; i++) targets.push(await system.spawn(ThroughputActor, { placement: 'round-robin' }))
  const started = performance.now()
  // Savina's driver loop: message m to every actor in turn, no flow control.
  for (let m = 0; m < messages; m++) for (const target of targets) target.tell.process()
  // Per-sender FIFO puts each ask behind that actor's messages: it answers once all were processed.
  const counts = await Promise.all(targets.map((target) => target.ask.processed()))
  const seconds = secondsSince(started)
  counts.forEach((count, i) => check(`${id} messages processed by actor ${i}`, count, messages))
  return seconds
}

export const savinaFjThroughput: BenchmarkDefinition = {
  id,
  unit: 's',
  run: (quick) => {
    const { actors, messages } = pick(quick, shape)
    return withSystem(
      savinaWorkers,
      id,
      async (system) => {
        await pass(system, actors, Math.ceil(messages / 4))
        return pass(system, actors, messages)
      },
      { actors: [actorModule('fjthrput')] },
    )
  },
}
