// pingpong.cross-thread: two actors on two workers, one message in flight, in msg/s. Its
// denominator is baseline.port.pingpong: the same bounce between two workers on a raw port.
// The actors are Savina's (savina.pingpong times the same exchange in seconds).
import type { ActorSystem } from 'troupe'
import type { BenchmarkDefinition } from '../harness.js'
import { check, withSystem } from './system.js'
import { actorModule } from './savina/common.js'
import { Ping, Pong } from './savina/pingpong-actors.js'

const id = 'pingpong.cross-thread'
/** Round trips per timed pass (each two messages): baseline.port.pingpong's counts. */
const roundTrips = { full: 40_000, quick: 10_000 }

/** Fresh Ping on worker 0 and Pong on worker 1; msg/s over `count` round trips from the start tell. */
async function pass(system: ActorSystem, count: number): Promise<number> {
  const ping = await system.spawn(Ping, { placement: { worker: 0 } })
  const pong = await system.spawn(Pong, { placement: { worker: 1 } })
  const started = performance.now()
  const pongs = await ping.ask.start(pong, count)
  const seconds = (performance.now() - started) / 1000
  check(`${id} pongs received`, pongs, count)
  check(`${id} pings received`, await pong.ask.pings(), count)
  if (!(seconds > 0)) throw new Error(`non-positive duration ${seconds}s`)
  return (2 * count) / seconds
}

export const pingPongCrossThread: BenchmarkDefinition = {
  id,
  unit: 'msg/s',
  run: (quick) => {
    const count = quick ? roundTrips.quick : roundTrips.full
    return withSystem(
      2,
      id,
      async (system) => {
        await pass(system, Math.ceil(count / 4)) // untimed: warms the path and opens the worker-to-worker channel
        return pass(system, count)
      },
      { actors: [actorModule('pingpong')] },
    )
  },
}
