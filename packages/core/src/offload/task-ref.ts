import type { TransferListItem } from 'node:worker_threads'
import { InvalidOptionError } from '../errors/errors.js'

/** A stateless task: a module-level function of one (structured-cloneable) input. */
export type TaskFunction = (input: never) => unknown

/**
 * A reference to a task function by module URL and export name; the offload pool's threads
 * import it. Create one with `taskType<typeof import('./tasks.js'), 'fib'>(url, 'fib')` (the
 * name is checked against the module) or `taskType<typeof fib>(url, 'fib')`.
 */
export interface TaskRef<F extends TaskFunction = TaskFunction> {
  readonly module: string
  readonly export: string
  /** Phantom: carries the function type for inference. Never set at run time. */
  readonly __task?: F
}

/** The names of a module's exports that are task functions (`typeof import('./tasks.js')`). */
export type TaskName<M> = { [K in keyof M]: M[K] extends TaskFunction ? K : never }[keyof M] & string

/**
 * A task by its function's type: `taskType<typeof fib>(new URL('./fib.js', import.meta.url), 'fib')`.
 * The export name is not checked at compile time; a wrong one rejects with `TaskNotFoundError`.
 */
export function taskType<F extends TaskFunction>(module: string | URL, exportName: string): TaskRef<F>
/**
 * A task by its module's type: the export name is checked against the module, and the ref is
 * typed by that export.
 * `taskType<typeof import('./tasks.js'), 'countPrimes'>(new URL('./tasks.js', import.meta.url), 'countPrimes')`.
 * With the module type alone (`taskType<typeof import('./tasks.js')>(url, 'countPrimes')`) the
 * name is still checked, and the ref is typed by the union of the module's tasks, which is exact
 * for a module of one task.
 */
export function taskType<M extends object, K extends TaskName<M> = TaskName<M>>(module: string | URL, exportName: K): TaskRef<Extract<M[K], TaskFunction>>
export function taskType(module: string | URL, exportName: string): TaskRef {
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
  /** Aborts the task after this many ms; the promise rejects with an `OffloadTimeoutError`. */
  readonly timeoutMs?: number
  /** Buffers to transfer (not copy) with the input. Main thread only: ignored from a worker. */
  readonly transferList?: readonly TransferListItem[]
}
