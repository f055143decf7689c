import type { DeadLetterReason } from '@troupe/core'
import type { Selector, WireError } from '@troupe/core/internal'
import type { OffloadRequest, RefInfo, SpawnRequest } from '../protocol/control.js'
import type { SliceOptions } from './dispatcher.js'

/** How a host reaches the system (in-process on the main thread, comlink from a worker). */
export interface SystemPort {
  spawn(parent: number, request: SpawnRequest): Promise<RefInfo>
  /** Adds (or removes) a death watch of `watched` by `watcher`; resolves once registered. */
  watch(watcher: number, watched: number, on: boolean): Promise<void>
  /** Runs a task in the system's offload pool. `id` (unique per thread) lets it be cancelled. */
  offload(request: OffloadRequest): Promise<unknown>
  cancelOffload(id: number): void
  /** `exit`: the actor stops itself (a normal exit, after which a permanent actor is restarted). */
  stop(id: number, exit?: boolean): Promise<void>
  lookup(name: string): Promise<RefInfo | undefined>
  connect(from: number, to: number): void
  actorFailed(id: number, error: WireError): void
}

/** A message no actor will process, as reported to the system's dead-letter office. */
export interface DeadLetterRecord {
  recipient: number
  sender: { id: number; thread: number } | undefined
  reason: DeadLetterReason
  selector: Selector
  body: unknown
}

export interface HostOptions {
  thread: number
  workerCount: number
  allowList: readonly string[]
  askTimeoutMs: number
  /** How long finding a class among the allow-listed modules may take in `spawn` (they are imported). */
  spawnTimeoutMs: number
  maxMessageBytes: number
  throughput: number
  system: SystemPort
  /** Main thread only: where dead letters end up. Workers forward theirs to the main thread. */
  deadLetters?: (record: DeadLetterRecord) => void
  /** Actors this host will re-create (its worker replaced a dead one): their messages wait for them. */
  restoring?: readonly number[]
  /** How many hosts ran this thread before (a replaced worker's successor is 1, and so on). */
  generation?: number
  /** The system's monitor board and time slice: turns yield after `sliceMs` and show progress there. */
  slice?: Omit<SliceOptions, 'thread'>
}
