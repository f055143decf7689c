// pingpong.cross-thread: two actors on two workers, one message in flight, in msg/s. Its
// denominator is baseline.port.pingpong: the same bounce between two workers on a raw port.
// The exchange is savina.pingpong's (which reports it in seconds on every core's workers).
import type { BenchmarkDefinition } from '../harness.js'
import { withSystem } from './system.js'
import { actorModule } from './savina/common.js'
import { pingPongPass } from './savina/pingpong.js'

const id = 'pingpong.cross-thread'
/** Round trips per timed pass (each two messages): baseline.port.pingpong's counts. */
const roundTrips = { full: 40_000, quick: 10_000 }

export const pingPongCrossThread: BenchmarkDefinition = {
  id,
  unit: 'msg/s',
  run: (quick) => {
    const count = quick ? roundTrips.quick : roundTrips.full
    return withSystem(
      2,
      id,
      async (system) => {
        await pingPongPass(system, Math.ceil(count / 4)) // untimed: warms the path and opens the worker-to-worker channel
        return (2 * count) / (await pingPongPass(system, count))
      },
      { actors: [actorModule('pingpong')] },
    )
  },
}
