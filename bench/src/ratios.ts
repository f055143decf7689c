// Performance goals expressed against same-run results. Every ratio is formed pair by pair: the
// figures of its benchmarks from the same round were measured back to back, so the machine's
// drift moves both and cancels in their ratio. The value is the median over the pairs, with a
// seeded bootstrap interval, and the verdict is judged on the interval, not on the value alone.
import { availableParallelism } from 'node:os'
import { bootstrapInterval, judge, median, seedOf } from 'troupe'
import type { BenchVerdict, Interval } from 'troupe'
import type { BenchmarkResult } from './harness.js'

export interface RatioGoal {
  readonly op: '>=' | '<='
  readonly value: number
}

interface RatioBase {
  readonly id: string
  readonly name: string
  /** Absent: the ratio is reported (value, interval) but judged against nothing. */
  readonly goal?: RatioGoal
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
  /** The benchmark ids among `ids` that the ratio reads (they are measured in one group, round by round). */
  inputs(ids: readonly string[]): string[]
  /** The value of one round from that round's figures by id; null when a needed one is missing. */
  compute(figures: ReadonlyMap<string, number>): number | null
}

export type RatioDefinition = QuotientRatio | ComputedRatio

/** How a ratio gets its samples: see bench/README.md, "Pairs, intervals and verdicts". */
export type RatioKind = 'paired' | 'absolute' | 'computed'

/**
 * A verdict; `missing` when a needed result is not in this run; `reported` for a ratio with no
 * goal that has a value (it is measured to be watched, not judged).
 */
export type RatioVerdict = BenchVerdict | 'missing' | 'reported'

export interface RatioOutcome {
  readonly id: string
  readonly name: string
  /** Median over the pairs; null when a needed result is missing from this run. */
  readonly value: number | null
  /** null for a ratio with no goal. */
  readonly goal: RatioGoal | null
  /** The value (the median) is on the goal's side; false without a goal. The verdict is what to trust. */
  readonly meets: boolean
  readonly kind: RatioKind
  /** How many pairs (rounds) the value and interval rest on. */
  readonly pairs: number
  /** Bootstrap interval of the median over the pairs; null when missing. */
  readonly interval: Interval | null
  /** met / not met when the whole interval is on one side of the goal, else undecided; reported without a goal. */
  readonly verdict: RatioVerdict
}

export interface RatioOptions {
  /** Coverage of the intervals. Default 0.95. */
  readonly confidence?: number
}

const throughputId = /^throughput\.w([1-9]\d*)$/

/**
 * P5: `throughput.wN / (N × throughput.w1)` with N the largest K for which `throughput.wK` is in
 * the run (all K up to os.availableParallelism() when nothing failed). 1.0 is perfect linear
 * scaling. Missing without w1, or when no K >= 2 was run: a single worker count says nothing
 * about scaling, and must not show as met.
 */
export function scalingEfficiency(figures: ReadonlyMap<string, number>): number | null {
  let largest: number | undefined
  let n = 0
  for (const [id, figure] of figures) {
    const k = Number(throughputId.exec(id)?.[1] ?? 0)
    if (k > n) {
      n = k
      largest = figure
    }
  }
  const single = figures.get('throughput.w1')
  if (single === undefined || largest === undefined || n < 2 || single <= 0) return null
  return largest / (n * single)
}

