import type { MessagePort } from 'node:worker_threads'
import type { ResolvedSupervision } from '@troupe/core/internal'
import type { WorkerPersistence } from '../persistence/system-store.js'
import type { ClusterTransport } from '../cluster/thread-nats.js'

/** What the system hands a new worker in `workerData.troupe`. */
export interface WorkerInit {
  entry: string
  useTsx: boolean
  /** The real path of the program's entry module, which a worker must never import (see program-entry.ts). */
  programEntry: string | undefined
  thread: number
  workerCount: number
  allowList: string[]
  askTimeoutMs: number
  spawnTimeoutMs: number
  maxMessageBytes: number
  throughput: number
  loadReportIntervalMs: number
  heartbeatIntervalMs: number
  /** The system's monitor board (a MonitorBoard's buffer): coarse clock and progress counters. */
  board: SharedArrayBuffer
  timeSliceMs: number
  /** See `ActorSystemOptions.busyWaitUs`. */
  busyWaitUs: number
  /** Set when the system counts metrics per message (the `metrics` option). */
  metrics: { sampleEvery: number } | undefined
  /** The time of the system's manual clock (the `clock` option); undefined: real time. */
  clock: SharedArrayBuffer | undefined
  /** The system's default supervision (of roots whose own is not known on the worker). */
  supervision: ResolvedSupervision
  /** Ids of the actors this worker will re-create (it replaces a dead worker). */
  restoring: number[]
  /** How many workers held this slot before: 0 for the first, +1 per replacement. */
  generation: number
  /** How this worker reaches the entity store; undefined without the `persistence` option. */
  persistence: WorkerPersistence | undefined
  /** How this worker reaches other nodes; undefined without the `cluster` option. */
  cluster?: ClusterTransport
  /** The system's `entities.idleTimeoutMs`. */
  entityIdleTimeoutMs: number
  /** Data-plane channel to the main thread. */
  dataPort: MessagePort
  /** The worker exposes its HostControlApi here. */
  hostPort: MessagePort
  /** The system's SystemControlApi for this worker. */
  systemPort: MessagePort
}

/**
 * What a spare worker gets in `workerData.troupe`: enough to load its modules. Its `WorkerInit`
 * comes later, as the message that hands it a slot.
 */
export interface SpareInit {
  entry: string
  useTsx: boolean
  spare: true
}
