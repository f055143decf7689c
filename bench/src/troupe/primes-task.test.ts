import { describe, expect, it } from 'vitest'
import { checkPrimeCount, countPrimes, FULL_JOB, FULL_WARMUP, jobRanges, QUICK_JOB, QUICK_WARMUP, type PrimeJob } from './primes-task.js'

/** π(limit) by a plain sieve: an independent check of the constants the benchmarks assert. */
function sieveCount(limit: number): number {
  const composite = new Uint8Array(limit)
  let count = 0
  for (let i = 2; i < limit; i++) {
    if (composite[i]) continue
    count++
    for (let j = i * i; j < limit; j += i) composite[j] = 1
  }
  return count
}

describe('the cpu.* job', () => {
  it.each([QUICK_WARMUP, QUICK_JOB, FULL_WARMUP, FULL_JOB])('π($limit) is $expected', (job: PrimeJob) => {
    expect(sieveCount(job.limit)).toBe(job.expected)
  })

  it('splits the limit into contiguous ranges that count to π(limit)', () => {
    const ranges = jobRanges(QUICK_WARMUP)
    expect(ranges[0]!.lo).toBe(0)
    expect(ranges.at(-1)!.hi).toBe(QUICK_WARMUP.limit)
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.lo).toBe(ranges[i - 1]!.hi)
    const counts = ranges.map(countPrimes)
    expect(() => checkPrimeCount(QUICK_WARMUP, counts)).not.toThrow()
    expect(() => checkPrimeCount(QUICK_WARMUP, counts.map((n, i) => (i === 3 ? n + 1 : n)))).toThrow(/counted 41539/)
  })

  it('counts edge ranges right', () => {
    expect(countPrimes({ lo: 0, hi: 2 })).toBe(0)
    expect(countPrimes({ lo: 2, hi: 3 })).toBe(1)
    expect(countPrimes({ lo: 0, hi: 30 })).toBe(10)
    expect(countPrimes({ lo: 24, hi: 29 })).toBe(0)
  })
})
