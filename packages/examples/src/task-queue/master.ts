import { Actor, type ActorRef, type DeferredReply } from 'troupe'
import type { ResultAggregator } from './aggregator.js'
import { PriorityQueue, type Queued } from './priority-queue.js'
import type { TaskWorker } from './worker.js'
import { PRIORITIES, type Attempt, type Dispatch, type FinalStatus, type Job, type Priority, type QueueSnapshot, type Receipt, type TaskSpec } from './types.js'

export interface MasterSettings {
  /** Admission limit: at most this many tasks wait in the queue. */
  readonly capacity: number
  /** Attempts the pool can hold at once: routees × prefetch. */
  readonly slots: number
  /** A task that failed this many times is reported failed. */
  readonly maxAttempts: number
  /** An attempt the pool has not answered after this long counts as failed (and may be retried). */
  readonly attemptTimeoutMs: number
}

/** A task the master holds, from admission to its final outcome. */
interface Held {
  readonly spec: TaskSpec
  readonly deadlineAt: number | undefined
  attempts: number
}

/** A submitter waiting for room: its `submit` is answered when the task is admitted. */
interface Parked {
  readonly spec: TaskSpec
  readonly deadlineAt: number | undefined
  readonly reply: DeferredReply<Receipt>
}

/**
 * The master decides *what* runs next; the pool's balancing router decides *where*.
 *
 * - Priorities: one FIFO per priority; a high task overtakes normal and low ones already waiting.
 * - Admission limit: at most `capacity` tasks wait. A `submit` beyond that is answered only when
 *   there is room (`ctx.deferReply`), so a submitter that awaits its submits is held back, and
 *   the queue stays bounded however fast it submits. Waiting submitters get in by priority too.
 * - In flight: at most `slots` attempts are handed to the pool, one per idle routee. Handing out
 *   more would queue them at the router, first come first served, where priorities no longer apply.
 * - Deadlines: a task still waiting at its deadline is taken out of the queue and reported
 *   expired, never run.
 * - Retries: a failed attempt goes back into its priority's queue until `maxAttempts`.
 *
 * It never awaits in a handler: each attempt's answer comes back through `ctx.pipeToSelf` as a
 * message of its own, so submits, answers and snapshots interleave and none waits on a task.
 */
export class TaskMaster extends Actor {
  readonly #pool: ActorRef<TaskWorker>
  readonly #aggregator: ActorRef<ResultAggregator>
  readonly #settings: MasterSettings
  readonly #queue = new PriorityQueue<Held>()
  readonly #parked: Record<Priority, Parked[]> = { high: [], normal: [], low: [] }
  readonly #ids = new Set<string>()
  readonly #dispatches: Dispatch[] = []
  #inFlight = 0
  #highWater = 0
  #parkedTotal = 0
  #admitted = 0
  #retried = 0
  #expiredInQueue = 0

  constructor(pool: ActorRef<TaskWorker>, aggregator: ActorRef<ResultAggregator>, settings: MasterSettings) {
    super()
    this.#pool = pool
    this.#aggregator = aggregator
    this.#settings = settings
  }

  /** Answers once the task is admitted (at once while there is room): await it to be held back. */
  submit(spec: TaskSpec): DeferredReply<Receipt> {
    const reply = this.ctx.deferReply<Receipt>()
    if (this.#ids.has(spec.id)) {
      reply.reject(new Error(`task ${spec.id} was already submitted`))
      return reply
    }
    this.#ids.add(spec.id)
    // The deadline runs from submission, so time spent waiting for room counts against it.
    const deadlineAt = spec.deadlineMs === undefined ? undefined : Date.now() + spec.deadlineMs
    if (this.#queue.size < this.#settings.capacity) {
      this.#admit({ spec, deadlineAt, reply }, false)
      this.#pump()
    } else {
      this.#parked[spec.priority].push({ spec, deadlineAt, reply })
      this.#parkedTotal++
    }
    return reply
  }

