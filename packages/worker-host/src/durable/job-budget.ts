import type { JobPriority } from '@troupe/core'

const RANK: Record<JobPriority, number> = { high: 0, normal: 1, low: 2 }

/**
 * A waiting job is promoted one priority level for every this many ms it waits, so that a steady
 * flow of high-priority jobs cannot starve a low one: a low job waits at most about twice this
 * long behind newer high ones (walnats' aging).
 */
export const AGING_MS = 1000

interface Waiter {
  readonly rank: number
  readonly since: number
  readonly grant: () => void
}

/** A place in the queue for a slot: `granted` resolves when the job may run; `cancel` leaves the queue. */
export interface SlotRequest {
  readonly granted: Promise<void>
  /** Leaves the queue if still waiting (true), or returns false when the slot was already granted. */
  cancel(): boolean
}

/**
 * The node's budget of running durable jobs, shared by its handlers. Without a limit every request
 * is granted at once. With one, a freed slot goes to the waiting job of the best effective
 * priority (its priority, improved by one level per `AGING_MS` waited), the oldest among equals.
 */
export class JobBudget {
  #limit: number | undefined
  #running = 0
  readonly #waiting: Waiter[] = []
  readonly #now: () => number
  readonly #agingMs: number

  constructor(now: () => number = Date.now, agingMs = AGING_MS) {
    this.#now = now
    this.#agingMs = agingMs
  }

  get running(): number {
    return this.#running
  }

  get waiting(): number {
    return this.#waiting.length
  }

  /** The most jobs running at once; undefined for no node-wide limit. A higher limit lets waiting jobs run now. */
  set limit(limit: number | undefined) {
    this.#limit = limit
    this.#grantWhileFree()
  }

  get limit(): number | undefined {
    return this.#limit
  }

  request(priority: JobPriority): SlotRequest {
    if (this.#free() && this.#waiting.length === 0) {
      this.#running++
      return { granted: Promise.resolve(), cancel: () => false }
    }
    let grant!: () => void
    const granted = new Promise<void>((resolve) => (grant = resolve))
    const waiter: Waiter = { rank: RANK[priority], since: this.#now(), grant }
    this.#waiting.push(waiter)
    return {
      granted,
      cancel: () => {
        const index = this.#waiting.indexOf(waiter)
        if (index < 0) return false
        this.#waiting.splice(index, 1)
        return true
      },
    }
  }

  /** A granted slot is free again. */
  release(): void {
    this.#running--
    this.#grantWhileFree()
  }

  #free(): boolean {
    return this.#limit === undefined || this.#running < this.#limit
  }

  #grantWhileFree(): void {
    while (this.#waiting.length > 0 && this.#free()) {
      const now = this.#now()
      let best = 0
      let bestRank = Infinity
      for (let i = 0; i < this.#waiting.length; i++) {
        const waiter = this.#waiting[i]!
        const rank = waiter.rank - Math.floor((now - waiter.since) / this.#agingMs)
        // Strictly better only: among equals the earlier one (the queue is in arrival order) wins.
        if (rank < bestRank) {
          best = i
          bestRank = rank
        }
      }
      const [waiter] = this.#waiting.splice(best, 1)
      this.#running++
      waiter!.grant()
    }
  }
}
