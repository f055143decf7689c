// The CPU-heavy part of `cpu` tasks: an offload task module. It runs in the system's offload
// pool (piscina threads), never on an actor's thread, so the worker actor that asked for it
// only waits, and the other actors on its thread go on.

/** xorshift steps per unit: about one millisecond of one core on a current machine. */
const STEPS_PER_UNIT = 300_000

export interface CrunchInput {
  /** Work to do, in units of about 1 ms. */
  readonly units: number
  readonly seed: number
  /** Fail after doing the work, like a job that crashes on bad input. */
  readonly fail: boolean
}

/** Deterministic busy work: the same input always gives the same checksum. */
export function crunch(input: CrunchInput): { checksum: number } {
  let x = input.seed | 0 || 1
  for (let step = 0; step < input.units * STEPS_PER_UNIT; step++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
  }
  if (input.fail) throw new Error(`crunch failed after ${input.units} units (seed ${input.seed})`)
  return { checksum: x >>> 0 }
}
