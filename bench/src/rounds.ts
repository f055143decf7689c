// Runs the groups of a plan, one group after another, each in rounds (see plan.ts), and turns
// every member's timed figures into its result. A member that fails is reported and dropped
// from the group's later rounds; the others go on.
import type { BenchmarkDefinition, BenchmarkResult } from './harness.js'
import { summarizeFigures } from './harness.js'
import { roundOrder } from './plan.js'
import type { MeasurementGroup } from './plan.js'

export interface RoundSettings {
  /** Timed rounds of a group that a ratio reads: its pairs. */
  readonly pairs: number
  /** Timed rounds of a benchmark in no ratio. */
  readonly runs: number
  /** Untimed rounds before the timed ones (they warm the main thread: JIT, module loading). */
  readonly warmupRounds: number
  readonly quick: boolean
  readonly progress: (line: string) => void
  readonly format: (value: number, unit: string) => string
}

export interface GroupOutcome {
  readonly results: BenchmarkResult[]
  /** Ids of members that failed, with the error. */
  readonly failures: { readonly id: string; readonly error: unknown }[]
}

/** Timed rounds for a group: pairs when a ratio reads it, runs otherwise. */
export function timedRounds(group: MeasurementGroup, settings: Pick<RoundSettings, 'pairs' | 'runs'>): number {
  return group.ratios.length > 0 ? settings.pairs : settings.runs
}

export async function runGroup(group: MeasurementGroup, settings: RoundSettings): Promise<GroupOutcome> {
  const timed = timedRounds(group, settings)
  const rounds = settings.warmupRounds + timed
  const figures = new Map<string, number[]>(group.members.map((m) => [m.id, []]))
  const failures: { id: string; error: unknown }[] = []
  const alive = new Set<BenchmarkDefinition>(group.members)
  for (let round = 0; round < rounds && alive.size > 0; round++) {
    const warmup = round < settings.warmupRounds
    const label = warmup ? `warm-up ${round + 1}/${settings.warmupRounds}` : `round ${round - settings.warmupRounds + 1}/${timed}`
    // Strictly sequential: concurrent benchmarks would compete for the same cores.
    for (const member of roundOrder(group.members, round)) {
      if (!alive.has(member)) continue
      try {
        const figure = await member.run(settings.quick)
        if (!Number.isFinite(figure)) throw new Error(`${member.id}: run produced a non-finite figure (${figure})`)
        settings.progress(`  ${member.id} ${label}: ${settings.format(figure, member.unit)}`)
        if (!warmup) figures.get(member.id)?.push(figure)
      } catch (error) {
        // One broken benchmark should not cost the rest of the suite; its ratios show as missing.
        alive.delete(member)
        failures.push({ id: member.id, error })
      }
    }
  }
  const results = group.members.filter((m) => alive.has(m)).map((m) => summarizeFigures(m.id, m.unit, figures.get(m.id) ?? []))
  return { results, failures }
}
