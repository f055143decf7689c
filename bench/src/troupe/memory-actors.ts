// Actors of memory.per-actor (and the heap sampler they share with main): workers import this module.
import { Actor } from 'troupe'

/** The actor whose footprint is measured: no state, no handlers beyond one to prove it is alive. */
export class IdleActor extends Actor {
  ping(): number {
    return this.ctx.thread
  }
}

/** One thread's V8 heap, in bytes (`process.memoryUsage()` reports the calling thread's isolate). */
export interface HeapSample {
  readonly thread: number
  readonly heapUsed: number
  readonly heapTotal: number
  /** Whether a full GC ran first (only when the process was started with --expose-gc). */
  readonly collected: boolean
}

/** Collects (when `gc` is exposed) and samples the heap of the thread it lives on. */
export function sampleHeap(thread: number): HeapSample {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const { heapUsed, heapTotal } = process.memoryUsage()
  return { thread, heapUsed, heapTotal, collected: gc !== undefined }
}

/** Pinned to one worker, samples that worker's heap. */
export class HeapProbe extends Actor {
  sample(): HeapSample {
    return sampleHeap(this.ctx.thread)
  }
}
