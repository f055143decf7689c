import { performance } from 'node:perf_hooks'
import { Piscina } from 'piscina'
import { InvalidOptionError, OffloadQueueFullError, OffloadTimeoutError, TaskNotAllowedError, type OffloadOptions, type TaskRef } from '@troupe/core'
import { checkKnownOptions, isModuleAllowed, type ResolvedSystemOptions } from '@troupe/core/internal'
import { unwrapResult, type ControlResult } from '../protocol/control.js'
import type { TaskPayload } from './batch-protocol.js'
import { BatchDispatcher } from './batch-dispatcher.js'
import { sourceModuleHref } from '../host/module-source.js'
import type { OffloadMetrics, TaskOutcome } from '../metrics/offload-metrics.js'

type PoolOptions = NonNullable<ResolvedSystemOptions['offload']>

export interface OffloadStats {
  /** Pool threads running now (they start on demand and exit when idle). */
  readonly threads: number
  readonly maxThreads: number
  /** Tasks waiting for a thread (held for a batch, or in piscina's queue). */
  readonly queued: number
  readonly completed: number
  /** Messages to the pool that carried several tasks at once (see docs/offload.md, "Batches"). */
  readonly batches: number
}

/** How pool threads start; the same rules as actor workers (compiled JS, or TS through tsx). */
export interface PoolLaunch {
  bootstrap: URL
  entry: string
  useTsx: boolean
  execArgv: string[]
}

/**
 * The system's piscina pool for stateless CPU-bound tasks. Aborting a running task terminates
 * its thread (piscina replaces it), so a task past its deadline is really stopped, busy loop or
 * not. When every thread is busy, waiting tasks go to the threads in batches (BatchDispatcher).
 */
export class OffloadPool {
  readonly #pool: Piscina
  readonly #options: PoolOptions
  readonly #dispatcher: BatchDispatcher
  readonly #checked = new WeakMap<TaskRef, string>()

  /** `metrics`: told how each task ended and how long it took. */
  constructor(
    options: PoolOptions,
    launch: PoolLaunch,
    private readonly metrics?: OffloadMetrics,
  ) {
    this.#options = options
    this.#pool = new Piscina({
      filename: launch.bootstrap.href,
      minThreads: 0,
      maxThreads: options.maxThreads,
      maxQueue: options.maxQueue,
      idleTimeout: options.idleTimeoutMs,
      execArgv: launch.execArgv,
      workerData: { troupeOffload: { entry: launch.entry, useTsx: launch.useTsx, tasks: options.tasks } },
    })
    this.#dispatcher = new BatchDispatcher(this.#pool, options)
  }

  async run(task: TaskRef, input: unknown, options: OffloadOptions | undefined): Promise<unknown> {
    const metrics = this.metrics
    if (metrics === undefined) return this.#run(task, input, options)
    const startedAt = performance.now()
    let outcome: TaskOutcome = 'error'
    try {
      const value = await this.#run(task, input, options)
      outcome = 'ok'
      return value
    } catch (error) {
      outcome = outcomeOf(error)
      throw error
    } finally {
      metrics.settled(startedAt, outcome)
    }
  }

  async #run(task: TaskRef, input: unknown, options: OffloadOptions | undefined): Promise<unknown> {
    const href = this.#allowedHref(task)
    const { signal, deadline } = combinedSignal(options)
    signal?.throwIfAborted()
    const payload: TaskPayload = { module: href, export: task.export, input }
    let result: ControlResult<unknown>
    try {
      result = await new Promise<ControlResult<unknown>>((resolve, reject) => {
        this.#dispatcher.submit({ payload, signal, transferList: options?.transferList, resolve, reject })
      })
    } catch (error) {
      // The caller's own signal: the platform's convention (fetch, timers), its reason. Our
      // deadline: a typed error naming the task and the limit, which a bare DOMException does not.
      if (options?.signal?.aborted) throw options.signal.reason
      if (deadline?.aborted) throw new OffloadTimeoutError(href, task.export, options?.timeoutMs ?? 0)
      if (signal?.aborted) throw signal.reason
      if (error instanceof Error && error.message === 'Task queue is at limit') throw new OffloadQueueFullError(this.#options.maxQueue)
      throw error
    }
    return unwrapResult(result)
  }

  /** Validates a task reference once; tasks are mostly the same few constant objects. */
  #allowedHref(task: TaskRef): string {
    let href = this.#checked.get(task)
    if (href === undefined) {
      href = taskHref(task)
      if (!isModuleAllowed(this.#options.tasks, href)) throw new TaskNotAllowedError(href, task.export, 'the module is not in offload.tasks')
      if (typeof task === 'object' && task !== null) this.#checked.set(task, href)
    }
    return href
  }

  stats(): OffloadStats {
    return { threads: this.#pool.threads.length, maxThreads: this.#options.maxThreads, queued: this.#dispatcher.queued, completed: this.#dispatcher.completed, batches: this.#dispatcher.batches }
  }

  destroy(): Promise<void> {
    this.#dispatcher.close()
    return this.#pool.destroy()
  }
}

function outcomeOf(error: unknown): TaskOutcome {
  if (error instanceof OffloadTimeoutError) return 'timeout'
  if (error instanceof OffloadQueueFullError) return 'queue-full'
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError') ? 'aborted' : 'error'
}

function taskHref(task: unknown): string {
  const ref = task as Partial<TaskRef> | null
  if (typeof ref !== 'object' || ref === null || typeof ref.module !== 'string' || typeof ref.export !== 'string') {
    throw new InvalidOptionError('task', 'a task reference from taskType(moduleUrl, exportName)', task)
  }
  try {
    return sourceModuleHref(new URL(ref.module).href)
  } catch {
    throw new InvalidOptionError('task.module', 'an absolute module URL', ref.module)
  }
}

/** The signal piscina gets: the caller's, the `timeoutMs` deadline, or both. */
function combinedSignal(options: OffloadOptions | undefined): { signal: AbortSignal | undefined; deadline: AbortSignal | undefined } {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new InvalidOptionError('options', 'an object', options)
  if (options !== undefined) checkKnownOptions(options, ['signal', 'timeoutMs', 'transferList'])
  const { signal, timeoutMs } = options ?? {}
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs >= 1 && timeoutMs <= 2 ** 31 - 1)) {
    throw new InvalidOptionError('timeoutMs', 'an integer from 1 to 2147483647', timeoutMs)
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new InvalidOptionError('signal', 'an AbortSignal', signal)
  const deadline = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs)
  const signals = [signal, deadline].filter((s): s is AbortSignal => s !== undefined)
  return { signal: signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals), deadline }
}
