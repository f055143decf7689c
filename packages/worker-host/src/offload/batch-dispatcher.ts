import type { Piscina } from 'piscina'
import type { TransferListItem } from 'node:worker_threads'
import { OffloadQueueFullError, SystemShutdownError } from '@troupe/core'
import type { ControlResult } from '../protocol/control.js'
import { TaskState, toBatchPayload, type BatchResponse, type TaskPayload } from './batch-protocol.js'

/** One `offload` call between its submission and its result. */
export interface PendingTask {
  readonly payload: TaskPayload
  /** The caller's signal and deadline combined; piscina's own signal when the task goes alone. */
  readonly signal: AbortSignal | undefined
  readonly transferList: readonly TransferListItem[] | undefined
  readonly resolve: (result: ControlResult<unknown>) => void
  readonly reject: (error: unknown) => void
}

/** A task's bookkeeping once it waits in the held queue or rides in a batch. */
interface Entry {
  readonly task: PendingTask
  settled: boolean
  /** Its batch failed for a reason no one task could be blamed for: it goes alone from then on. */
  solo: boolean
  batch: Batch | undefined
  index: number
  onAbort: (() => void) | undefined
}

interface Batch {
  readonly entries: Entry[]
  readonly state: Int32Array | undefined
  /** Aborts the piscina run: piscina then terminates the thread, whatever the task is doing. */
  readonly stop: AbortController
}

export interface DispatchLimits {
  maxThreads: number
  maxQueue: number
  maxBatch: number
}

/** A batch should hold about this much task time: enough to make its message cost small, not so much that its first result waits long. */
const TARGET_BATCH_MS = 1
/** Before any batch was timed: a guess that makes the first batch small (4 tasks) if tasks turn out slow. */
const INITIAL_TASK_MS = 0.25
/** Weight of the newest batch in the running estimate of one task's time. */
const ESTIMATE_WEIGHT = 0.3

/**
 * Sends tasks to piscina: alone while a pool thread is free, and in batches (one message, many
 * tasks) once every thread is busy. At most `maxThreads` piscina runs are in flight; the other
 * tasks wait here, in order, so that the next free thread takes as many of them as fit in a
 * batch instead of one. This is where batching saves: one postMessage each way per batch
 * instead of per task.
 */
export class BatchDispatcher {
  readonly #pool: Piscina
  readonly #limits: DispatchLimits
  /** Waiting tasks in order (a Set: an aborted one leaves in O(1)). */
  #held = new Set<Entry>()
  #inFlight = 0
  #taskMs = INITIAL_TASK_MS
  #completed = 0
  #batches = 0
  #closed = false

  constructor(pool: Piscina, limits: DispatchLimits) {
    this.#pool = pool
    this.#limits = limits
  }

  /** Tasks waiting for a thread: held here, plus those in piscina's own queue. */
  get queued(): number {
    return this.#held.size + this.#pool.queueSize
  }

  /** Tasks that came back from the pool with a result (each task of a batch counts). */
  get completed(): number {
    return this.#completed
  }

  /** Messages that carried more than one task. */
  get batches(): number {
    return this.#batches
  }

  /** Sends the task now or holds it; throws `OffloadQueueFullError` when it would wait past `maxQueue`. */
  submit(task: PendingTask): void {
    if (this.#closed) throw new SystemShutdownError('offload')
    const threadFree = this.#inFlight < this.#limits.maxThreads && this.#held.size === 0
    if (!threadFree && this.queued >= this.#limits.maxQueue) throw new OffloadQueueFullError(this.#limits.maxQueue)
    // Transferred buffers go alone: a batch's one transferList would tie the tasks together.
    if (threadFree || task.transferList !== undefined) {
      this.#sendAlone(task)
      return
    }
    const entry: Entry = { task, settled: false, solo: false, batch: undefined, index: 0, onAbort: undefined }
    if (task.signal) {
      entry.onAbort = () => this.#abort(entry)
      task.signal.addEventListener('abort', entry.onAbort, { once: true })
    }
    this.#held.add(entry)
  }

  /** Rejects every held task; in-flight runs end with piscina's own destroy. */
  close(): void {
    this.#closed = true
    const held = [...this.#held]
    this.#held.clear()
    for (const entry of held) this.#settle(entry, undefined, new SystemShutdownError('offload'))
  }

  #sendAlone(task: PendingTask): void {
    this.#inFlight++
    this.#pool.run(task.payload, { signal: task.signal, transferList: task.transferList as never }).then(
      (result) => {
        this.#completed++
        task.resolve(result as ControlResult<unknown>)
      },
      task.reject,
    ).finally(() => this.#runEnded())
  }

  #runEnded(): void {
    this.#inFlight--
    this.#pump()
  }

  /** Fills free thread slots from the held queue. */
  #pump(): void {
    while (this.#inFlight < this.#limits.maxThreads && this.#held.size > 0) {
      const entries = this.#take(this.#batchSize())
      if (entries.length === 1) {
        // Alone after all: piscina's signal handles its abort from here.
        const entry = entries[0] as Entry
        this.#detach(entry)
        this.#sendAlone(entry.task)
      } else {
        this.#sendBatch(entries)
      }
    }
  }

