import { performance } from 'node:perf_hooks'
import type { ActorSystem, ThreadStats } from 'troupe'

/** One thread over one sampling interval. */
export interface ThreadRate {
  readonly thread: number
  readonly kind: 'main' | 'worker'
  /** Messages processed per second over the interval, by every life of the thread in it. */
  readonly rate: number
  /** Event-loop utilisation over the interval (of the current life, if the thread was replaced in it), 0..1. */
  readonly utilization: number
  /** A fresh worker took this slot during the interval. */
  readonly replaced: boolean
}

export interface RateSample {
  /** Seconds since the meter started. */
  readonly elapsed: number
  /** Threads that answered: a worker that is down is missing. */
  readonly threads: readonly ThreadRate[]
  readonly totalRate: number
}

/** One thread over the whole run. */
export interface ThreadTotal {
  readonly thread: number
  readonly kind: 'main' | 'worker'
  /** Messages processed, over every life of the thread, as far as the meter saw them. */
  readonly processed: number
  /** Messages processed by the thread's current life (since it replaced a dead worker, if it did). */
  readonly processedThisLife: number
  /** Fresh workers that took this slot after one died. */
  readonly replacements: number
  /** Mean of the per-interval utilisation samples. */
  readonly meanUtilization: number
}

export interface RunTotals {
  readonly seconds: number
  readonly processed: number
  readonly threads: readonly ThreadTotal[]
}

/** What the meter knows of one thread slot. */
interface Track {
  readonly kind: 'main' | 'worker'
  /** The latest reading of the current life. */
  last: ThreadStats
  /** What the current life had processed when the meter first saw it (work before the run is not the run's). */
  lifeBaseline: number
  /** Messages counted by earlier lives, up to their last reading. */
  carried: number
  replacements: number
  /** Counted total and event loop at the start of the current interval. */
  intervalTotal: number
  intervalLoop: ThreadStats['eventLoop']
  replacedInInterval: boolean
  readonly utilization: number[]
}

/** `stats()` rejects when a worker dies during the call; the next try leaves the dead one out. */
const READ_ATTEMPTS = 5
/** A thread whose start moved later by more than this is a new thread (the estimate is stable to well under 1 ms). */
const NEW_THREAD_MS = 10

/**
 * Turns the cumulative counters of `system.stats()` into per-interval rates and run totals,
 * across worker replacements. A replacement counts from zero again, and is recognised by its
 * start time (when the reading was taken, less the event loop's active and idle time). The dead
 * worker's count up to its last reading is carried over; what it processed after that died
 * with it, which is why the demo takes a reading (`checkpoint`) just before it kills a worker.
 */
export class ThroughputMeter {
  readonly #system: ActorSystem
  readonly #startedAt: number
  #intervalAt: number
  readonly #tracks = new Map<number, Track>()

  private constructor(system: ActorSystem, at: number) {
    this.#system = system
    this.#startedAt = at
    this.#intervalAt = at
  }

  static async start(system: ActorSystem): Promise<ThroughputMeter> {
    const { at, threads } = await read(system)
    const meter = new ThroughputMeter(system, at)
    for (const stats of threads) meter.#observe(stats)
    return meter
  }

  /** Takes a reading that counts towards the totals but starts no new interval. */
  async checkpoint(): Promise<void> {
    const { threads } = await read(this.#system)
    for (const stats of threads) this.#observe(stats)
  }

  /** Rates over the interval since the previous sample. */
  async sample(): Promise<RateSample> {
    const { at, threads } = await read(this.#system)
    const seconds = (at - this.#intervalAt) / 1000
    this.#intervalAt = at
    const rates = threads.map((stats) => this.#closeInterval(this.#observe(stats), stats.thread, seconds))
    return { elapsed: (at - this.#startedAt) / 1000, threads: rates, totalRate: rates.reduce((total, rate) => total + rate.rate, 0) }
  }

  /** A last reading (so work since the last sample counts), then totals since the start. */
  async finish(): Promise<RunTotals> {
    const { at, threads } = await read(this.#system)
    for (const stats of threads) this.#observe(stats)
    const totals = [...this.#tracks.entries()]
      .sort(([a], [b]) => a - b)
      .map(([thread, track]): ThreadTotal => ({
        thread,
        kind: track.kind,
        processed: total(track),
        processedThisLife: track.last.processed - track.lifeBaseline,
        replacements: track.replacements,
        meanUtilization: track.utilization.length === 0 ? 0 : track.utilization.reduce((a, b) => a + b, 0) / track.utilization.length,
      }))
    return { seconds: (at - this.#startedAt) / 1000, processed: totals.reduce((sum, thread) => sum + thread.processed, 0), threads: totals }
  }

  /** Takes a reading into the thread's track (creating it on first sight) and returns the track. */
  #observe(stats: ThreadStats): Track {
    const track = this.#tracks.get(stats.thread)
    if (track === undefined) {
      const created: Track = {
        kind: stats.kind,
        last: stats,
        lifeBaseline: stats.processed,
        carried: 0,
        replacements: 0,
        intervalTotal: 0,
        intervalLoop: stats.eventLoop,
        replacedInInterval: false,
        utilization: [],
      }
      this.#tracks.set(stats.thread, created)
      return created
    }
    // Readings can resolve out of order (a tick and a checkpoint overlap): keep the latest.
    if (startOf(stats) <= startOf(track.last) + NEW_THREAD_MS && stats.sampledAt <= track.last.sampledAt) return track
    if (startOf(stats) > startOf(track.last) + NEW_THREAD_MS) {
      track.carried = total(track)
      track.lifeBaseline = 0
      track.replacements++
      track.intervalLoop = { active: 0, idle: 0 }
      track.replacedInInterval = true
    }
    track.last = stats
    return track
  }

  #closeInterval(track: Track, thread: number, seconds: number): ThreadRate {
    const now = total(track)
    const { eventLoop } = track.last
    const active = eventLoop.active - track.intervalLoop.active
    const elapsed = active + eventLoop.idle - track.intervalLoop.idle
    const utilization = elapsed > 0 ? active / elapsed : 0
    track.utilization.push(utilization)
    const rate: ThreadRate = { thread, kind: track.kind, rate: seconds > 0 ? (now - track.intervalTotal) / seconds : 0, utilization, replaced: track.replacedInInterval }
    track.intervalTotal = now
    track.intervalLoop = eventLoop
    track.replacedInInterval = false
    return rate
  }
}

/** Messages counted for the slot so far, over every life. */
function total(track: Track): number {
  return track.carried + track.last.processed - track.lifeBaseline
}

/** When the thread's event loop started, in ms since the epoch: a replacement starts later. */
function startOf(stats: ThreadStats): number {
  return stats.sampledAt - stats.eventLoop.active - stats.eventLoop.idle
}

async function read(system: ActorSystem): Promise<{ at: number; threads: readonly ThreadStats[] }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { threads } = await system.stats()
      return { at: performance.now(), threads }
    } catch (error) {
      if (attempt >= READ_ATTEMPTS) throw error
    }
  }
}
