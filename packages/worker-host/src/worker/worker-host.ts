import { ControlTimeoutError } from '@troupe/core'
import { SPAWNED, SPAWN_REQUEST, STOP_CHILDREN_REQUEST, STOP_REQUEST, fromWireError, toWireError } from '@troupe/core/internal'
import type * as Comlink from 'comlink'
import { Host, type SystemPort } from '../host/host.js'
import { serviceId } from '../host/actor-ids.js'
import type { ModuleRegistry } from '../host/module-registry.js'
import type { ChannelEnd } from '../link/thread-channel.js'
import { settle, unwrapResult, type ControlResult, type HostControlApi, type RefInfo, type SystemControlApi } from '../protocol/control.js'
import type { RemoteRefInfo } from '../cluster/remote-lookup.js'
import type { WorkerInit } from './worker-init.js'
import { MonitorBoard } from '../monitor/monitor-board.js'
import { withDeadline } from '../util/deadline.js'
import { VirtualClock } from '../clock/virtual-clock.js'
import { workerEntityConfig } from '../persistence/system-store.js'

/** What a worker's host needs that is not plain data: its ports are wired by the caller. */
export type WorkerHostInit = Omit<WorkerInit, 'dataPort' | 'hostPort' | 'systemPort' | 'entry' | 'useTsx' | 'programEntry'>

export interface WorkerHost {
  readonly host: Host
  /** What the main thread may ask of this thread (exposed over comlink by a real worker). */
  readonly control: HostControlApi
  readonly board: MonitorBoard
  /** This thread's timers, when the system runs on manual time. */
  readonly clock: VirtualClock | undefined
}

/**
 * Builds a worker thread's host and its control API around the system's control API: the same
 * for a real worker (`entry.ts`, over comlink) and a simulated one (the test kit's deterministic
 * mode, in-process). `shared`: what simulated threads share (one module registry, one seeded random).
 */