/** The throughput.wK ids among `ids`: P5's inputs. */
export const throughputInputs = (ids: readonly string[]): string[] => ids.filter((id) => throughputId.test(id))

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
    id: 'P3b',
    name: 'ask p50 latency vs raw port request-reply, the hot-path goal',
    numerator: 'ask.latency.p50',
    denominator: 'baseline.port.ask.latency.p50',
    goal: { op: '<=', value: 0.3 },
  },
  {
    id: 'P4',
    name: 'same-thread tell throughput (absolute)',
    numerator: 'tell.same-thread',
    goal: { op: '>=', value: 20e6 },
  },
  {
    id: 'P4b',
    name: 'one sender-receiver pair on one worker, msg/s (absolute)',
    numerator: 'throughput.w1',
    goal: { op: '>=', value: 20e6 },
  },
  {
    id: 'P5',
    name: 'throughput scaling efficiency at the largest worker count run',
    of: 'throughput.wN / (N × throughput.w1)',
    inputs: throughputInputs,
    compute: scalingEfficiency,
    goal: { op: '>=', value: 0.9 },
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
    goal: { op: '<=', value: 50 },
  },
  {
    id: 'P8',
    name: 'troupe offload vs bare piscina, tasks/s',
    numerator: 'offload.tasks',
    denominator: 'baseline.piscina.tasks',
    goal: { op: '>=', value: 0.95 },
  },
  {
    id: 'P8b',
    name: 'troupe offload vs poolifier FixedThreadPool, tasks/s',
    numerator: 'offload.tasks',
    denominator: 'baseline.poolifier.tasks',
    goal: { op: '>=', value: 1.0 },
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
  {
    id: 'P14',
    name: 'local spawns from inside actors until 10^6 are alive, actors/s (absolute)',
    numerator: 'spawn.rate',
    goal: { op: '>=', value: 500e3 },
  },
  {
    id: 'P15',
    name: 'spawns onto another worker from inside an actor, spawns/s (absolute)',
    numerator: 'spawn.remote.rate',
    goal: { op: '>=', value: 100e3 },
  },
  {
    id: 'P16',
    name: 'idle actors alive at once in one process, default heap settings (absolute)',
    numerator: 'actors.alive.max',
    goal: { op: '>=', value: 10e6 },
  },
  // P17 and P18 are P13 and P14 of the observability work, renumbered: those ids were taken.
  {
    id: 'P17',
    name: 'tell cross-thread with metrics on vs off',
    numerator: 'tell.cross-thread.metrics',
    denominator: 'tell.cross-thread',
    goal: { op: '>=', value: 0.95 },
  },
  {
    // No goal: what tracing every message costs is reported, not judged.
    id: 'P18',
    name: 'tell cross-thread with every message traced vs untraced',
    numerator: 'tell.cross-thread.traced',
    denominator: 'tell.cross-thread',
  },
  {
    id: 'P19',
    name: 'one metrics scrape with 10^5 actors on 2 workers, ms (absolute)',
    numerator: 'metrics.scrape.ms',
    goal: { op: '<=', value: 50 },
  },
  {
    id: 'P20',
    name: 'one message in flight between two workers: actors vs a raw port pair',
    numerator: 'pingpong.cross-thread',
    denominator: 'baseline.port.pingpong',
    goal: { op: '>=', value: 3.0 },
  },
  {
    id: 'P21',
    name: 'first messages to 10^6 new entities on 2 workers, msg/s (absolute)',
    numerator: 'entity.activate.rate',
    goal: { op: '>=', value: 200_000 },
  },
  {
    id: 'P22',
    name: 'entity state commits vs raw LMDB puts in batched transactions',
    numerator: 'entity.persist.rate',
    denominator: 'baseline.lmdb.put',
    goal: { op: '>=', value: 0.5 },
  },
  {
    id: 'P23',
    name: 'process RSS with 10^6 entities activated then passivated, MB (absolute)',
    numerator: 'entity.million.rss',
    goal: { op: '<=', value: 1024 },
  },
  {
    id: 'P24',
    name: '10^4 reminders due at once: due time to handler, p99 ms (absolute)',
    numerator: 'reminder.lag.p99',
    goal: { op: '<=', value: 100 },
  },
  // P25-P27 are the cluster work's goals; its P15 and P16 were taken (spawn.remote.rate, actors.alive.max).
  {
    id: 'P25',
    name: 'tells from node to node over NATS vs raw NATS publish of msgpack batches',
    numerator: 'cluster.tell',
    denominator: 'baseline.nats.pub',
    goal: { op: '>=', value: 0.8 },
  },
  {
    id: 'P26',
    name: 'ask p50 latency from node to node vs raw NATS request-reply',
    numerator: 'cluster.ask.latency.p50',
    denominator: 'baseline.nats.request.latency.p50',
    goal: { op: '<=', value: 1.2 },
  },
  {
    id: 'P27',
    name: 'SIGKILLed node declared down by the other, downAfterMs 1000, ms (absolute)',
    numerator: 'cluster.down.detection.ms',
    goal: { op: '<=', value: 2000 },
  },
  // The durable handlers issue's "reported against raw JetStream consume": no goal, as P18.
  {
    id: 'P28',
    name: 'durable handler (maxJobs 16) vs raw JetStream pull consumer, events per second',
    numerator: 'durable.handler.rate',
    denominator: 'baseline.jetstream.consume',
  },
  // The cluster.failover.ms: node SIGKILL → its entities answering on another node, ≤ 2× the configured down-detection time.
  {
    id: 'P29',
    name: 'SIGKILLed node until its entities answer on the other node, downAfterMs 1000, ms (absolute)',
    numerator: 'cluster.failover.ms',
    goal: { op: '<=', value: 2000 },
  },
]

