import { describe, expect, it } from 'vitest'
import type { BenchmarkDefinition } from './harness.js'
import { planGroups, roundOrder, selectBenchmarks } from './plan.js'
import { ratioDefinitions } from './ratios.js'
import type { RatioDefinition } from './ratios.js'

const bench = (id: string): BenchmarkDefinition => ({ id, unit: 'msg/s', run: async () => 1 })
const ids = (groups: ReturnType<typeof planGroups>) => groups.map((g) => g.members.map((m) => m.id))

describe('planGroups', () => {
  it('puts the benchmarks of connected ratios in one group, and every other benchmark alone', () => {
    const all = [
      'baseline.port.per-message',
      'baseline.port.batched',
      'tell.cross-thread',
      'tell.cross-thread.metrics',
      'tell.cross-thread.traced',
      'tell.same-thread',
      'tell.flood.cross-thread',
      'throughput.w1',
      'throughput.w2',
      'routing.uneven.balancing',
      'routing.uneven.round-robin',
      'baseline.piscina.uneven',
      'cpu.actors',
      'cpu.single-thread',
      'baseline.piscina.cpu',
      'metrics.scrape.ms',
    ].map(bench)
    const groups = planGroups(all, ratioDefinitions)
    expect(ids(groups)).toEqual([
      // P17 and P18 read tell.cross-thread too: both variants run in its rounds, pair by pair.
      ['baseline.port.per-message', 'baseline.port.batched', 'tell.cross-thread', 'tell.cross-thread.metrics', 'tell.cross-thread.traced'],
      ['tell.same-thread'],
      ['tell.flood.cross-thread'],
      ['throughput.w1', 'throughput.w2'],
      ['routing.uneven.balancing', 'routing.uneven.round-robin', 'baseline.piscina.uneven'],
      ['cpu.actors', 'cpu.single-thread', 'baseline.piscina.cpu'],
      ['metrics.scrape.ms'],
    ])
    expect(groups.map((g) => g.ratios)).toEqual([['P1a', 'P1b', 'P17', 'P18'], ['P4'], [], ['P4b', 'P5'], ['P10', 'P11'], ['P12', 'P13'], ['P19']])
  })
  it('selects P17 or P18 as exactly its pair, measured in one group', () => {
    const tells = ['tell.cross-thread', 'tell.cross-thread.metrics', 'tell.cross-thread.traced', 'tell.same-thread'].map(bench)
    const p18 = selectBenchmarks(tells, ['P18'], ratioDefinitions)
    expect(p18.map((d) => d.id)).toEqual(['tell.cross-thread', 'tell.cross-thread.traced'])
    expect(planGroups(p18, ratioDefinitions).map((g) => g.ratios)).toEqual([['P18']])
    expect(selectBenchmarks(tells, ['P17'], ratioDefinitions).map((d) => d.id)).toEqual(['tell.cross-thread', 'tell.cross-thread.metrics'])
  })
  it('leaves a ratio side alone when its other side is not selected', () => {
    const groups = planGroups([bench('tell.cross-thread')], ratioDefinitions)
    expect(ids(groups)).toEqual([['tell.cross-thread']])
    expect(groups[0]?.ratios).toEqual([])
  })
  it('joins chains of ratios transitively', () => {
    const chain: RatioDefinition[] = [
      { id: 'X', name: 'x', numerator: 'a', denominator: 'b', goal: { op: '>=', value: 1 } },
      { id: 'Y', name: 'y', numerator: 'c', denominator: 'b', goal: { op: '>=', value: 1 } },
    ]
    expect(ids(planGroups(['a', 'z', 'b', 'c'].map(bench), chain))).toEqual([['a', 'b', 'c'], ['z']])
  })
})

describe('roundOrder', () => {
  it('rotates, so with two members the order alternates A B, B A', () => {
    expect([0, 1, 2].map((r) => roundOrder(['a', 'b'], r))).toEqual([
      ['a', 'b'],
      ['b', 'a'],
      ['a', 'b'],
    ])
    expect(roundOrder(['a', 'b', 'c'], 2)).toEqual(['c', 'a', 'b'])
  })
})

describe('selectBenchmarks', () => {
  const all = ['ask.pipelined', 'baseline.comlink.pipelined', 'baseline.port.ask.pipelined', 'throughput.w1', 'throughput.w2', 'tell.same-thread'].map(bench)
  it('selects a ratio by its id: exactly its two sides, or all of P5', () => {
    expect(selectBenchmarks(all, ['P2a'], ratioDefinitions).map((d) => d.id)).toEqual(['ask.pipelined', 'baseline.comlink.pipelined'])
    expect(selectBenchmarks(all, ['P5'], ratioDefinitions).map((d) => d.id)).toEqual(['throughput.w1', 'throughput.w2'])
  })
  it('selects an absolute ratio by its id: its one benchmark, a group of its own', () => {
    const spawning = ['spawn.rate', 'spawn.remote.rate', 'actors.alive.max', 'memory.per-actor'].map(bench)
    expect(selectBenchmarks(spawning, ['P15'], ratioDefinitions).map((d) => d.id)).toEqual(['spawn.remote.rate'])
    expect(selectBenchmarks(spawning, ['P16', 'P9'], ratioDefinitions).map((d) => d.id)).toEqual(['actors.alive.max', 'memory.per-actor'])
    expect(selectBenchmarks(spawning, ['spawn.'], ratioDefinitions).map((d) => d.id)).toEqual(['spawn.rate', 'spawn.remote.rate'])
    expect(planGroups(spawning, ratioDefinitions).map((g) => g.ratios)).toEqual([['P14'], ['P15'], ['P16'], ['P9']])
  })
  it('still selects by id prefix, and everything without --only', () => {
    expect(selectBenchmarks(all, ['baseline'], ratioDefinitions).map((d) => d.id)).toEqual(['baseline.comlink.pipelined', 'baseline.port.ask.pipelined'])
    expect(selectBenchmarks(all, [], ratioDefinitions)).toHaveLength(all.length)
  })
})