export function createWorkerHost(init: WorkerHostInit, system: Comlink.Remote<SystemControlApi>, dataEnd: ChannelEnd, shared?: { registry: ModuleRegistry; random: () => number; chooseNext: (n: number) => number }): WorkerHost {
  /**
   * Calls to the main thread that must settle even if it stops answering (blocked, or gone while
   * shutting down). The system bounds spawn itself (`spawnTimeoutMs`), and answers lookups and
   * watches at once; these deadlines only cover an answer that never comes. A stop is bounded on
   * the main thread, per actor of the subtree (`stopTimeoutMs`), so it gets no deadline here.
   */
  const answerWithin = <T>(operation: string, ms: number, call: Promise<T>): Promise<T> => withDeadline(call, ms, () => new ControlTimeoutError(operation, ms))

  const systemPort: SystemPort = {
    // An ask of the main thread's system service over the data plane (see SPAWN_REQUEST).
    spawn: (parent, request) =>
      answerWithin(`spawn ${request.export}`, init.spawnTimeoutMs + init.askTimeoutMs, host.ask(host.refTo(serviceId(0), 0), SPAWN_REQUEST, [parent, request], { timeoutMs: init.spawnTimeoutMs + init.askTimeoutMs }) as Promise<RefInfo>),
    // Bounded on the main thread, per actor of the subtree (`stopTimeoutMs`): the ask gets room for that.
    stop: async (id, exit = false, thread = init.thread) => {
      await host.ask(host.refTo(serviceId(0), 0), STOP_REQUEST, [id, exit, thread], { timeoutMs: 2 ** 31 - 1 })
    },
    lookup: (name) => answerWithin(`lookup ${JSON.stringify(name)}`, init.askTimeoutMs, system.lookup(name)),
    // Main asks the other node within askTimeoutMs; this bound leaves it room for that.
    lookupOnNode: async (name, node) =>
      unwrapResult(await answerWithin<ControlResult<RemoteRefInfo | undefined>>(`lookup ${JSON.stringify(name)} on node ${node}`, 2 * init.askTimeoutMs, system.lookupOnNode(name, node))),
    connect: (from, to) => void system.connect(from, to),
    actorFailed: (id, error) => void system.actorFailed(id, error),
    watch: (watcher, watcherThread, watched, watchedThread, on) =>
      answerWithin(`watch actor#${watched}`, init.askTimeoutMs, system.watch(watcher, watcherThread, watched, watchedThread, on)),
    registerName: async (info) => unwrapResult(await answerWithin<ControlResult<void>>(`register name ${JSON.stringify(info.name)}`, init.askTimeoutMs, system.registerName(info))),
    localEnded: (id, _thread, name) => void system.localEnded(id, name),
    // Bounded on the main thread, per actor stopped (`stopTimeoutMs`), like a stop. Over the data
    // plane, behind the records of the children this thread spawned on other workers (`spawned`).
    stopChildren: async (parent) => {
      await host.ask(host.refTo(serviceId(0), 0), STOP_CHILDREN_REQUEST, parent, { timeoutMs: 2 ** 31 - 1 })
    },
    spawned: (record) => host.tell(host.refTo(serviceId(0), 0), SPAWNED, record),
    localEvent: (event) => void system.localEvent(event),
    offload: async (request) => unwrapResult(await system.offload(request)),
    cancelOffload: (id) => void system.cancelOffload(id),
  }

  const board = new MonitorBoard(init.board)
  const clock = init.clock === undefined ? undefined : new VirtualClock(init.clock)
  const host = new Host({
    thread: init.thread,
    workerCount: init.workerCount,
    allowList: init.allowList,
    askTimeoutMs: init.askTimeoutMs,
    spawnTimeoutMs: init.spawnTimeoutMs,
    maxMessageBytes: init.maxMessageBytes,
    throughput: init.throughput,
    system: systemPort,
    supervision: init.supervision,
    restoring: init.restoring,
    generation: init.generation,
    slice: { board, sliceMs: init.timeSliceMs },
    busyWaitUs: init.busyWaitUs,
    metrics: init.metrics,
    ...(init.cluster ? { node: init.cluster.node, cluster: init.cluster } : {}),
    ...(clock ? { clock } : {}),
    ...(init.persistence ? { entities: workerEntityConfig(init.persistence, init.entityIdleTimeoutMs) } : {}),
    ...shared,
  })
  // Reminders of this thread's entities fire after a restart without a message to wake them.
  host.entities?.start().catch((error: unknown) => systemPort.localEvent({ type: 'actor-failed', actor: 0, error: toWireError(error), directive: 'resume' }, init.thread))
  host.attachLink(0, dataEnd)

  const control: HostControlApi = {
    spawn: (order) => settle(() => host.spawnHere(order)),
    attachPeer: (thread, port) => host.attachLink(thread, port),
    stats: () => host.stats(),
    metrics: () => host.metricsSnapshot(),
    close: () => {
      host.close()
      return host.closed
    },
    peerDied: (thread, reason, atLeastOnce) => {
      host.threadDied(thread, reason, atLeastOnce)
      host.lifecycle.parentThreadDied(thread)
    },
    supervise: (id, directive, cause) => settle(() => host.lifecycle.supervise(id, directive, fromWireError(cause))),
    reportEnd: (id) => host.lifecycle.reportEnd(id),
    clusterReady: () => host.cluster?.ready ?? Promise.resolve(),
    nodeDown: (node, name, reason) => host.cluster?.nodeDown(node, name, reason),
    placement: (members) => host.cluster?.placementChanged(members),
    escalated: (id, error) => host.lifecycle.escalated(id, fromWireError(error)),
    // Only a real worker thread can exit or block on its own (see entry.ts).
    crash: () => {
      throw new Error('only a worker thread can crash itself')
    },
    hang: () => {
      throw new Error('only a worker thread can hang itself')
    },
    progress: () => ({ processed: host.dispatcher.processed, busy: host.dispatcher.busy }),
    clockNext: () => clock?.nextDue() ?? Number.POSITIVE_INFINITY,
    clockFire: () => clock?.fireDue() ?? 0,
  }
  return { host, control, board, clock }
}
