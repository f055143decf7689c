// Performance goals expressed against same-run results, so machine noise mostly cancels out.
import type { BenchmarkResult } from './harness.js'

export interface RatioGoal {
  readonly op: '>=' | '<='
  readonly value: number
}

export interface RatioDefinition {
  readonly id: string
  readonly name: string
  readonly numerator: string
  /** Absent: the goal applies to the numerator's median directly (an absolute target). */
  readonly denominator?: string
  readonly goal: RatioGoal
}

export interface RatioOutcome {
  readonly id: string
  readonly name: string
  /** null when a needed result is missing from this run; such a ratio never counts as met. */
  readonly value: number | null
  readonly goal: RatioGoal
  readonly meets: boolean
}

export const ratioDefinitions: readonly RatioDefinition[] = [
  {
    id: 'P1a',
    name: 'tell cross-thread vs batched msgpack port',
    numerator: 'tell.cross-thread',
    denominator: 'baseline.port.batched',
    goal: { op: '>=', value: 1.0 },
  },
  {
    id: 'P1b',
    name: 'tell cross-thread vs per-message msgpack port',
    numerator: 'tell.cross-thread',
    denominator: 'baseline.port.per-message',
    goal: { op: '>=', value: 10 },
  },
  {
    id: 'P2a',
    name: 'pipelined ask vs comlink',
    numerator: 'ask.pipelined',
    denominator: 'baseline.comlink.pipelined',
    goal: { op: '>=', value: 10 },
  },
  {
    id: 'P2b',
    name: 'pipelined ask vs raw port request-reply',
    numerator: 'ask.pipelined',
    denominator: 'baseline.port.ask.pipelined',
    goal: { op: '>=', value: 1.0 },
  },
  {
    id: 'P3',
    name: 'ask p50 latency vs raw port request-reply',
    numerator: 'ask.latency.p50',
    denominator: 'baseline.port.ask.latency.p50',
    goal: { op: '<=', value: 1.2 },
  },
  {
    id: 'P4',
    name: 'same-thread tell throughput (absolute)',
    numerator: 'tell.same-thread',
    goal: { op: '>=', value: 20e6 },
  },
  {
    id: 'P7',
    name: 'worker crash until its actors answer again, ms (absolute)',
    numerator: 'restart.latency.p50',
    goal: { op: '<=', value: 100 },
  },
]

function meetsGoal(value: number, goal: RatioGoal): boolean {
  return goal.op === '>=' ? value >= goal.value : value <= goal.value
}

function evaluate(definition: RatioDefinition, byId: ReadonlyMap<string, BenchmarkResult>): number | null {
  const numerator = byId.get(definition.numerator)
  if (numerator === undefined) return null
  if (definition.denominator === undefined) return numerator.median
  const denominator = byId.get(definition.denominator)
  if (denominator === undefined || denominator.median === 0) return null
  return numerator.median / denominator.median
}

/** Ratios are taken between medians of the same run. */
export function computeRatios(
  definitions: readonly RatioDefinition[],
  results: readonly BenchmarkResult[],
): RatioOutcome[] {
  const byId = new Map(results.map((r) => [r.id, r]))
  return definitions.map((definition) => {
    const value = evaluate(definition, byId)
    return {
      id: definition.id,
      name: definition.name,
      value,
      goal: definition.goal,
      meets: value !== null && meetsGoal(value, definition.goal),
    }
  })
}