function meetsGoal(value: number, goal: RatioGoal): boolean {
  return goal.op === '>=' ? value >= goal.value : value <= goal.value
}

export function ratioKind(definition: RatioDefinition): RatioKind {
  if ('compute' in definition) return 'computed'
  return definition.denominator === undefined ? 'absolute' : 'paired'
}

/** The benchmark ids a ratio reads, among `ids` (all ids of the suite, or of one run). */
export function ratioInputs(definition: RatioDefinition, ids: readonly string[]): string[] {
  if ('compute' in definition) return definition.inputs(ids)
  return definition.denominator === undefined ? [definition.numerator] : [definition.numerator, definition.denominator]
}

/** The ratio's value in each round: numerator / denominator of the same round, the numerator alone, or computed. */
export function perPairValues(definition: RatioDefinition, byId: ReadonlyMap<string, BenchmarkResult>): number[] {
  const inputs = ratioInputs(definition, [...byId.keys()])
  const results = inputs.map((id) => byId.get(id))
  if (!('compute' in definition) && results.some((r) => r === undefined)) return []
  const present = results.filter((r): r is BenchmarkResult => r !== undefined)
  if (present.length === 0) return []
  // Results of one group have one figure per round each; anything else pairs as far as both go.
  const rounds = Math.min(...present.map((r) => r.samples.length))
  const values: number[] = []
  for (let i = 0; i < rounds; i++) {
    const figures = new Map(present.map((r) => [r.id, r.samples[i] as number]))
    let value: number | null
    if ('compute' in definition) value = definition.compute(figures)
    else {
      const numerator = figures.get(definition.numerator) as number
      if (definition.denominator === undefined) value = numerator
      else {
        const denominator = figures.get(definition.denominator) as number
        value = denominator === 0 ? null : numerator / denominator
      }
    }
    if (value !== null && Number.isFinite(value)) values.push(value)
  }
  return values
}

/** How a ratio is formed, e.g. "a / b", as shown in tables and the chart. */
export function ratioExpression(definition: RatioDefinition): string {
  if ('compute' in definition) return definition.of
  return definition.denominator === undefined ? definition.numerator : `${definition.numerator} / ${definition.denominator}`
}

/**
 * Each ratio from the pairs of its benchmarks' figures: the median of the per-pair values, a
 * bootstrap interval of that median (seeded by the ratio's id, so the same figures always give
 * the same interval), and the verdict of the interval against the goal (`reported` when the
 * ratio has none).
 */
export function computeRatios(
  definitions: readonly RatioDefinition[],
  results: readonly BenchmarkResult[],
  options: RatioOptions = {},
): RatioOutcome[] {
  const byId = new Map(results.map((r) => [r.id, r]))
  return definitions.map((definition) => {
    const values = perPairValues(definition, byId)
    const goal = definition.goal ?? null
    const base = { id: definition.id, name: definition.name, goal, kind: ratioKind(definition), pairs: values.length }
    if (values.length === 0) return { ...base, value: null, meets: false, interval: null, verdict: 'missing' }
    const value = median(values)
    const interval = bootstrapInterval(values, { seed: seedOf(definition.id), confidence: options.confidence ?? 0.95 })
    if (goal === null) return { ...base, value, meets: false, interval, verdict: 'reported' }
    return { ...base, value, meets: meetsGoal(value, goal), interval, verdict: judge(values.length, interval, goal) }
  })
}
