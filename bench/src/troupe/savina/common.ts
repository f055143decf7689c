// What every Savina driver shares: worker count, the allow-listed module of each program, timing.
import { availableParallelism } from 'node:os'
import type { ActorSystem } from 'troupe'
import type { BenchmarkDefinition } from '../../harness.js'
import { withSystem } from '../system.js'

/**
 * Every Savina system uses all cores, and at least 2 workers so that ping-pong and counting
 * always cross threads.
 */
export const savinaWorkers = Math.max(2, availableParallelism())

/** The compiled actor module of one program, e.g. `actorModule('pingpong')` for `pingpong-actors.js`. */
export function actorModule(program: string): URL {
  return new URL(`./${program}-actors.js`, import.meta.url)
}

/** Seconds since `startedMs` (a `performance.now()` reading); throws unless positive. */
export function secondsSince(startedMs: number): number {
  const seconds = (performance.now() - startedMs) / 1000
  if (!(seconds > 0)) throw new Error(`non-positive duration ${seconds}s`)
  return seconds
}

/** Parameters of one program: the standard (full) ones and the scaled-down `--quick` ones. */
export function pick<P>(quick: boolean, parameters: { readonly full: P; readonly quick: P }): P {
  return quick ? parameters.quick : parameters.full
}

/**
 * A program whose size is one number: in a system that allows only its actor module, an untimed
 * pass at a quarter of the size, then the timed pass, whose seconds are the figure.
 */
export function sizedBenchmark(
  id: string,
  program: string,
  sizes: { readonly full: number; readonly quick: number },
  pass: (system: ActorSystem, size: number) => Promise<number>,
): BenchmarkDefinition {
  return {
    id,
    unit: 's',
    run: (quick) => {
      const size = pick(quick, sizes)
      return withSystem(
        savinaWorkers,
        id,
        async (system) => {
          await pass(system, Math.ceil(size / 4))
          return pass(system, size)
        },
        { actors: [actorModule(program)] },
      )
    },
  }
}