  snapshot(): QueueSnapshot {
    return {
      waiting: this.#queue.sizes(),
      depth: this.#queue.size,
      capacity: this.#settings.capacity,
      highWater: this.#highWater,
      inFlight: this.#inFlight,
      slots: this.#settings.slots,
      parked: PRIORITIES.reduce((sum, priority) => sum + this.#parked[priority].length, 0),
      parkedTotal: this.#parkedTotal,
      admitted: this.#admitted,
      retried: this.#retried,
      expiredInQueue: this.#expiredInQueue,
    }
  }

  /** Every attempt handed to the pool, in order. */
  dispatches(): Dispatch[] {
    return [...this.#dispatches]
  }

  #admit({ spec, deadlineAt, reply }: Parked, waited: boolean): void {
    this.#admitted++
    if (deadlineAt !== undefined && Date.now() >= deadlineAt) {
      this.#settle({ spec, deadlineAt, attempts: 0 }, 'expired', 'deadline passed before it was admitted')
    } else {
      this.#queue.push(spec.priority, { spec, deadlineAt, attempts: 0 })
      this.#highWater = Math.max(this.#highWater, this.#queue.size)
      // Pump at the deadline, so a task that is still waiting then is reported expired then. If
      // it has left the queue by that time, the pump finds nothing to expire: no need to cancel.
      if (deadlineAt !== undefined) this.ctx.schedule(Math.max(0, deadlineAt - Date.now()), () => this.#pump())
    }
    reply.resolve({ id: spec.id, depth: this.#queue.size, waited })
  }

  /** Expires, hands out what idle workers can take, then lets waiting submitters into the room made. */
  #pump(): void {
    const now = Date.now()
    for (const { item } of this.#queue.removeWhere((held) => held.deadlineAt !== undefined && now >= held.deadlineAt)) {
      this.#expiredInQueue++
      const deadline = `its deadline (${item.spec.deadlineMs ?? 0} ms after submission) passed`
      this.#settle(item, 'expired', item.attempts === 0 ? `${deadline} while it was queued` : `${deadline} while it was queued for attempt ${item.attempts + 1}`)
    }
    do {
      for (let next = this.#nextIfFree(); next !== undefined; next = this.#nextIfFree()) this.#dispatch(next)
    } while (this.#admitParked())
  }

  #nextIfFree(): Queued<Held> | undefined {
    return this.#inFlight < this.#settings.slots ? this.#queue.shift() : undefined
  }

  /** Admits waiting submitters, highest priority first, while there is room; true if any got in. */
  #admitParked(): boolean {
    let any = false
    for (const priority of PRIORITIES) {
      const parked = this.#parked[priority]
      while (parked.length > 0 && this.#queue.size < this.#settings.capacity) {
        this.#admit(parked.shift()!, true)
        any = true
      }
    }
    return any
  }

  #dispatch(next: Queued<Held>): void {
    const held = next.item
    held.attempts++
    this.#inFlight++
    this.#dispatches.push({ id: held.spec.id, priority: held.spec.priority, attempt: held.attempts, overtook: this.#queue.overtakenBy(next) })
    const { id, kind, cost, failures = 0 } = held.spec
    const job: Job = { id, kind, cost, failures, attempt: held.attempts, ...(held.deadlineAt === undefined ? {} : { deadlineAt: held.deadlineAt }) }
    this.ctx.pipeToSelf(
      this.#pool.with({ timeoutMs: this.#settings.attemptTimeoutMs }).ask.run(job),
      (attempt) => this.#answered(held, attempt),
      // The ask itself failed (timed out, or the worker's thread died): a failed attempt too.
      (error: unknown) => this.#answered(held, { status: 'error', reason: error instanceof Error ? error.message : String(error) }),
    )
  }

  #answered(held: Held, attempt: Attempt): void {
    this.#inFlight--
    if (attempt.status === 'ok') this.#settle(held, 'done', undefined, attempt.worker)
    else if (attempt.status === 'expired') this.#settle(held, 'expired', 'deadline passed before a worker started it', attempt.worker)
    else if (held.attempts < this.#settings.maxAttempts) {
      // Back into its priority's queue. The slot this attempt held is free, so the pump below
      // hands a task out at once and the queue is back within its capacity.
      this.#retried++
      this.#queue.push(held.spec.priority, held)
    } else this.#settle(held, 'failed', attempt.reason, attempt.worker)
    this.#pump()
  }

  #settle(held: Held, status: FinalStatus, reason: string | undefined, worker?: number): void {
    this.#aggregator.tell.settled({
      id: held.spec.id,
      status,
      attempts: held.attempts,
      ...(worker === undefined ? {} : { worker }),
      ...(reason === undefined ? {} : { reason }),
    })
  }
}
