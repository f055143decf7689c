import type { DeadLetterReason } from '@troupe/core'
import type { Subscribable } from '../util/topic.js'
import type { SystemEvent } from '../system/system-events.js'
import type { OffloadStats } from '../offload/offload-pool.js'
import type { ThreadSnapshot, HistogramData } from './thread-snapshot.js'
import { OffloadMetrics } from './offload-metrics.js'
import { ThreadReader } from './thread-reader.js'
import { UtilizationWindows } from '../system/utilization-windows.js'

/** How long a scrape waits for a thread's figures; a thread that has not answered by then is reported as not answering. */
export const SCRAPE_TIMEOUT_MS = 2000

/** Counts of worker deaths per thread slot, kept on the main thread from the system's events. */
export interface WorkerFigures {
  readonly crashes: number
  readonly hangs: number
  readonly replacements: number
}

/** What one scrape reads: every thread's snapshot and the main thread's own counts. */
export interface MetricsSnapshot {
  readonly threads: readonly ThreadSnapshot[]
  /** Threads that did not answer within `SCRAPE_TIMEOUT_MS` (hung, or dying right now). */
  readonly unreachable: readonly number[]
  /** Event-loop utilisation (0..1) of each thread since the previous scrape, by thread. */
  readonly utilization: ReadonlyMap<number, number>
  readonly deadLetters: Readonly<Partial<Record<DeadLetterReason, number>>>
  /** By thread slot (1..workers). */
  readonly workers: ReadonlyMap<number, WorkerFigures>
  readonly offload: (OffloadStats & { readonly tasks: Readonly<Record<string, number>>; readonly durationSeconds: HistogramData }) | undefined
}

/** What the collector reads from the running system. */
export interface MetricsSources {
  /** The main thread's snapshot (taken synchronously). */
  mainSnapshot(): ThreadSnapshot
  /** Worker slots 1..workers. */
  readonly workers: number
  /** A worker's snapshot over the control plane; rejects if it died meanwhile. */
  workerSnapshot(thread: number): Promise<ThreadSnapshot>
  readonly events: Subscribable<SystemEvent>
  deadLetters(): Readonly<Partial<Record<DeadLetterReason, number>>>
  offloadStats(): OffloadStats | undefined
}

/**
 * The main thread's side of metrics: collects every thread's snapshot on a scrape (never per
 * message), and counts what only the main thread sees (worker crashes, hangs, replacements).
 * Concurrent scrapes share one collection, so a registry whose metrics each read the snapshot
 * costs one round trip per thread, not one per metric.
 */
export class SystemMetrics {
  readonly #sources: MetricsSources
  readonly #reader: ThreadReader
  readonly #workers = new Map<number, { crashes: number; hangs: number; replacements: number }>()
  /** The utilisation window of the scrape (its own, not `stats()`'s). */
  readonly #utilization = new UtilizationWindows()
  #inFlight: Promise<MetricsSnapshot> | undefined
  readonly offload = new OffloadMetrics()

  constructor(sources: MetricsSources) {
    this.#sources = sources
    this.#reader = new ThreadReader({ workers: sources.workers, main: () => sources.mainSnapshot(), worker: (thread) => sources.workerSnapshot(thread) })
    sources.events.subscribe((event) => this.#count(event))
  }

  /** Every thread's figures; threads that do not answer in time are listed as unreachable. */
  snapshot(): Promise<MetricsSnapshot> {
    this.#inFlight ??= this.#collect().finally(() => (this.#inFlight = undefined))
    return this.#inFlight
  }

  async #collect(): Promise<MetricsSnapshot> {
    const sources = this.#sources
    const threads: ThreadSnapshot[] = []
    const unreachable: number[] = []
    for (const [thread, reading] of await this.#reader.read(SCRAPE_TIMEOUT_MS)) {
      if (typeof reading === 'object') threads.push(reading)
      else unreachable.push(thread)
    }
    const utilization = new Map<number, number>()
    for (const thread of threads) utilization.set(thread.thread, this.#utilization.since(thread.thread, thread.generation, thread.eventLoop))
    const pool = sources.offloadStats()
    return {
      threads,
      unreachable,
      utilization,
      deadLetters: sources.deadLetters(),
      workers: new Map([...this.#workers].map(([thread, figures]) => [thread, { ...figures }])),
      offload: pool && { ...pool, ...this.offload.figures() },
    }
  }

  #count(event: SystemEvent): void {
    if (event.type !== 'worker-crashed' && event.type !== 'worker-hung' && event.type !== 'worker-replaced') return
    let figures = this.#workers.get(event.thread)
    if (figures === undefined) this.#workers.set(event.thread, (figures = { crashes: 0, hangs: 0, replacements: 0 }))
    if (event.type === 'worker-crashed') figures.crashes++
    else if (event.type === 'worker-hung') figures.hangs++
    else figures.replacements++
  }
}

