import type { ResolvedSystemOptions } from '@troupe/core/internal'
import { Host, type DeadLetterRecord, type SystemPort } from '../host/host.js'
import type { ActorIds } from '../host/actor-ids.js'
import type { Clock } from '../clock/clock.js'
import type { MonitorBoard } from '../monitor/monitor-board.js'
import type { SystemStore } from '../persistence/system-store.js'
import { engineHostOptions, type SystemEngine } from './system-engine.js'
import type { ClusterTransport } from '../cluster/thread-nats.js'

/** What the main thread's host is built from, besides the system's options. */
export interface MainHostParts {
  readonly system: SystemPort
  readonly ids: ActorIds
  readonly deadLetters: (record: DeadLetterRecord) => void
  readonly board: MonitorBoard
  readonly clock: Clock
  readonly store: SystemStore | undefined
  readonly engine: SystemEngine
  /** How main reaches other nodes, when the system is a node of a cluster. */
  readonly cluster: ClusterTransport | undefined
}

/** The main thread's host (thread 0): it shares the directory's id allocator and records dead letters itself. */
export function createMainHost(options: ResolvedSystemOptions, parts: MainHostParts): Host {
  return new Host({
    thread: 0,
    workerCount: options.workers,
    allowList: options.actors,
    askTimeoutMs: options.askTimeoutMs,
    spawnTimeoutMs: options.spawnTimeoutMs,
    maxMessageBytes: options.maxMessageBytes,
    throughput: options.throughput,
    system: parts.system,
    ids: parts.ids,
    supervision: options.supervision,
    deadLetters: parts.deadLetters,
    slice: { board: parts.board, sliceMs: options.timeSliceMs },
    busyWaitUs: options.busyWaitUs,
    metrics: options.metrics,
    clock: parts.clock,
    ...(parts.cluster ? { node: parts.cluster.node, cluster: parts.cluster } : {}),
    ...(parts.store ? { entities: parts.store.mainConfig() } : {}),
    ...engineHostOptions(parts.engine),
  })
}
