import { TaskNotAllowedError } from '@troupe/core'
import type { OffloadPool } from '../offload/offload-pool.js'
import type { OffloadRequest } from '../protocol/control.js'

/**
 * `ctx.offload` calls from the hosts, run in the system's pool: each is kept under its thread
 * and id while it runs, so that the host can cancel it (an aborted signal, a timeout).
 */
export class OffloadRequests {
  readonly #pool: () => OffloadPool | undefined
  readonly #running = new Map<string, AbortController>()

  constructor(pool: () => OffloadPool | undefined) {
    this.#pool = pool
  }

  run(request: OffloadRequest, thread: number): Promise<unknown> {
    const pool = this.#pool()
    if (!pool) {
      return Promise.reject(new TaskNotAllowedError(request.module, request.export, 'the system has no offload pool (start it with the `offload` option)'))
    }
    const key = `${thread}:${request.id}`
    const controller = new AbortController()
    this.#running.set(key, controller)
    const task = { module: request.module, export: request.export }
    return pool.run(task, request.input, { signal: controller.signal, timeoutMs: request.timeoutMs }).finally(() => this.#running.delete(key))
  }

  cancel(id: number, thread: number): void {
    this.#running.get(`${thread}:${id}`)?.abort()
  }
}
