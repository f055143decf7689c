import type { JobInfo } from '@troupe/core'

/**
 * Where a handler's jobs run: a pool of actors, an entity per key, the offload pool, or child
 * processes. `run` settles within about `timeoutMs` (rejecting with `JobTimeoutError` past it),
 * and `close` releases what the executor started, once no job of it runs any more.
 */
export interface JobExecutor {
  run(event: unknown, job: JobInfo, timeoutMs: number): Promise<unknown>
  close(): Promise<void>
}
