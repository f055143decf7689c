import { describe, expect, it } from 'vitest'
import { parseCliOptions, UsageError } from '../../src/bench/cli-options.js'
import { pickWorkload, WorkloadModuleError } from '../../src/bench/load-workload.js'
import { fileStem } from '../../src/bench/output.js'
import { progressLine } from '../../src/bench/progress.js'
import { roundOrder, scalingSettings, validateWorkerCounts } from '../../src/bench/scaling.js'
import { scalingRows } from '../../src/bench/scaling-report.js'
import type { ScalingReport } from '../../src/bench/scaling-report.js'
import { scalingSvg, ticks } from '../../src/bench/svg.js'
import { scalingTable } from '../../src/bench/table.js'
import { defineWorkload, validateWorkload } from '../../src/bench/workload.js'

const settings = scalingSettings({ workerCounts: [1, 2, 4], pairs: 4 }, 4)

describe('roundOrder', () => {
  it('rotates the worker counts each round, so every count takes every position equally often', () => {
    expect([0, 1, 2, 3].map((round) => roundOrder([1, 2, 4], round))).toEqual([
      [1, 2, 4],
      [2, 4, 1],
      [4, 1, 2],
      [1, 2, 4],
    ])
    // Two counts alternate: A B, B A, A B ...
    expect(roundOrder([1, 2], 1)).toEqual([2, 1])
  })
  it('refuses empty, repeated or non-positive worker counts', () => {
    expect(() => validateWorkerCounts([])).toThrow(/at least one/)
    expect(() => validateWorkerCounts([1, 1])).toThrow(/repeat/)
    expect(() => validateWorkerCounts([0, 2])).toThrow(/positive integers/)
    expect(validateWorkerCounts([4, 1, 2])).toEqual([1, 2, 4])
  })
})

describe('scalingRows', () => {
  it('pairs every count with the base count round by round: drift cancels in speed-up and efficiency', () => {
    // The machine slows down round by round; within a round, 2 workers do 1.8× and 4 do 3.2× of 1.
    const drift = [1, 0.8, 0.6, 0.5]
    const samples = new Map([
      [1, drift.map((d) => 100 * d)],
      [2, drift.map((d) => 180 * d)],
      [4, drift.map((d) => 320 * d)],
    ])
    const [one, two, four] = scalingRows(samples, settings)
    expect(one).toMatchObject({ workers: 1, speedup: null, efficiency: null, throughput: { min: 50, max: 100 } })
    expect(two?.speedup?.value).toBeCloseTo(1.8)
    expect(two?.efficiency).toMatchObject({ verdict: 'met', samples: 4 })
    expect(two?.efficiency?.interval[0]).toBeCloseTo(0.9)
    expect(two?.efficiency?.interval[1]).toBeCloseTo(0.9)
    expect(four?.efficiency?.value).toBeCloseTo(0.8)
    expect(four?.efficiency?.verdict).toBe('not met')
  })
  it('says undecided when the pairs straddle the goal', () => {
    const samples = new Map([
      [1, [100, 100, 100, 100]],
      [2, [150, 190, 160, 185]],
    ])
    expect(scalingRows(samples, { ...settings, workerCounts: [1, 2] })[1]?.efficiency?.verdict).toBe('undecided')
  })
  it('uses the smallest count as the base when 1 is not measured', () => {
    const rows = scalingRows(
      new Map([
        [2, [100, 100]],
        [4, [200, 200]],
      ]),
      { ...settings, workerCounts: [2, 4] },
    )
    expect(rows[1]?.efficiency?.value).toBe(1)
  })
})

function report(): ScalingReport {
  const samples = new Map([
    [1, [100e3, 120e3, 110e3]],
    [2, [190e3, 200e3, 230e3]],
  ])
  const s = { ...settings, workerCounts: [1, 2], pairs: 3 }
  return {
    tool: 'troupe bench',
    workload: 'demo <&> "x"',
    unit: 'msg/s',
    date: '2026-01-02T03:04:05.000Z',
    settings: s,
    machine: { node: 'v20.0.0', cpus: 2, availableParallelism: 2, cpuModel: 'Test CPU', loadAverage: { start: [3, 2, 1], end: [3, 2, 1] }, stealPercent: 0, busyPercent: 50, otherPercent: 0, warnings: ['load was high'] },
    rows: scalingRows(samples, s),
    samples: { 1: [100e3, 120e3, 110e3], 2: [190e3, 200e3, 230e3] },
  }
}

