// kv.mutex.atomics: the shared table's layout and the messages between main and its workers.

/** The Int32 at index 0 is the mutex (see counter-contention-mutex.ts); key k's value is at 1 + k. */
export const KV_MUTEX_INDEX = 0
export const KV_VALUES = 1

/** main -> worker: run `ops` ops of task `task` against the shared table. */
export interface KvRunCommand {
  readonly kind: 'kv-run'
  readonly task: number
  readonly ops: number
  readonly seed: number
}

/** worker -> main: done; gets that read something other than the task's model, and the model itself. */
export interface KvRanReport {
  readonly kind: 'kv-ran'
  readonly staleReads: number
  readonly model: readonly (readonly [key: number, value: number])[]
}

export interface KvMutexWorkerData {
  readonly shared: SharedArrayBuffer
}
