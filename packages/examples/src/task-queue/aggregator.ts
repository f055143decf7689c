import { Actor, type DeferredReply } from 'troupe'
import type { AggregateSnapshot, Attempt, Outcome, Totals, WorkerInfo, WorkerRow } from './types.js'

interface Counters {
  info: WorkerInfo
  inFlight: number
  done: number
  failed: number
  expired: number
}

/** One start or end of an attempt, in the order the aggregator heard them. */
interface TimelineEvent {
  readonly worker: number
  readonly id: string
  readonly kind: 'start' | 'end'
}

/** What happened elsewhere while one task ran (see `whileRunning`). */
export interface Overlap {
  readonly id: string
  readonly worker: number
  /** Attempts its worker started while it ran: 0 when the pool never queues work behind a busy worker. */
  readonly startedOnItsWorker: number
  /** Attempts the other workers finished meanwhile. */
  readonly finishedByOthers: number
}

/**
 * Collects results: each worker reports the attempts it starts and ends (for the per-worker
 * columns of the live table), and the master reports each task's final outcome. A task that is
 * reported final twice is recorded as a conflict, so "exactly one outcome per task" is checked
 * here rather than assumed.
 */
export class ResultAggregator extends Actor {
  readonly #workers = new Map<number, Counters>()
  readonly #outcomes = new Map<string, Outcome>()
  readonly #conflicts: string[] = []
  readonly #started = new Set<string>()
  readonly #timeline: TimelineEvent[] = []
  #waiting: Array<{ readonly count: number; readonly reply: DeferredReply<Totals> }> = []

  workers(list: readonly WorkerInfo[]): void {
    for (const info of list) this.#counters(info.worker).info = info
  }

  started(worker: number, id: string): void {
    this.#counters(worker).inFlight++
    this.#started.add(id)
    this.#timeline.push({ worker, id, kind: 'start' })
  }

  finished(worker: number, id: string, status: Attempt['status']): void {
    const counters = this.#counters(worker)
    if (status === 'expired') {
      counters.expired++ // never started, so never in flight
      return
    }
    counters.inFlight--
    if (status === 'ok') counters.done++
    else counters.failed++
    this.#timeline.push({ worker, id, kind: 'end' })
  }

  settled(outcome: Outcome): void {
    if (this.#outcomes.has(outcome.id)) {
      this.#conflicts.push(outcome.id)
      return
    }
    this.#outcomes.set(outcome.id, outcome)
    const totals = this.#totals()
    const waiting = this.#waiting
    this.#waiting = []
    for (const entry of waiting) {
      if (totals.settled >= entry.count) entry.reply.resolve(totals)
      else this.#waiting.push(entry)
    }
  }

  /** Answers once `count` tasks in all have a final outcome. */
  whenSettled(count: number): DeferredReply<Totals> {
    const reply = this.ctx.deferReply<Totals>()
    const totals = this.#totals()
    if (totals.settled >= count) reply.resolve(totals)
    else this.#waiting.push({ count, reply })
    return reply
  }

  snapshot(): AggregateSnapshot {
    const workers = [...this.#workers.values()].map(({ info, ...counts }): WorkerRow => ({ ...info, ...counts }))
    return { workers, totals: this.#totals() }
  }

  outcomes(): Outcome[] {
    return [...this.#outcomes.values()]
  }

  conflicts(): string[] {
    return [...this.#conflicts]
  }

  /** Ids of the tasks that started at least once on a worker. */
  startedTasks(): string[] {
    return [...this.#started]
  }

  /** What the pool did while task `id` (its first attempt that ran) was running. */
  whileRunning(id: string): Overlap | undefined {
    const start = this.#timeline.findIndex((event) => event.id === id && event.kind === 'start')
    if (start < 0) return undefined
    const { worker } = this.#timeline[start]!
    const end = this.#timeline.findIndex((event, i) => i > start && event.id === id && event.kind === 'end')
    const during = this.#timeline.slice(start + 1, end < 0 ? undefined : end)
    return {
      id,
      worker,
      startedOnItsWorker: during.filter((event) => event.worker === worker && event.kind === 'start').length,
      finishedByOthers: during.filter((event) => event.worker !== worker && event.kind === 'end').length,
    }
  }

  #totals(): Totals {
    let done = 0
    let failed = 0
    let expired = 0
    for (const { status } of this.#outcomes.values()) {
      if (status === 'done') done++
      else if (status === 'failed') failed++
      else expired++
    }
    return { settled: this.#outcomes.size, done, failed, expired }
  }

  #counters(worker: number): Counters {
    let counters = this.#workers.get(worker)
    if (counters === undefined) {
      counters = { info: { worker, label: `#${worker}`, thread: -1 }, inFlight: 0, done: 0, failed: 0, expired: 0 }
      this.#workers.set(worker, counters)
    }
    return counters
  }
}
