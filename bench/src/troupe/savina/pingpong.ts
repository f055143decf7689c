// savina.pingpong: round trips between two actors on different workers, one message in flight.
import type { ActorSystem } from 'troupe'
import type { BenchmarkDefinition } from '../../harness.js'
import { check, withSystem } from '../system.js'
import { actorModule, pick, savinaWorkers, secondsSince } from './common.js'
import { Ping, Pong } from './pingpong-actors.js'

const id = 'savina.pingpong'
/** Savina's N = 40 000 round trips. */
const roundTrips = { full: 40_000, quick: 10_000 }

/** Fresh Ping on worker 0 and Pong on worker 1; times `count` round trips from main's start ask (seconds). */
export async function pingPongPass(system: ActorSystem, count: number): Promise<number> {
  const ping = await system.spawn(Ping, { placement: { worker: 0 } })
  const pong = await system.spawn(Pong, { placement: { worker: 1 } })
  const started = performance.now()
  const pongs = await ping.ask.start(pong, count)
  const seconds = secondsSince(started)
  check(`${id} pongs received`, pongs, count)
  check(`${id} pings received`, await pong.ask.pings(), count)
  return seconds
}

export const savinaPingPong: BenchmarkDefinition = {
  id,
  unit: 's',
  run: (quick) => {
    const count = pick(quick, roundTrips)
    return withSystem(
      savinaWorkers,
      id,
      async (system) => {
        await pingPongPass(system, Math.ceil(count / 4)) // untimed: warms the path and opens the worker-to-worker channel
        return pingPongPass(system, count)
      },
      { actors: [actorModule('pingpong')] },
    )
  },
}