  /** Up to `size` held tasks from the front; a solo task only ever comes out alone. */
  #take(size: number): Entry[] {
    const taken: Entry[] = []
    for (const entry of this.#held) {
      if (taken.length === size || (entry.solo && taken.length > 0)) break
      this.#held.delete(entry)
      taken.push(entry)
      if (entry.solo) break
    }
    return taken
  }

  /**
   * About TARGET_BATCH_MS of work by the running estimate, at least 2 (so that slow tasks keep
   * being timed and the estimate can come down again); no more than a fair share of the held
   * tasks per thread, so that a short backlog spreads over the threads instead of filling one
   * batch; and at most `maxBatch` (1: never batch).
   */
  #batchSize(): number {
    const byTime = Math.max(2, Math.floor(TARGET_BATCH_MS / this.#taskMs))
    const fairShare = Math.ceil(this.#held.size / this.#limits.maxThreads)
    return Math.min(this.#limits.maxBatch, byTime, fairShare)
  }

  #sendBatch(entries: Entry[]): void {
    // Shared state only when some task can be aborted: most batches need none.
    const abortable = entries.some((entry) => entry.task.signal !== undefined)
    const state = abortable ? new Int32Array(new SharedArrayBuffer(4 * entries.length)) : undefined
    const batch: Batch = { entries, state, stop: new AbortController() }
    entries.forEach((entry, index) => {
      entry.batch = batch
      entry.index = index
    })
    const payload = toBatchPayload(entries.map((entry) => entry.task.payload), state)
    this.#inFlight++
    this.#batches++
    this.#pool.run(payload, { signal: batch.stop.signal }).then(
      (response) => this.#batchDone(batch, response as BatchResponse),
      (error) => this.#batchFailed(batch, error),
    ).finally(() => this.#runEnded())
  }

  #batchDone(batch: Batch, response: BatchResponse): void {
    const { values, errors, taskMs } = response
    if (values.length !== batch.entries.length) {
      this.#batchFailed(batch, new Error(`offload: a batch of ${batch.entries.length} tasks came back with ${values.length} results`))
      return
    }
    let ran = 0
    batch.entries.forEach((entry, i) => {
      // Settled already: cancelled before it started (skipped) or after it ran (result dropped).
      if (entry.settled) return
      ran++
      this.#completed++
      const error = errors?.[i]
      this.#settle(entry, error === undefined ? { ok: true, value: values[i] } : { ok: false, error }, undefined)
    })
    if (ran > 0) this.#taskMs = (1 - ESTIMATE_WEIGHT) * this.#taskMs + ESTIMATE_WEIGHT * Math.max(taskMs / ran, 1e-4)
  }

  /**
   * The batch's run rejected. Stopped by us for one task's abort: that task is already
   * rejected, and the others go back to the front of the queue. Any other failure (a thread
   * that crashed or exited, a result that cannot be cloned) cannot be pinned on one task: each
   * unsettled task goes back to run alone, where a task that fails again fails by itself. Either
   * way a task may have finished in the stopped thread and then runs a second time.
   */
  #batchFailed(batch: Batch, error: unknown): void {
    const stoppedByUs = batch.stop.signal.aborted
    const unsettled = batch.entries.filter((entry) => !entry.settled)
    for (const entry of unsettled) {
      entry.batch = undefined
      entry.solo = entry.solo || !stoppedByUs
    }
    if (this.#closed) {
      for (const entry of unsettled) this.#settle(entry, undefined, error)
      return
    }
    this.#held = new Set([...unsettled, ...this.#held])
  }

  /** A held or batched task's signal fired (a task sent alone is piscina's to stop). */
  #abort(entry: Entry): void {
    if (entry.settled) return
    const reason = entry.task.signal?.reason
    if (this.#held.delete(entry)) {
      this.#settle(entry, undefined, reason)
      return
    }
    const batch = entry.batch
    if (!batch?.state) return
    const before = Atomics.compareExchange(batch.state, entry.index, TaskState.pending, TaskState.cancelled)
    this.#settle(entry, undefined, reason)
    // Pending: the thread will skip it. Done: its result is on the way and is dropped. Running:
    // the only way to stop it is to stop its thread.
    if (before === TaskState.running) batch.stop.abort()
  }

  #settle(entry: Entry, result: ControlResult<unknown> | undefined, error: unknown): void {
    entry.settled = true
    this.#detach(entry)
    if (result !== undefined) entry.task.resolve(result)
    else entry.task.reject(error)
  }

  #detach(entry: Entry): void {
    if (entry.onAbort) entry.task.signal?.removeEventListener('abort', entry.onAbort)
    entry.onAbort = undefined
  }
}
