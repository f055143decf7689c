import type { WireError } from '@troupe/core/internal'

/** What the pool runs: a task by module and export, with its input. */
export interface TaskPayload {
  module: string
  export: string
  input: unknown
}

/**
 * Several tasks in one piscina message, run in order by one pool thread. Each distinct task
 * reference travels once (`refs`) and each task names its own by index (`which`): the module
 * URL repeated per task was most of the bytes structured clone copied, both ways of the trip.
 *
 * `state` (one slot per task, in shared memory) exists when a task of the batch can be aborted:
 * main and the pool thread race on it with compare-and-swap, so a task cancelled before it starts
 * is skipped without stopping the thread, and main knows when the task it must stop is running.
 */
export interface BatchPayload {
  refs: Array<[module: string, exportName: string]>
  which: number[]
  inputs: unknown[]
  state: Int32Array | undefined
}

/**
 * A batch's outcome, by task index: `values[i]`, or `errors[i]` when task i threw (a sparse
 * array, absent when none did). A skipped task has neither: main already rejected it.
 */
export interface BatchResponse {
  values: unknown[]
  errors: Array<WireError | undefined> | undefined
  /** Milliseconds the tasks ran, module loading excluded: sizes the next batches. */
  taskMs: number
}

/** Slot values of `BatchPayload.state`. */
export const TaskState = {
  pending: 0,
  running: 1,
  done: 2,
  cancelled: 3,
} as const

export function isBatchPayload(payload: TaskPayload | BatchPayload): payload is BatchPayload {
  return Array.isArray((payload as Partial<BatchPayload>).inputs)
}

/** The batch for these task payloads, each distinct reference once. */
export function toBatchPayload(payloads: readonly TaskPayload[], state: Int32Array | undefined): BatchPayload {
  const refs: BatchPayload['refs'] = []
  const which: number[] = []
  const inputs: unknown[] = []
  for (const payload of payloads) {
    // Few distinct tasks per batch (mostly one), and the same href string each time: a short scan.
    let ref = refs.findIndex(([module, exportName]) => module === payload.module && exportName === payload.export)
    if (ref < 0) ref = refs.push([payload.module, payload.export]) - 1
    which.push(ref)
    inputs.push(payload.input)
  }
  return { refs, which, inputs, state }
}
