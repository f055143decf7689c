// Performance goals expressed against same-run results, so machine noise mostly cancels out.
import { availableParallelism } from 'node:os'
import type { BenchmarkResult } from './harness.js'

export interface RatioGoal {
  readonly op: '>=' | '<='
  readonly value: number
}

interface RatioBase {
  readonly id: string
  readonly name: string
  readonly goal: RatioGoal
}

/** `median(numerator) / median(denominator)`, or the numerator's median itself. */
export interface QuotientRatio extends RatioBase {
  readonly numerator: string
  /** Absent: the goal applies to the numerator's median directly (an absolute target). */
  readonly denominator?: string
}

/** A ratio that needs more than two results, or has to find its ids among the results. */
export interface ComputedRatio extends RatioBase {
  /** How the value is formed, for tables and documentation. */
  readonly of: string
  /** null when a needed result is missing; such a ratio never counts as met. */
  compute(results: ReadonlyMap<string, BenchmarkResult>): number | null
}

export type RatioDefinition = QuotientRatio | ComputedRatio

export interface RatioOutcome {
  readonly id: string
  readonly name: string
  /** null when a needed result is missing from this run; such a ratio never counts as met. */
  readonly value: number | null
  readonly goal: RatioGoal
  readonly meets: boolean
}

const throughputId = /^throughput\.w([1-9]\d*)$/

/**
 * P5: `throughput.wN / (N × throughput.w1)` with N the largest K for which `throughput.wK` is in
 * the run (all K up to os.availableParallelism() when nothing failed). 1.0 is perfect linear
 * scaling. Missing without w1, or when no K >= 2 was run: a single worker count says nothing
 * about scaling, and must not show as met.
 */
export function scalingEfficiency(results: ReadonlyMap<string, BenchmarkResult>): number | null {
  let largest: BenchmarkResult | undefined
  let n = 0
  for (const [id, result] of results) {
    const k = Number(throughputId.exec(id)?.[1] ?? 0)
    if (k > n) {
      n = k
      largest = result
    }
  }
  const single = results.get('throughput.w1')
  if (single === undefined || largest === undefined || n < 2 || single.median <= 0) return null
  return largest.median / (n * single.median)
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
    id: 'P5',
    name: 'throughput scaling efficiency at the largest worker count run',
    of: 'throughput.wN / (N × throughput.w1)',
    compute: scalingEfficiency,
    goal: { op: '>=', value: 0.85 },
  },
  {
    id: 'P6',
    name: 'skynet over 1 M actors, seconds (absolute)',
    numerator: 'skynet.1m',
    goal: { op: '<=', value: 1 },
  },
  {
    id: 'P7',
    name: 'worker crash until its actors answer again, ms (absolute)',
    numerator: 'restart.latency.p50',
    goal: { op: '<=', value: 100 },
  },
  {
    id: 'P8',
    name: 'troupe offload vs bare piscina, tasks/s',
    numerator: 'offload.tasks',
    denominator: 'baseline.piscina.tasks',
    goal: { op: '>=', value: 0.95 },
  },
  {
    id: 'P9',
    name: 'memory per actor, bytes (absolute)',
    numerator: 'memory.per-actor',
    goal: { op: '<=', value: 400 },
  },
  {
    id: 'P10',
    name: 'balancing pool router vs piscina shared queue, uneven jobs/s',
    numerator: 'routing.uneven.balancing',
    denominator: 'baseline.piscina.uneven',
    goal: { op: '>=', value: 0.9 },
  },
  {
    id: 'P11',
    name: 'balancing vs round-robin pool router, uneven jobs/s',
    numerator: 'routing.uneven.balancing',
    denominator: 'routing.uneven.round-robin',
    goal: { op: '>=', value: 1.3 },
  },
  {
    id: 'P12',
    name: 'CPU-bound job: actors on every worker vs the main thread alone (speed-up)',
    numerator: 'cpu.actors',
    denominator: 'cpu.single-thread',
    // cpu.actors runs one worker per core: the goal is 85% of linear, like P5's, on this machine.
    goal: { op: '>=', value: 0.85 * availableParallelism() },
  },
  {
    id: 'P13',
    name: 'CPU-bound job: actors vs bare piscina with as many threads',
    numerator: 'cpu.actors',
    denominator: 'baseline.piscina.cpu',
    goal: { op: '>=', value: 0.95 },
  },
]

function meetsGoal(value: number, goal: RatioGoal): boolean {
  return goal.op === '>=' ? value >= goal.value : value <= goal.value
}

function evaluate(definition: RatioDefinition, byId: ReadonlyMap<string, BenchmarkResult>): number | null {
  if ('compute' in definition) {
    const value = definition.compute(byId)
    return value !== null && Number.isFinite(value) ? value : null
  }
  const numerator = byId.get(definition.numerator)
  if (numerator === undefined) return null
  if (definition.denominator === undefined) return numerator.median
  const denominator = byId.get(definition.denominator)
  if (denominator === undefined || denominator.median === 0) return null
  return numerator.median / denominator.median
}

/** How a ratio is formed, e.g. "a / b", as shown in tables and the chart. */
export function ratioExpression(definition: RatioDefinition): string {
  if ('compute' in definition) return definition.of
  return definition.denominator === undefined ? definition.numerator : `${definition.numerator} / ${definition.denominator}`
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
