import { describe, expect, it } from 'vitest'
import { runFigures, summarizeFigures } from './harness.js'
import type { BenchmarkDefinition } from './harness.js'
import { planGroups } from './plan.js'
import { runGroup, timedRounds, warmupRounds } from './rounds.js'

describe('summarizeFigures', () => {
  it('keeps the figures in round order and summarizes them', () => {
    expect(summarizeFigures('x', 'msg/s', [5, 1, 3])).toEqual({ id: 'x', unit: 'msg/s', median: 3, min: 1, max: 5, runs: 3, samples: [5, 1, 3] })
    expect(() => summarizeFigures('x', 'us', [])).toThrow(/no timed figures/)
  })
})

describe('runFigures', () => {
  const withCompanion: BenchmarkDefinition = { id: 'max', unit: 'actors', companions: [{ id: 'max.rss', unit: 'bytes' }], run: async () => 1 }
  it('keys the own figure and every declared companion by id', () => {
    expect(runFigures({ id: 'x', unit: 'us', run: async () => 1 }, 5)).toEqual(new Map([['x', 5]]))
    expect(runFigures(withCompanion, { figure: 10, companions: { 'max.rss': 2e9 } })).toEqual(
      new Map([
        ['max', 10],
        ['max.rss', 2e9],
      ]),
    )
  })
  it('throws on a missing, undeclared or non-finite companion', () => {
    expect(() => runFigures(withCompanion, 10)).toThrow(/no figure for max\.rss/)
    expect(() => runFigures(withCompanion, { figure: 10, companions: { 'max.rss': 1, other: 2 } })).toThrow(/undeclared figure other/)
    expect(() => runFigures(withCompanion, { figure: 10, companions: { 'max.rss': Number.NaN } })).toThrow(/max\.rss: run produced a non-finite/)
  })
})

/** A benchmark that records when it ran and returns the next of its figures. */
function scripted(id: string, figures: number[], log: string[]): BenchmarkDefinition {
  return {
    id,
    unit: 'msg/s',
    run: async () => {
      log.push(id)
      const figure = figures.shift()
      if (figure === undefined) throw new Error(`${id} has no figure left`)
      return figure
    },
  }
}

const quiet = { quick: true, progress: () => undefined, format: (v: number) => String(v) }

describe('runGroup', () => {
  it('alternates the members round by round (A B, B A, ...) and drops the warm-up round', async () => {
    const log: string[] = []
    const a = scripted('a', [100, 10, 20, 30], log)
    const b = scripted('b', [100, 1, 2, 3], log)
    const [group] = planGroups([a, b], [{ id: 'R', name: 'r', numerator: 'a', denominator: 'b', goal: { op: '>=', value: 1 } }])
    const outcome = await runGroup(group!, { ...quiet, pairs: 3, runs: 1, warmupRounds: 1 })
    expect(log).toEqual(['a', 'b', 'b', 'a', 'a', 'b', 'b', 'a'])
    expect(outcome.failures).toEqual([])
    expect(outcome.results.map((r) => [r.id, r.samples])).toEqual([
      ['a', [10, 20, 30]],
      ['b', [1, 2, 3]],
    ])
  })
  it('runs a benchmark in no ratio `runs` times, one run at a time', async () => {
    let active = 0
    const lone: BenchmarkDefinition = {
      id: 'lone',
      unit: 'us',
      run: async () => {
        active++
        expect(active).toBe(1)
        await Promise.resolve()
        active--
        return 7
      },
    }
    const [group] = planGroups([lone], [])
    const outcome = await runGroup(group!, { ...quiet, pairs: 10, runs: 2, warmupRounds: 0 })
    expect(outcome.results[0]?.samples).toEqual([7, 7])
  })
  it('drops a failing member from later rounds and reports it; the others go on', async () => {
    const log: string[] = []
    const a = scripted('a', [1, 2, 3], log)
    const b = scripted('b', [1], log)
    const [group] = planGroups([a, b], [{ id: 'R', name: 'r', numerator: 'a', denominator: 'b', goal: { op: '>=', value: 1 } }])
    const outcome = await runGroup(group!, { ...quiet, pairs: 3, runs: 1, warmupRounds: 0 })
    expect(outcome.failures.map((f) => f.id)).toEqual(['b'])
    expect(outcome.results.map((r) => r.id)).toEqual(['a'])
    expect(log).toEqual(['a', 'b', 'b', 'a', 'a'])
  })
  it('fails a member whose figure is not finite', async () => {
    const [group] = planGroups([{ id: 'nan', unit: 'us', run: async () => Number.NaN }], [])
    const outcome = await runGroup(group!, { ...quiet, pairs: 1, runs: 1, warmupRounds: 0 })
    expect(String(outcome.failures[0]?.error)).toMatch(/non-finite/)
  })
  it('reports companion figures as results of their own, after their benchmark', async () => {
    let n = 0
    const max: BenchmarkDefinition = {
      id: 'max',
      unit: 'actors',
      companions: [{ id: 'max.rss', unit: 'bytes' }],
      run: async () => {
        n++
        return { figure: n * 10, companions: { 'max.rss': n * 100 } }
      },
    }
    const lines: string[] = []
    const [group] = planGroups([max], [])
    const outcome = await runGroup(group!, { ...quiet, progress: (line) => lines.push(line), pairs: 3, runs: 2, warmupRounds: 1 })
    expect(outcome.results.map((r) => [r.id, r.unit, r.samples])).toEqual([
      ['max', 'actors', [20, 30]],
      ['max.rss', 'bytes', [200, 300]],
    ])
    expect(lines).toContain('  max.rss round 2/2: 300')
  })
  it('keeps a group within its members\' caps on rounds', async () => {
    let runs = 0
    const slow: BenchmarkDefinition = { id: 'slow', unit: 'actors', rounds: { timed: 3, warmup: 0 }, run: async () => ++runs }
    const [group] = planGroups([slow], [{ id: 'A', name: 'a', numerator: 'slow', goal: { op: '>=', value: 1 } }])
    expect(timedRounds(group!, { pairs: 10, runs: 5 })).toBe(3)
    expect(timedRounds(group!, { pairs: 2, runs: 5 })).toBe(2)
    expect(warmupRounds(group!, { warmupRounds: 1 })).toBe(0)
    const outcome = await runGroup(group!, { ...quiet, pairs: 10, runs: 5, warmupRounds: 1 })
    expect(outcome.results[0]?.samples).toEqual([1, 2, 3])
  })
})
