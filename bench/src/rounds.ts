// Runs the groups of a plan, one group after another, each in rounds (see plan.ts), and turns
// every member's timed figures into its result. A member that fails is reported and dropped
// from the group's later rounds; the others go on.
import type { BenchmarkDefinition, BenchmarkResult } from './harness.js'
import { runFigures, summarizeFigures } from './harness.js'
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
  /** Told of every run as it starts and ends, for the progress display. */
  readonly observer?: RunObserver
}

/** Follows a group's runs one by one: the progress display's estimate rests on them. */
export interface RunObserver {
  /** A run of `id` starts; `label` says which round, e.g. "round 3/10" or "warm-up 1/1". */
  starting(id: string, label: string): void
  /**
   * The run of `id` ended. `dropped`: the runs planned for `id` after this one that will not
   * happen, because this one failed and the member leaves the group; 0 otherwise.
   */
  finished(id: string, dropped: number): void
}

export interface GroupOutcome {
  readonly results: BenchmarkResult[]
  /** Ids of members that failed, with the error. */
  readonly failures: { readonly id: string; readonly error: unknown }[]
}

/** Timed rounds for a group: pairs when a ratio reads it, runs otherwise, within every member's cap. */
export function timedRounds(group: MeasurementGroup, settings: Pick<RoundSettings, 'pairs' | 'runs'>): number {
  const wanted = group.ratios.length > 0 ? settings.pairs : settings.runs
  return Math.min(wanted, ...group.members.map((m) => Math.max(1, m.rounds?.timed ?? wanted)))
}

/** Untimed rounds for a group, within every member's cap. */
export function warmupRounds(group: MeasurementGroup, settings: Pick<RoundSettings, 'warmupRounds'>): number {
  return Math.min(settings.warmupRounds, ...group.members.map((m) => Math.max(0, m.rounds?.warmup ?? settings.warmupRounds)))
}

/** Rounds of a group, warm-up and timed: the runs each member is planned to do. */
export function plannedRounds(group: MeasurementGroup, settings: Pick<RoundSettings, 'pairs' | 'runs' | 'warmupRounds'>): number {
  return warmupRounds(group, settings) + timedRounds(group, settings)
}

/** The ids a group's results come under, in order: each member's own, then its companions'. */
function resultIds(member: BenchmarkDefinition): { id: string; unit: string }[] {
  return [{ id: member.id, unit: member.unit }, ...(member.companions ?? [])]
}

export async function runGroup(group: MeasurementGroup, settings: RoundSettings): Promise<GroupOutcome> {
  const timed = timedRounds(group, settings)
  const warmups = warmupRounds(group, settings)
  const rounds = warmups + timed
  const figures = new Map<string, number[]>(group.members.flatMap(resultIds).map(({ id }) => [id, []]))
  const failures: { id: string; error: unknown }[] = []
  const alive = new Set<BenchmarkDefinition>(group.members)
  for (let round = 0; round < rounds && alive.size > 0; round++) {
    const warmup = round < warmups
    const label = warmup ? `warm-up ${round + 1}/${warmups}` : `round ${round - warmups + 1}/${timed}`
    // Strictly sequential: concurrent benchmarks would compete for the same cores.
    for (const member of roundOrder(group.members, round)) {
      if (!alive.has(member)) continue
      settings.observer?.starting(member.id, label)
      let dropped = 0
      try {
        const measured = runFigures(member, await member.run(settings.quick))
        for (const { id, unit } of resultIds(member)) {
          const figure = measured.get(id) as number
          settings.progress(`  ${id} ${label}: ${settings.format(figure, unit)}`)
          if (!warmup) figures.get(id)?.push(figure)
        }
      } catch (error) {
        // One broken benchmark should not cost the rest of the suite; its ratios show as missing.
        alive.delete(member)
        failures.push({ id: member.id, error })
        dropped = rounds - round - 1
      }
      // Outside the try: a broken observer is a bug of the runner, not a failure of this benchmark.
      settings.observer?.finished(member.id, dropped)
    }
  }
  const results = group.members
    .filter((m) => alive.has(m))
    .flatMap(resultIds)
    .map(({ id, unit }) => summarizeFigures(id, unit, figures.get(id) ?? []))
  return { results, failures }
}