describe('output', () => {
  it('prints one table row per worker count with its efficiency and verdict', () => {
    const lines = scalingTable(report()).split('\n')
    expect(lines[0]).toMatch(/^workers\s+msg\/s\s+95% interval\s+speed-up\s+efficiency/)
    expect(lines[2]).toMatch(/^1\s+110 k\s+.*base\s+1 \(base\)$/)
    expect(lines[3]).toMatch(/^2\s+200 k\s+.*(met|not met|undecided)$/)
  })
  it('draws an SVG with escaped text, the warning, and one point per count', () => {
    const svg = scalingSvg(report())
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg).toContain('demo &#60;&#38;&#62; &#34;x&#34;')
    expect(svg).toContain('warning: load was high')
    expect(svg.match(/<circle /g)).toHaveLength(2)
  })
  it('picks round ticks that cover the maximum', () => {
    expect(ticks(230e3)).toEqual([0, 50e3, 100e3, 150e3, 200e3, 250e3])
    expect(ticks(0)).toEqual([0])
  })
  it('names files after the workload', () => {
    expect(fileStem('Chat fan-out (v2)')).toBe('chat-fan-out-v2')
    expect(fileStem('***')).toBe('workload')
  })
  it('shows progress with the round, the count and an estimate of the time left', () => {
    const line = progressLine({ done: 3, total: 6, workers: 2, round: 1, warmup: false, perSecond: 1.5e6 }, 'msg/s', 1, 3, 3000)
    expect(line).toBe('[############------------] 3/6  round 1/2  k=2  1.50 M msg/s  ETA 3 s')
  })
})

describe('CLI options', () => {
  it('parses every flag, inline or separate', () => {
    expect(parseCliOptions(['w.js', '--workers', '4,1,2', '--pairs=5', '--warmup', '0', '--goal', '0.9', '--out', 'o', '--timeout', '1000', '--seed', '3', '--no-progress', '--export', 'x'])).toEqual({
      module: 'w.js',
      exportName: 'x',
      workers: [1, 2, 4],
      maxWorkers: undefined,
      pairs: 5,
      warmupRounds: 0,
      goal: 0.9,
      out: 'o',
      timeoutMs: 1000,
      seed: 3,
      progress: false,
      help: false,
    })
  })
  it('names the problem of a bad option', () => {
    const problem = (argv: string[]) => {
      try {
        parseCliOptions(argv)
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError)
        return (error as Error).message
      }
      throw new Error('expected a UsageError')
    }
    expect(problem([])).toMatch(/missing the workload module/)
    expect(problem(['w.js', '--pairs', '0'])).toBe('--pairs must be an integer >= 1, got "0"')
    expect(problem(['w.js', '--pairs', 'many'])).toBe('--pairs must be an integer >= 1, got "many"')
    expect(problem(['w.js', '--workers', '1,1'])).toMatch(/must not repeat/)
    expect(problem(['w.js', '--workers', '0'])).toMatch(/--workers must be an integer >= 1/)
    expect(problem(['w.js', '--goal', '-1'])).toMatch(/--goal must be a positive number/)
    expect(problem(['w.js', '--workers', '1,2', '--max-workers', '2'])).toMatch(/not both/)
    expect(problem(['w.js', '--frobnicate'])).toBe('unknown option --frobnicate')
    expect(problem(['w.js', 'v.js'])).toMatch(/one workload module at a time/)
    expect(problem(['w.js', '--pairs'])).toBe('--pairs needs a value')
  })
})

describe('workload definitions', () => {
  const valid = { name: 'w', actors: [], setup: () => 1, run: () => 1 }
  it('keeps the definition and marks it', () => {
    const workload = defineWorkload(valid)
    expect(workload.name).toBe('w')
    expect(pickWorkload({ default: workload }, 'w.js', undefined)).toBe(workload)
    expect(pickWorkload({ only: workload, helper: 1 }, 'w.js', undefined)).toBe(workload)
  })
  it('names the field that is wrong', () => {
    expect(() => validateWorkload({ ...valid, name: '' })).toThrow('workload.name must be a non-empty string')
    expect(() => validateWorkload({ ...valid, actors: undefined })).toThrow(/workload.actors must be an array/)
    expect(() => validateWorkload({ ...valid, run: 3 })).toThrow('workload.run must be a function, got number')
    expect(() => validateWorkload({ ...valid, check: 'yes' })).toThrow('workload.check must be a function, got string')
    expect(() => validateWorkload(null)).toThrow(/must be an object/)
  })
  it('says which export is missing and what the module exports', () => {
    const error = (fn: () => unknown) => {
      try {
        fn()
      } catch (e) {
        expect(e).toBeInstanceOf(WorkloadModuleError)
        return (e as Error).message
      }
      throw new Error('expected a WorkloadModuleError')
    }
    const workload = defineWorkload(valid)
    expect(error(() => pickWorkload({ a: 1 }, 'w.js', undefined))).toBe('w.js has no workload export: export default defineWorkload({ ... }) (its exports: a)')
    expect(error(() => pickWorkload({ a: workload }, 'w.js', 'b'))).toBe('w.js has no export named "b" (its exports: a)')
    expect(error(() => pickWorkload({ a: workload, b: workload }, 'w.js', undefined))).toMatch(/several workloads \(a, b\)/)
    expect(error(() => pickWorkload({ half: { name: 'h', actors: [] } }, 'w.js', 'half'))).toBe('w.js, export "half": workload.setup must be a function, got undefined')
  })
})
