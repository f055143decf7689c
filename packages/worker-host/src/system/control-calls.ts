import type * as Comlink from 'comlink'
import type { HostControlApi } from '../protocol/control.js'
import type { WorkerExit } from './worker-handle.js'

/**
 * A worker's control calls still waiting for an answer, so that each fails with the worker's
 * death instead of hanging. Pending calls are tracked in a set, not raced against the worker's
 * exit: every race would add a reaction to a promise that stays pending for the worker's whole
 * life. Shared by real and simulated workers.
 */
export class ControlCalls {
  readonly #pending = new Set<(error: unknown) => void>()

  constructor(private readonly control: Comlink.Remote<HostControlApi>) {}

  /** Calls still waiting for an answer. */
  get size(): number {
    return this.#pending.size
  }

  /** `answered` runs when the call succeeds (a live event loop answered it). */
  call<T>(invoke: (control: Comlink.Remote<HostControlApi>) => Promise<T>, answered?: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const fail = (error: unknown): void => {
        this.#pending.delete(fail)
        reject(error)
      }
      this.#pending.add(fail)
      invoke(this.control).then((value) => {
        this.#pending.delete(fail)
        answered?.()
        resolve(value)
      }, fail)
    })
  }

  /** The worker is gone: every pending call fails with `error`. */
  failAll(error: () => Error): void {
    for (const fail of [...this.#pending]) fail(error())
  }
}

/** Why a worker is no longer running, as `WorkerHandle.exitReason` says it. */
export function describeExit(exit: WorkerExit | undefined, killedBecause: string | undefined): string {
  if (!exit) return 'running'
  if (killedBecause) return killedBecause
  return exit.error ? `${exit.error.name}: ${exit.error.message}` : `exited with code ${exit.code}`
}
