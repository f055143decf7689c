// Spawning, supervising and always terminating the workers of one baseline run.
import { Worker } from 'node:worker_threads'
import type { TransferListItem } from 'node:worker_threads'
import { isReady } from './worker-protocol.js'

export interface WorkerSpec {
  /** A compiled worker script next to the caller in bench/dist. */
  readonly url: URL
  readonly workerData?: unknown
  readonly transferList?: readonly TransferListItem[]
}

// Generous: a hung worker should fail the benchmark, not the whole suite run.
const defaultTimeoutMs = 60_000

export class WorkerGroup {
  readonly workers: readonly Worker[]
  /** Rejects on the first error or exit of any worker; raced against every wait so nothing hangs. */
  private readonly failure: Promise<never>

  constructor(specs: readonly WorkerSpec[]) {
    const workers: Worker[] = []
    this.workers = workers
    this.failure = new Promise<never>((_, reject) => {
      for (const spec of specs) {
        const worker = new Worker(spec.url, {
          workerData: spec.workerData,
          transferList: spec.transferList === undefined ? undefined : [...spec.transferList],
        })
        // Listening also keeps an 'error' event from crashing the main thread as unhandled.
        worker.on('error', (error) => reject(error))
        worker.on('exit', (code) => reject(new Error(`${spec.url.pathname} exited with code ${code}`)))
        workers.push(worker)
      }
    })
    this.failure.catch(() => undefined) // only meaningful while someone awaits it
  }

  worker(index: number): Worker {
    const worker = this.workers[index]
    if (worker === undefined) throw new Error(`no worker at index ${index}`)
    return worker
  }

  /** Settles like `work`, unless a worker fails or `timeoutMs` passes first. */
  async guard<T>(work: Promise<T>, what: string, timeoutMs = defaultTimeoutMs): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out after ${timeoutMs} ms`)), timeoutMs)
    })
    try {
      return await Promise.race([work, this.failure, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  /** Call before sending the command that triggers the reply, so the reply cannot be missed. */
  nextMessage<T>(index: number, accept: (message: unknown) => message is T, what: string): Promise<T> {
    const worker = this.worker(index)
    const reply = new Promise<T>((resolve) => {
      const listener = (message: unknown): void => {
        if (!accept(message)) return
        worker.off('message', listener)
        resolve(message)
      }
      worker.on('message', listener)
    })
    return this.guard(reply, what)
  }

  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()))
  }
}

/** Spawns the workers, waits until each reports ready, runs `body`, and terminates them whatever happens. */
export async function withWorkers<T>(specs: readonly WorkerSpec[], body: (group: WorkerGroup) => Promise<T>): Promise<T> {
  const group = new WorkerGroup(specs)
  try {
    await Promise.all(group.workers.map((_, index) => group.nextMessage(index, isReady, 'worker start-up')))
    return await body(group)
  } finally {
    await group.terminate()
  }
}
