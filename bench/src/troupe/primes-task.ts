// The job of cpu.*: count the primes below a limit, split into ranges. Each range is counted by
// trial division with the primes up to its square root: honest CPU work, a few ms to tens of ms
// per range, with no shared state, so ranges can run on any thread in any order. Also piscina's
// task module for baseline.piscina.cpu (its compiled .js is the pool's filename), so the actors,
// the pool and the main thread run the same code.

export interface PrimeRange {
  /** Inclusive. */
  readonly lo: number
  /** Exclusive. */
  readonly hi: number
}

/** The job: primes below `limit` in `parts` ranges of equal width. */
export interface PrimeJob {
  readonly limit: number
  readonly parts: number
  /** π(limit), the answer every run is checked against. */
  readonly expected: number
}

// π(x) for the limits used; well-known values, and checked by primes-task.test.ts with a sieve.
export const FULL_JOB: PrimeJob = { limit: 10_000_000, parts: 100, expected: 664_579 }
export const QUICK_JOB: PrimeJob = { limit: 2_000_000, parts: 100, expected: 148_933 }
/** The untimed warm-up passes: a quarter of the limit, in a quarter of the ranges. */
export const FULL_WARMUP: PrimeJob = { limit: 2_500_000, parts: 25, expected: 183_072 }
export const QUICK_WARMUP: PrimeJob = { limit: 500_000, parts: 25, expected: 41_538 }

export function jobRanges(job: PrimeJob): PrimeRange[] {
  return Array.from({ length: job.parts }, (_, i) => ({ lo: Math.floor((i * job.limit) / job.parts), hi: Math.floor(((i + 1) * job.limit) / job.parts) }))
}

/** Primes up to `n`, by a sieve; cached per thread, grown when a larger bound is asked for. */
let basePrimes: Int32Array = new Int32Array(0)
let baseLimit = 0
function primesUpTo(n: number): Int32Array {
  if (n <= baseLimit) return basePrimes
  const composite = new Uint8Array(n + 1)
  const found: number[] = []
  for (let i = 2; i <= n; i++) {
    if (composite[i]) continue
    found.push(i)
    for (let j = i * i; j <= n; j += i) composite[j] = 1
  }
  basePrimes = Int32Array.from(found)
  baseLimit = n
  return basePrimes
}

/** The number of primes p with lo <= p < hi. */
export function countPrimes(range: PrimeRange): number {
  const { lo, hi } = range
  const divisors = primesUpTo(Math.ceil(Math.sqrt(hi)) + 1)
  let count = 0
  for (let n = Math.max(lo, 2); n < hi; n++) {
    let prime = true
    for (let i = 0; i < divisors.length; i++) {
      const d = divisors[i]!
      if (d * d > n) break
      if (n % d === 0) {
        prime = false
        break
      }
    }
    if (prime) count++
  }
  return count
}

/** Throws unless the ranges' counts add up to π(limit), so a fast wrong answer fails the run. */
export function checkPrimeCount(job: PrimeJob, counts: readonly number[]): void {
  const total = counts.reduce((sum, n) => sum + n, 0)
  if (counts.length !== job.parts || total !== job.expected) {
    throw new Error(`primes below ${job.limit}: counted ${total} in ${counts.length} ranges, expected ${job.expected} in ${job.parts}`)
  }
}

export default countPrimes
