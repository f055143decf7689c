import type { TransferListItem } from 'node:worker_threads'
import { InvalidOptionError } from '../errors/errors.js'

/** A stateless task: a module-level function of one (structured-cloneable) input. */
export type TaskFunction = (input: never) => unknown

/**
 * A reference to a task function by module URL and export name; the offload pool's threads
 * import it. Create one with `taskType<typeof fib>(new URL('./fib.js', import.meta.url), 'fib')`.
 */
export interface TaskRef<F extends TaskFunction = TaskFunction> {
  readonly module: string
  readonly export: string
  /** Phantom: carries the function type for inference. Never set at run time. */
  readonly __task?: F
}

export function taskType<F extends TaskFunction>(module: string | URL, exportName: string): TaskRef<F> {
  if (!(module instanceof URL) && typeof module !== 'string') throw new InvalidOptionError('module', 'a URL or an absolute URL string', module)
  if (typeof exportName !== 'string' || exportName.length === 0) throw new InvalidOptionError('exportName', 'a non-empty string', exportName)
  return { module: module instanceof URL ? module.href : module, export: exportName }
}

/** The input a task takes and what offloading it resolves to. */
export type TaskInput<F extends TaskFunction> = Parameters<F>[0]
export type TaskOutput<F extends TaskFunction> = Awaited<ReturnType<F>>

export interface OffloadOptions {
  /** Aborts the task: removed from the queue, or its thread terminated if it is running. */
  readonly signal?: AbortSignal
  /** Aborts the task after this many ms; the promise rejects with a `TimeoutError`. */
  readonly timeoutMs?: number
  /** Buffers to transfer (not copy) with the input. Main thread only: ignored from a worker. */
  readonly transferList?: readonly TransferListItem[]
}
