import { describe, expect, it } from 'vitest'
import { describeMachine, machineSnapshot, machineWarnings, parseOwnStat, parseProcStat } from '../../src/bench/machine.js'

describe('parseProcStat', () => {
  it('reads the aggregate cpu line: total, steal, and idle including iowait', () => {
    const text = 'cpu  100 5 50 800 20 1 2 22 0 0\ncpu0 50 2 25 400 10 0 1 11 0 0\nintr 1 2 3\n'
    expect(parseProcStat(text)).toEqual({ total: 1000, steal: 22, idle: 820 })
  })
  it('accepts old kernels without a steal column, and returns null for anything else', () => {
    expect(parseProcStat('cpu 1 2 3 4\n')).toEqual({ total: 10, steal: 0, idle: 4 })
    expect(parseProcStat('intr 1 2 3\n')).toBeNull()
    expect(parseProcStat('cpu a b c d\n')).toBeNull()
  })
})

describe('machine warnings', () => {
  it('warns of load at the start above half the CPUs, at the end above 1.5 × CPUs, and of steal above 5%', () => {
    expect(machineWarnings(2, 0.5, 2.5, 1)).toEqual([])
    expect(machineWarnings(2, 1.2, 3.2, 7.5)).toEqual([
      'load average was 1.20 on 2 CPUs when the run started: other work used the machine shortly before (or still does)',
      'load average was 3.20 on 2 CPUs when the run ended, more than the benchmarks alone make',
      'the hypervisor stole 7.5% of CPU time during the run',
    ])
    expect(machineWarnings(2, 0, 0, null)).toEqual([])
  })
  it("warns when other processes kept more than 10% of the CPU time busy, the run's own time not counted", () => {
    expect(machineWarnings(2, 0, 0, null, 10)).toEqual([])
    expect(machineWarnings(2, 0, 0, null, 23.4)).toEqual(['other processes kept 23% of the CPU time busy during the run'])
    const report = describeMachine(
      { loadAverage: [0, 0, 0], cpuTimes: { total: 1000, steal: 0, idle: 800 }, ownJiffies: 50 },
      { loadAverage: [0, 0, 0], cpuTimes: { total: 2000, steal: 0, idle: 1300 }, ownJiffies: 350 },
    )
    // 500 busy jiffies of 1000, 300 of them this run's own: others kept 20% busy.
    expect(report.otherPercent).toBeCloseTo(20)
    expect(report.warnings).toEqual(['other processes kept 20% of the CPU time busy during the run'])
    expect(describeMachine({ loadAverage: [0, 0, 0], cpuTimes: null }, { loadAverage: [0, 0, 0], cpuTimes: null }).otherPercent).toBeNull()
  })
  it('reads its own CPU time from /proc/self/stat, whatever the command name holds', () => {
    const stat = '4242 (node (bench) x) R 1 2 3 4 5 6 7 8 9 10 120 30 7 3 20 0 11 0 100 200 300'
    expect(parseOwnStat(stat)).toBe(160)
    expect(parseOwnStat('garbage')).toBeNull()
    if (process.platform === 'linux') {
      // A real reading: it grows while this thread works.
      const before = machineSnapshot().ownJiffies!
      const until = Date.now() + 60
      let spin = 0
      while (Date.now() < until) spin++
      expect(spin).toBeGreaterThan(0)
      expect(machineSnapshot().ownJiffies!).toBeGreaterThanOrEqual(before)
    }
  })
  it('computes steal and busy shares from the difference of two snapshots', () => {
    const report = describeMachine(
      { loadAverage: [0.1, 0.1, 0.1], cpuTimes: { total: 1000, steal: 10, idle: 800 } },
      { loadAverage: [0.5, 1, 0.5], cpuTimes: { total: 2000, steal: 110, idle: 1300 } },
    )
    expect(report.stealPercent).toBeCloseTo(10)
    expect(report.busyPercent).toBeCloseTo(50)
    expect(report.loadAverage).toEqual({ start: [0.1, 0.1, 0.1], end: [0.5, 1, 0.5] })
    expect(report.warnings).toEqual(['the hypervisor stole 10.0% of CPU time during the run'])
    expect(describeMachine({ loadAverage: [0, 0, 0], cpuTimes: null }, { loadAverage: [0, 0, 0], cpuTimes: null }).stealPercent).toBeNull()
  })
})
