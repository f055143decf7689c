import { afterEach, describe, expect, it, vi } from 'vitest'
import type { MachineReport } from 'troupe'
import { checkAvailability, isCi } from './availability.js'
import { jetstreamConsume } from './baselines/jetstream-consume.js'
import { natsServerMissing } from './baselines/nats.js'
import { natsPub } from './baselines/nats-pub.js'
import { natsRequestLatencyP50 } from './baselines/nats-request.js'
import type { BenchmarkDefinition } from './harness.js'
import { clusterAskLatencyP50 } from './troupe/cluster-ask.js'
import { clusterDownDetectionMs } from './troupe/cluster-down.js'
import { clusterFailoverMs } from './troupe/cluster-failover.js'
import { clusterTell } from './troupe/cluster-tell.js'
import { durableHandlerRate } from './troupe/durable-handler.js'
import { skippedTable } from './report.js'
import { describeSuite, reportJson, skippedLines } from './results-file.js'
import { renderText } from './table.js'

const run = async (): Promise<number> => 1
const plain: BenchmarkDefinition = { id: 'plain', unit: 'msg/s', run }
const available: BenchmarkDefinition = { id: 'available', unit: 'msg/s', requires: async () => undefined, run }
const missing: BenchmarkDefinition = { id: 'missing', unit: 'msg/s', requires: async () => 'no server here', run }
const broken: BenchmarkDefinition = {
  id: 'broken',
  unit: 'us',
  requires: async () => {
    throw new Error('cannot tell')
  },
  run,
}

describe('checkAvailability', () => {
  it('runs what needs nothing or has what it needs, and skips the rest with their reason', async () => {
    const { runnable, skipped, failed } = await checkAvailability([plain, missing, available], false)
    expect(runnable.map((d) => d.id)).toEqual(['plain', 'available'])
    expect(skipped).toEqual([{ id: 'missing', reason: 'no server here' }])
    expect(failed).toEqual([])
  })
  it('fails instead of skipping under CI, saying why', async () => {
    const { runnable, skipped, failed } = await checkAvailability([plain, missing], true)
    expect(runnable.map((d) => d.id)).toEqual(['plain'])
    expect(skipped).toEqual([])
    expect(failed).toHaveLength(1)
    expect(failed[0]?.id).toBe('missing')
    expect(failed[0]?.reason).toMatch(/^no server here \(CI=true: /)
  })
  it('fails a benchmark whose check throws, CI or not', async () => {
    for (const ci of [false, true]) {
      const { runnable, skipped, failed } = await checkAvailability([broken, plain], ci)
      expect(runnable.map((d) => d.id)).toEqual(['plain'])
      expect(skipped).toEqual([])
      expect(failed).toEqual([{ id: 'broken', reason: 'its requirement check threw: cannot tell' }])
    }
  })
})

describe('isCi', () => {
  it('is CI=true exactly', () => {
    expect(isCi({ CI: 'true' })).toBe(true)
    expect(isCi({ CI: '1' })).toBe(false)
    expect(isCi({})).toBe(false)
  })
})

describe('the skipped benchmarks in the report', () => {
  const machine: MachineReport = {
    node: 'v20.0.0',
    cpus: 2,
    availableParallelism: 2,
    cpuModel: 'Test CPU',
    loadAverage: { start: [0, 0, 0], end: [0, 0, 0] },
    stealPercent: 0,
    busyPercent: 50,
    otherPercent: 0,
    warnings: [],
  }
  const measurement = { pairs: 3, runs: 3, warmupRounds: 1, confidence: 0.95, pinnedCpus: null, seconds: 1 }
  const skipped = [{ id: 'baseline.nats.pub', reason: 'nats-server is not installed' }]

  it('lists them with their reason on stdout, in latest.md and in the JSON', () => {
    expect(renderText(skippedTable(skipped))).toContain('baseline.nats.pub  nats-server is not installed')
    const report = describeSuite(true, [], [], new Date(0), measurement, machine, skipped)
    expect(skippedLines(report).join('\n')).toContain('- `baseline.nats.pub`: nats-server is not installed')
    expect((JSON.parse(reportJson(report)) as { skipped: unknown }).skipped).toEqual(skipped)
  })
  it('writes nothing about them when none was skipped', () => {
    const report = describeSuite(true, [], [], new Date(0), measurement, machine)
    expect(report.skipped).toEqual([])
    expect(skippedLines(report)).toEqual([])
  })
})

describe('the NATS baselines, the cluster benchmarks and durable.handler.rate', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
  })
  it('declare that they need nats-server', () => {
    for (const definition of [natsPub, natsRequestLatencyP50, jetstreamConsume, clusterTell, clusterAskLatencyP50, clusterDownDetectionMs, clusterFailoverMs, durableHandlerRate]) {
      expect(definition.requires).toBe(natsServerMissing)
    }
  })
  it('give a reason when TROUPE_NATS_SERVER names no executable', async () => {
    vi.stubEnv('TROUPE_NATS_SERVER', '/nonexistent/nats-server')
    expect(await natsServerMissing()).toMatch(/\/nonexistent\/nats-server \(TROUPE_NATS_SERVER\) is not an executable/)
  })
})
