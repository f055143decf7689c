// savina.threadring: a token makes R hops around a ring of N actors laid out in contiguous arcs, one per worker.
import type { ActorRef, ActorSystem } from 'troupe'
import type { BenchmarkDefinition } from '../../harness.js'
import { check, withSystem } from '../system.js'
import { actorModule, pick, savinaWorkers, secondsSince } from './common.js'
import { RingLatch, RingMember } from './threadring-actors.js'

const id = 'savina.threadring'
/** Savina's N = 100 actors, R = 100 000 hops: short enough to run unscaled under --quick. */
const shape = { full: { members: 100, hops: 100_000 }, quick: { members: 100, hops: 100_000 } }

/**
 * A fresh ring: member i on worker floor(i * W / N), so each worker holds one contiguous arc and
 * the token crosses threads W times per lap (one message is ever in flight: there is nothing to
 * run in parallel, and a cross-thread hop costs a thread wake-up).
 */
async function pass(system: ActorSystem, members: number, hops: number): Promise<number> {
  const latch = await system.spawn(RingLatch, { placement: { worker: 0 } })
  const ring: ActorRef<RingMember>[] = []
  for (let i = 0; i < members; i++) {
    const worker = Math.floor((i * system.workers) / members)
    ring.push(await system.spawn(RingMember, { args: [i, latch], placement: { worker } }))
  }
  await Promise.all(ring.map((member, i) => member.ask.link(ring[(i + 1) % members]!)))
  const started = performance.now()
  const finished = latch.ask.done()
  ring[0]!.tell.token(hops)
  const finisher = await finished
  const seconds = secondsSince(started)
  check(`${id} member holding the last hop`, finisher, hops % members)
  const forwarded = await Promise.all(ring.map((member) => member.ask.forwarded()))
  check(`${id} hops forwarded`, forwarded.reduce((a, b) => a + b, 0), hops)
  return seconds
}

export const savinaThreadRing: BenchmarkDefinition = {
  id,
  unit: 's',
  run: (quick) => {
    const { members, hops } = pick(quick, shape)
    return withSystem(
      savinaWorkers,
      id,
      async (system) => {
        await pass(system, members, Math.ceil(hops / 4))
        return pass(system, members, hops)
      },
      { actors: [actorModule('threadring')] },
    )
  },
}
