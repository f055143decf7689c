import { describe, expect, it } from 'vitest'
import type { MachineReport } from 'troupe'
import type { BenchmarkResult } from './harness.js'
import { computeRatios, ratioDefinitions } from './ratios.js'
import { describeSuite, machineLines, reportJson } from './results-file.js'

const machine: MachineReport = {
  node: 'v20.0.0',
  cpus: 2,
  availableParallelism: 2,
  cpuModel: 'Test CPU',
  loadAverage: { start: [0.1, 0.2, 0.3], end: [1.5, 0.9, 0.4] },
  stealPercent: 0.4,
  busyPercent: 96,
  otherPercent: 3,
  warnings: [],
}
const measurement = { pairs: 10, runs: 5, warmupRounds: 1, confidence: 0.95, pinnedCpus: null, seconds: 700 }

describe('describeSuite', () => {
  it('keeps the earlier fields in their order and adds samples, intervals, verdicts, the measurement and the machine', () => {
    // Extra fields on the inputs must not leak into the file.
    const results = [{ id: 'throughput.w1', unit: 'msg/s', median: 2, min: 1, max: 3, runs: 3, samples: [1, 2, 3], extra: true } as BenchmarkResult]
    const ratios = computeRatios(ratioDefinitions, results).map((o) => ({ ...o, extra: 1 }))
    const report = describeSuite(true, results, ratios, new Date('2026-01-02T03:04:05.678Z'), measurement, machine)
    const parsed = JSON.parse(reportJson(report)) as Record<string, unknown>
    expect(Object.keys(parsed)).toEqual(['node', 'cpus', 'cpuModel', 'date', 'quick', 'results', 'ratios', 'measurement', 'machine', 'skipped'])
    expect(parsed).toMatchObject({ node: 'v20.0.0', cpus: 2, cpuModel: 'Test CPU', date: '2026-01-02T03:04:05.678Z', quick: true, measurement, machine })
    expect(parsed.results).toEqual([{ id: 'throughput.w1', unit: 'msg/s', median: 2, min: 1, max: 3, runs: 3, samples: [1, 2, 3] }])
    const written = parsed.ratios as Record<string, unknown>[]
    expect(written).toHaveLength(ratioDefinitions.length)
    for (const ratio of written) expect(Object.keys(ratio)).toEqual(['id', 'name', 'value', 'goal', 'meets', 'kind', 'pairs', 'interval', 'verdict'])
    // A missing ratio is written as value null, never met.
    expect(written.find((r) => r.id === 'P5')).toEqual({
      id: 'P5',
      name: 'throughput scaling efficiency at the largest worker count run',
      value: null,
      goal: { op: '>=', value: 0.9 },
      meets: false,
      kind: 'computed',
      pairs: 0,
      interval: null,
      verdict: 'missing',
    })
  })
  it('writes the goal of a ratio without one as null, its verdict reported', () => {
    const results = [
      { id: 'tell.cross-thread', unit: 'msg/s', median: 4, min: 4, max: 4, runs: 1, samples: [4] },
      { id: 'tell.cross-thread.traced', unit: 'msg/s', median: 1, min: 1, max: 1, runs: 1, samples: [1] },
    ]
    const report = describeSuite(true, results, computeRatios(ratioDefinitions, results), new Date(0), measurement, machine)
    const written = (JSON.parse(reportJson(report)) as { ratios: Record<string, unknown>[] }).ratios
    expect(written.find((r) => r.id === 'P18')).toEqual({
      id: 'P18',
      name: 'tell cross-thread with every message traced vs untraced',
      value: 0.25,
      goal: null,
      meets: false,
      kind: 'paired',
      pairs: 1,
      interval: [0.25, 0.25],
      verdict: 'reported',
    })
  })
  it('states the machine in latest.md and warns when the load was high', () => {
    const calm = describeSuite(false, [], [], new Date(0), measurement, machine)
    expect(machineLines(calm).join('\n')).toContain('0.10 / 0.20 / 0.30 at the start, 1.50 / 0.90 / 0.40 at the end; CPU steal 0.4%')
    expect(machineLines(calm).join('\n')).toContain('CPUs busy 96% over the run (other processes 3%).')
    expect(machineLines(calm).join('\n')).not.toContain('Warning')
    const loaded = describeSuite(false, [], [], new Date(0), { ...measurement, pinnedCpus: '0' }, { ...machine, warnings: ['load average was 8.00 on 2 CPUs when the run started'] })
    const text = machineLines(loaded).join('\n')
    expect(text).toContain('> **Warning:** load average was 8.00 on 2 CPUs when the run started.')
    expect(text).toContain('pinned to CPU 0 (taskset)')
  })
})
