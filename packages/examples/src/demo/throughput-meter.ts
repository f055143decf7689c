import { performance } from 'node:perf_hooks'
import type { ActorSystem, ThreadStats } from 'troupe'

/** One thread over one sampling interval. */
export interface ThreadRate {
  readonly thread: number
  readonly kind: 'main' | 'worker'
  /** Messages processed per second over the interval. */
  readonly rate: number
  /**
   * Event-loop utilisation as `stats()` reports it, 0..1. On workers that is currently the time
   * since the worker's last periodic load report (at most `loadReportIntervalMs`), not since our
   * previous sample: a sample of the interval, which is fair for this steady workload.
   */
  readonly utilization: number
}

export interface RateSample {
  /** Seconds since the meter started. */
  readonly elapsed: number
  readonly threads: readonly ThreadRate[]
  readonly totalRate: number
}

/** One thread over the whole run. */
export interface ThreadTotal {
  readonly thread: number
  readonly kind: 'main' | 'worker'
  readonly processed: number
  /** Mean of the per-interval utilisation samples. */
  readonly meanUtilization: number
}

export interface RunTotals {
  readonly seconds: number
  readonly processed: number
  readonly threads: readonly ThreadTotal[]
}

interface Reading {
  readonly at: number
  readonly threads: readonly ThreadStats[]
}

/**
 * Turns the cumulative `processed` counters of `system.stats()` into per-interval rates, and
 * remembers each thread's utilisation samples for a run-wide mean.
 */
export class ThroughputMeter {
  readonly #system: ActorSystem
  readonly #baseline: Reading
  #previous: Reading
  readonly #utilizationSamples = new Map<number, number[]>()

  private constructor(system: ActorSystem, baseline: Reading) {
    this.#system = system
    this.#baseline = baseline
    this.#previous = baseline
  }

  /** Takes the baseline reading: work done before this (spawning) is not counted. */
  static async start(system: ActorSystem): Promise<ThroughputMeter> {
    return new ThroughputMeter(system, await read(system))
  }

  async sample(): Promise<RateSample> {
    const current = await read(this.#system)
    const seconds = (current.at - this.#previous.at) / 1000
    const threads = current.threads.map((stats): ThreadRate => {
      const before = processedOn(this.#previous, stats.thread)
      this.#remember(stats.thread, stats.utilization)
      return { thread: stats.thread, kind: stats.kind, rate: (stats.processed - before) / seconds, utilization: stats.utilization }
    })
    this.#previous = current
    return {
      elapsed: (current.at - this.#baseline.at) / 1000,
      threads,
      totalRate: threads.reduce((total, thread) => total + thread.rate, 0),
    }
  }

  /**
   * Takes a last reading (so work done since the last sample, like draining, counts) and
   * returns totals from the baseline. The last, partial interval adds no utilisation sample.
   */
  async finish(): Promise<RunTotals> {
    this.#previous = await read(this.#system)
    const threads = this.#previous.threads.map((stats): ThreadTotal => {
      const samples = this.#utilizationSamples.get(stats.thread) ?? []
      return {
        thread: stats.thread,
        kind: stats.kind,
        processed: stats.processed - processedOn(this.#baseline, stats.thread),
        meanUtilization: samples.length === 0 ? 0 : samples.reduce((a, b) => a + b, 0) / samples.length,
      }
    })
    return {
      seconds: (this.#previous.at - this.#baseline.at) / 1000,
      processed: threads.reduce((total, thread) => total + thread.processed, 0),
      threads,
    }
  }

  #remember(thread: number, utilization: number): void {
    let samples = this.#utilizationSamples.get(thread)
    if (samples === undefined) this.#utilizationSamples.set(thread, (samples = []))
    samples.push(utilization)
  }
}

async function read(system: ActorSystem): Promise<Reading> {
  const { threads } = await system.stats()
  return { at: performance.now(), threads }
}

function processedOn(reading: Reading, thread: number): number {
  return reading.threads.find((stats) => stats.thread === thread)?.processed ?? 0
}
