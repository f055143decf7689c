// Which benchmarks run together. The benchmarks a ratio reads form one group (connected through
// shared ones: P1a and P1b share tell.cross-thread, so its group has three members), and a
// group runs in rounds: every member once per round, in an order rotated each round. Figure i
// of every member then comes from round i, measured back to back: the pairs of the ratios.
import type { BenchmarkDefinition } from './harness.js'
import { ratioInputs } from './ratios.js'
import type { RatioDefinition } from './ratios.js'

export interface MeasurementGroup {
  readonly members: readonly BenchmarkDefinition[]
  /** Ids of the ratios that read members of this group (empty: a benchmark in no ratio). */
  readonly ratios: readonly string[]
}

/**
 * Groups `selected` (in their order) by the ratios that read them: union-find over every
 * ratio's inputs among the selected ids. A benchmark in no ratio is a group of its own.
 */
export function planGroups(selected: readonly BenchmarkDefinition[], definitions: readonly RatioDefinition[]): MeasurementGroup[] {
  const ids = selected.map((d) => d.id)
  const parent = new Map(ids.map((id) => [id, id]))
  const root = (id: string): string => {
    let r = id
    while (parent.get(r) !== r) r = parent.get(r) as string
    parent.set(id, r)
    return r
  }
  // A ratio joins its inputs only when all of them are selected: one side alone is no pair.
  const complete = definitions
    .map((definition) => ({ id: definition.id, inputs: ratioInputs(definition, ids) }))
    .filter(({ inputs }) => inputs.length > 0 && inputs.every((id) => parent.has(id)))
  for (const { inputs } of complete) for (const id of inputs.slice(1)) parent.set(root(id), root(inputs[0] as string))
  const groups = new Map<string, BenchmarkDefinition[]>()
  for (const definition of selected) {
    const key = root(definition.id)
    groups.set(key, [...(groups.get(key) ?? []), definition])
  }
  return [...groups.values()].map((members) => {
    const memberIds = new Set(members.map((m) => m.id))
    return { members, ratios: complete.filter(({ inputs }) => inputs.some((id) => memberIds.has(id))).map(({ id }) => id) }
  })
}

/** The members of a group in the order of round `round`: rotated by the round, so each takes each position equally often. */
export function roundOrder<T>(members: readonly T[], round: number): T[] {
  return members.map((_, i) => members[(i + round) % members.length] as T)
}

/**
 * The benchmarks `--only` selects: an entry equal to a ratio id (P1a, P5...) selects that ratio's
 * inputs, so an undecided ratio can be measured again alone; any other entry is an id prefix.
 */
export function selectBenchmarks(all: readonly BenchmarkDefinition[], only: readonly string[], definitions: readonly RatioDefinition[]): BenchmarkDefinition[] {
  if (only.length === 0) return [...all]
  const ids = all.map((d) => d.id)
  const byRatio = new Map(definitions.map((d) => [d.id, new Set(ratioInputs(d, ids))]))
  return all.filter((d) => only.some((entry) => byRatio.get(entry)?.has(d.id) ?? d.id.startsWith(entry)))
}
