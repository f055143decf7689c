import { describe, expect, it } from 'vitest'
import type { BenchmarkResult } from './harness.js'
import { computeRatios, ratioDefinitions } from './ratios.js'
import { describeSuite, reportJson } from './results-file.js'

describe('describeSuite', () => {
  it('has exactly the documented shape: { node, cpus, cpuModel, date, quick, results, ratios }', () => {
    // Extra fields on the inputs must not leak into the file.
    const results = [{ id: 'throughput.w1', unit: 'msg/s', median: 2, min: 1, max: 3, runs: 3, extra: true } as BenchmarkResult]
    const ratios = computeRatios(ratioDefinitions, results).map((o) => ({ ...o, extra: 1 }))
    const report = describeSuite(true, results, ratios, new Date('2026-01-02T03:04:05.678Z'))
    const parsed = JSON.parse(reportJson(report)) as Record<string, unknown>
    expect(Object.keys(parsed)).toEqual(['node', 'cpus', 'cpuModel', 'date', 'quick', 'results', 'ratios'])
    expect(parsed).toMatchObject({ node: process.version, date: '2026-01-02T03:04:05.678Z', quick: true })
    expect(typeof parsed.cpus).toBe('number')
    expect(typeof parsed.cpuModel).toBe('string')
    expect(parsed.results).toEqual([{ id: 'throughput.w1', unit: 'msg/s', median: 2, min: 1, max: 3, runs: 3 }])
    const written = parsed.ratios as Record<string, unknown>[]
    expect(written).toHaveLength(ratioDefinitions.length)
    for (const ratio of written) expect(Object.keys(ratio)).toEqual(['id', 'name', 'value', 'goal', 'meets'])
    // A missing ratio is written as value null, never met.
    expect(written.find((r) => r.id === 'P5')).toEqual({
      id: 'P5',
      name: 'throughput scaling efficiency at the largest worker count run',
      value: null,
      goal: { op: '>=', value: 0.85 },
      meets: false,
    })
  })
})
