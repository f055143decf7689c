import { InvalidOptionError } from '@troupe/core'
import { SeedFailureError } from './errors.js'
import { TestKit, type DeterministicOptions } from './test-kit.js'

/** `exploreSeeds`' options: a deterministic kit's, less the seed, plus which seeds to try. */
export interface ExploreOptions extends Omit<DeterministicOptions, 'seed'> {
  /** How many seeds to try, counting up from `firstSeed`, or the seeds themselves. Default 100. */
  readonly seeds?: number | readonly number[]
  /** The first seed when `seeds` is a count. Default 1. */
  readonly firstSeed?: number
}

/**
 * Runs `body` once per seed, each on a fresh deterministic test kit (shut down after it), and
 * stops at the first seed whose run throws: it rejects with a `SeedFailureError` that names the
 * seed, so `TestKit.deterministic({ ...options, seed })` replays that very interleaving. Resolves
 * with how many seeds passed.
 *
 * ```ts
 * await exploreSeeds({ actors, seeds: 100 }, async (kit) => {
 *   const account = await kit.system.spawn(Account)
 *   ... // a race that loses an update under some interleaving
 * })
 * ```
 */
export async function exploreSeeds(options: ExploreOptions, body: (kit: TestKit) => Promise<void>): Promise<number> {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'an object', options)
  if (typeof body !== 'function') throw new InvalidOptionError('body', 'a function', body)
  const { seeds = 100, firstSeed = 1, ...kitOptions } = options
  const list = seedList(seeds, firstSeed)
  let tried = 0
  for (const seed of list) {
    tried++
    const kit = await TestKit.deterministic({ ...kitOptions, seed })
    let failure: SeedFailureError | undefined
    try {
      await body(kit)
    } catch (error) {
      failure = new SeedFailureError(seed, tried, [...kit.trace], error)
    }
    // A run that failed reports its failure, even if the shutdown after it fails too.
    const stopped = kit.shutdown()
    if (failure) {
      await stopped.catch(() => undefined)
      throw failure
    }
    await stopped
  }
  return tried
}

function seedList(seeds: number | readonly number[], firstSeed: number): readonly number[] {
  if (Array.isArray(seeds)) {
    seeds.forEach((seed, i) => {
      if (!Number.isSafeInteger(seed)) throw new InvalidOptionError(`seeds[${i}]`, 'a safe integer', seed)
    })
    return seeds
  }
  if (!(Number.isInteger(seeds) && (seeds as number) >= 1 && (seeds as number) <= 1_000_000)) throw new InvalidOptionError('seeds', 'a count from 1 to 1000000, or an array of seeds', seeds)
  if (!Number.isSafeInteger(firstSeed)) throw new InvalidOptionError('firstSeed', 'a safe integer', firstSeed)
  return Array.from({ length: seeds as number }, (_, i) => firstSeed + i)
}
