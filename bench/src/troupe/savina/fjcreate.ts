// savina.fjcreate: the main thread creates N actors over every worker; each handles one message, reports and stops.
import type { ActorSystem } from 'troupe'
import type { BenchmarkDefinition } from '../../harness.js'
import { check } from '../system.js'
import { secondsSince, sizedBenchmark } from './common.js'
import { ForkJoinActor, ReportSink } from './fjcreate-actors.js'

const id = 'savina.fjcreate'
/** Savina's N = 40 000 actors. */
const actorCount = { full: 40_000, quick: 4_000 }

/** Resolves once every actor in `ids` (filled while the pass spawns) has stopped for good. */
function allStopped(system: ActorSystem, ids: ReadonlySet<number>, count: number): { done: Promise<number>; unsubscribe: () => void } {
  let stopped = 0
  let resolve: (n: number) => void = () => undefined
  const done = new Promise<number>((r) => (resolve = r))
  const unsubscribe = system.events.subscribe((event) => {
    if (event.type === 'actor-stopped' && ids.has(event.actor) && ++stopped === count) resolve(stopped)
  })
  return { done, unsubscribe }
}

/**
 * Timed from the first spawn until every actor has reported to the sink and stopped (Savina
 * waits for all of them to terminate). Spawning is asynchronous in troupe, so the loop issues
 * every spawn at once and tells each actor its message as soon as its ref arrives.
 */
async function pass(system: ActorSystem, count: number): Promise<number> {
  const sink = await system.spawn(ReportSink, { placement: { worker: 0 } })
  await sink.ask.arm(count)
  const ids = new Set<number>()
  const stops = allStopped(system, ids, count)
  try {
    const started = performance.now()
    const reported = sink.ask.done()
    const spawns: Promise<void>[] = []
    for (let i = 0; i < count; i++) {
      spawns.push(
        system.spawn(ForkJoinActor, { args: [sink], placement: 'round-robin' }).then((actor) => {
          ids.add(actor.id)
          actor.tell.go()
        }),
      )
    }
    await Promise.all(spawns)
    const [reports, stopped] = await Promise.all([reported, stops.done])
    const seconds = secondsSince(started)
    check(`${id} reports`, reports, count)
    check(`${id} actors stopped`, stopped, count)
    check(`${id} distinct actors`, ids.size, count)
    return seconds
  } finally {
    stops.unsubscribe()
  }
}

export const savinaFjCreate: BenchmarkDefinition = sizedBenchmark(id, 'fjcreate', actorCount, pass)
