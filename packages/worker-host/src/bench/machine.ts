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
  /**
   * CPU time of this process (all its threads) and of its children that have ended, in the same
   * jiffies as `cpuTimes`, from /proc/self/stat; null or absent where it cannot be read.
   */
  readonly ownJiffies?: number | null
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
  /**
   * Share of CPU time other processes kept busy during the run (busy time minus this run's own),
   * in percent; null off Linux. Unlike the load average, it does not count the run itself.
   */
  readonly otherPercent: number | null
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

/**
 * Parses /proc/<pid>/stat: utime + stime + cutime + cstime (fields 14 to 17). The command name
 * (field 2) is in parentheses and may hold spaces, so fields are counted after its last ')'.
 */
export function parseOwnStat(text: string): number | null {
  const close = text.lastIndexOf(')')
  if (close < 0) return null
  // After ')': field 3 (state) is index 0, so fields 14..17 are indices 11..14.
  const fields = text.slice(close + 1).trim().split(/\s+/).slice(11, 15).map(Number)
  if (fields.length < 4 || fields.some((f) => !Number.isFinite(f))) return null
  return fields.reduce((sum, f) => sum + f, 0)
}

function readOwnJiffies(): number | null {
  try {
    return parseOwnStat(readFileSync('/proc/self/stat', 'utf8'))
  } catch {
    return null
  }
}

export function machineSnapshot(): MachineSnapshot {
  const [one = 0, five = 0, fifteen = 0] = loadavg()
  return { loadAverage: [one, five, fifteen], cpuTimes: readCpuTimes(), ownJiffies: readOwnJiffies() }
}

const percentOf = (part: number, whole: number): number | null => (whole > 0 ? (100 * part) / whole : null)

/** Steal above this share of CPU time means the hypervisor gave our vCPUs to someone else. */
export const STEAL_WARNING_PERCENT = 5

/** Other processes' share of the CPU time above this means they competed with the run. */
export const OTHER_WORK_WARNING_PERCENT = 10

/**
 * What the start and end snapshots say about the run. The warnings: load at the start above half
 * the CPUs (something was running shortly before the benchmark began: it is a 1-minute average,
 * so a previous run that just ended counts too), the 1-minute load at the end above 1.5 × CPUs
 * (a benchmark keeps at most about one thread per CPU busy, so more is others' work), steal
 * above 5%, or other processes busy more than 10% of the CPU time during the run (measured,
 * unlike the load average, without the run itself: the figure that says whether others competed).
 */
export function describeMachine(start: MachineSnapshot, end: MachineSnapshot): MachineReport {
  const cores = cpus()
  const count = cores.length
  let stealPercent: number | null = null
  let busyPercent: number | null = null
  let otherPercent: number | null = null
  if (start.cpuTimes !== null && end.cpuTimes !== null) {
    const total = end.cpuTimes.total - start.cpuTimes.total
    const busy = total - (end.cpuTimes.idle - start.cpuTimes.idle)
    stealPercent = percentOf(end.cpuTimes.steal - start.cpuTimes.steal, total)
    busyPercent = percentOf(busy, total)
    if (start.ownJiffies != null && end.ownJiffies != null) {
      // Jiffies are counted in whole ticks on each side: never below zero.
      otherPercent = percentOf(Math.max(0, busy - (end.ownJiffies - start.ownJiffies)), total)
    }
  }
  return {
    node: process.version,
    cpus: count,
    availableParallelism: availableParallelism(),
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    loadAverage: { start: [...start.loadAverage], end: [...end.loadAverage] },
    stealPercent,
    busyPercent,
    otherPercent,
    warnings: machineWarnings(count, start.loadAverage[0], end.loadAverage[0], stealPercent, otherPercent),
  }
}

/** The warnings of `describeMachine`, separated so they can be tested without a machine. */
export function machineWarnings(cpuCount: number, loadAtStart: number, loadAtEnd: number, stealPercent: number | null, otherPercent: number | null = null): string[] {
  const warnings: string[] = []
  const round = (n: number): string => n.toFixed(2)
  if (loadAtStart > cpuCount / 2) {
    warnings.push(`load average was ${round(loadAtStart)} on ${cpuCount} CPUs when the run started: other work used the machine shortly before (or still does)`)
  }
  if (loadAtEnd > cpuCount * 1.5) {
    warnings.push(`load average was ${round(loadAtEnd)} on ${cpuCount} CPUs when the run ended, more than the benchmarks alone make`)
  }
  if (stealPercent !== null && stealPercent > STEAL_WARNING_PERCENT) {
    warnings.push(`the hypervisor stole ${stealPercent.toFixed(1)}% of CPU time during the run`)
  }
  if (otherPercent !== null && otherPercent > OTHER_WORK_WARNING_PERCENT) {
    warnings.push(`other processes kept ${otherPercent.toFixed(0)}% of the CPU time busy during the run`)
  }
  return warnings
}
