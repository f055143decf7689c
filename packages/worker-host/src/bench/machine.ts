// The machine's state around a benchmark run: load average, CPU steal time (from /proc/stat),
// CPU model and count, Node version. A figure measured while something else used the CPUs is
// worth less, and the results should say so.
import { readFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg } from 'node:os'

/** Aggregate CPU jiffies from the first line of /proc/stat. */
export interface CpuTimes {
  readonly total: number
  readonly steal: number
  readonly idle: number
}

export interface MachineSnapshot {
  /** 1, 5 and 15 minute load averages (all 0 where the platform has none, e.g. Windows). */
  readonly loadAverage: readonly [number, number, number]
  /** null where /proc/stat cannot be read (not Linux). */
  readonly cpuTimes: CpuTimes | null
}

export interface MachineReport {
  readonly node: string
  readonly cpus: number
  /** CPUs this process may run on (affinity), which `taskset` lowers. */
  readonly availableParallelism: number
  readonly cpuModel: string
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] }
  /** Share of CPU time stolen by the hypervisor during the run, in percent; null off Linux. */
  readonly stealPercent: number | null
  /** Share of CPU time not idle during the run (everything: this run and others), in percent. */
  readonly busyPercent: number | null
  /** What makes the figures doubtful; empty when nothing does. */
  readonly warnings: readonly string[]
}

/**
 * Parses the aggregate `cpu` line of /proc/stat: user nice system idle iowait irq softirq steal
 * (guest time is already counted in user). Returns null for text without that line.
 */
export function parseProcStat(text: string): CpuTimes | null {
  const line = text.split('\n').find((l) => /^cpu\s/.test(l))
  if (line === undefined) return null
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number)
  if (fields.length < 4 || fields.some((f) => !Number.isFinite(f))) return null
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields
  return { total: user + nice + system + idle + iowait + irq + softirq + steal, steal, idle: idle + iowait }
}

function readCpuTimes(): CpuTimes | null {
  try {
    return parseProcStat(readFileSync('/proc/stat', 'utf8'))
  } catch {
    return null
  }
}

export function machineSnapshot(): MachineSnapshot {
  const [one = 0, five = 0, fifteen = 0] = loadavg()
  return { loadAverage: [one, five, fifteen], cpuTimes: readCpuTimes() }
}

const percentOf = (part: number, whole: number): number | null => (whole > 0 ? (100 * part) / whole : null)

/** Steal above this share of CPU time means the hypervisor gave our vCPUs to someone else. */
export const STEAL_WARNING_PERCENT = 5

/**
 * What the start and end snapshots say about the run. The warnings: load at the start above half
 * the CPUs (something else was running before the benchmark began: the benchmark itself is not in
 * that figure yet), the 1-minute load at the end above 1.5 × CPUs (a benchmark keeps at most about
 * one thread per CPU busy, so more is others' work), or steal above 5%.
 */
export function describeMachine(start: MachineSnapshot, end: MachineSnapshot): MachineReport {
  const cores = cpus()
  const count = cores.length
  let stealPercent: number | null = null
  let busyPercent: number | null = null
  if (start.cpuTimes !== null && end.cpuTimes !== null) {
    const total = end.cpuTimes.total - start.cpuTimes.total
    stealPercent = percentOf(end.cpuTimes.steal - start.cpuTimes.steal, total)
    busyPercent = percentOf(total - (end.cpuTimes.idle - start.cpuTimes.idle), total)
  }
  return {
    node: process.version,
    cpus: count,
    availableParallelism: availableParallelism(),
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    loadAverage: { start: [...start.loadAverage], end: [...end.loadAverage] },
    stealPercent,
    busyPercent,
    warnings: machineWarnings(count, start.loadAverage[0], end.loadAverage[0], stealPercent),
  }
}

/** The warnings of `describeMachine`, separated so they can be tested without a machine. */
export function machineWarnings(cpuCount: number, loadAtStart: number, loadAtEnd: number, stealPercent: number | null): string[] {
  const warnings: string[] = []
  const round = (n: number): string => n.toFixed(2)
  if (loadAtStart > cpuCount / 2) {
    warnings.push(`load average was ${round(loadAtStart)} on ${cpuCount} CPUs when the run started: other work shared the machine`)
  }
  if (loadAtEnd > cpuCount * 1.5) {
    warnings.push(`load average was ${round(loadAtEnd)} on ${cpuCount} CPUs when the run ended, more than the benchmarks alone make`)
  }
  if (stealPercent !== null && stealPercent > STEAL_WARNING_PERCENT) {
    warnings.push(`the hypervisor stole ${stealPercent.toFixed(1)}% of CPU time during the run`)
  }
  return warnings
}
