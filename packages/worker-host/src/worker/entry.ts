import * as Comlink from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import { ControlTimeoutError } from '@troupe/core'
import { SPAWNED, SPAWN_REQUEST, STOP_CHILDREN_REQUEST, STOP_REQUEST, fromWireError } from '@troupe/core/internal'
import { Host, type SystemPort } from '../host/host.js'
import { adoptProgramEntry } from '../host/program-entry.js'
import { serviceId } from '../host/actor-ids.js'
import { settle, unwrapResult, type ControlResult, type HostControlApi, type RefInfo, type SystemControlApi } from '../protocol/control.js'
import type { WorkerInit } from './worker-init.js'
import { MonitorBoard } from '../monitor/monitor-board.js'
import { withDeadline } from '../util/deadline.js'

/**
 * The worker thread's main: one Host for every actor placed here. Called by bootstrap.mjs with
 * the `WorkerInit` from `workerData`, or, for a spare worker, from the message that hands it a
 * dead worker's slot (see spare-worker.ts).
 */
export function start(init: WorkerInit): void {
  adoptProgramEntry(init.programEntry)
  const system = Comlink.wrap<SystemControlApi>(nodeEndpoint(init.systemPort))

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
    metrics: init.metrics,
  })
  host.attachLink(0, init.dataPort)

  const control: HostControlApi = {
    spawn: (order) => settle(() => host.spawnHere(order)),
    attachPeer: (thread, port) => host.attachLink(thread, port),
    stats: () => host.stats(),
    metrics: () => host.metricsSnapshot(),
    close() {
      clearInterval(loadReports)
      clearInterval(heartbeats)
      host.close()
    },
    peerDied: (thread, reason, atLeastOnce) => {
      host.threadDied(thread, reason, atLeastOnce)
      host.lifecycle.parentThreadDied(thread)
    },
    supervise: (id, directive, cause) => settle(() => host.supervise(id, directive, fromWireError(cause))),
    reportEnd: (id) => host.lifecycle.reportEnd(id),
    escalated: (id, error) => host.lifecycle.escalated(id, fromWireError(error)),
  }
  Comlink.expose(control, nodeEndpoint(init.hostPort))

  const loadReports = setInterval(() => void system.reportLoad(host.stats('load')), init.loadReportIntervalMs)
  loadReports.unref()
  // With the end of every dispatcher turn, the heartbeat shows the main thread's watchdog that this
  // thread makes progress: it is written to shared memory, so it costs no message, and an idle
  // thread shows it as well as a busy one.
  const heartbeats = setInterval(() => board.beat(init.thread), init.heartbeatIntervalMs)
  heartbeats.unref()
}

/**
 * What a spare worker loads while it waits, so that taking over a slot costs no module loading:
 * troupe's package entry, which actor modules import (this module's own imports are loaded already).
 */
export async function preload(): Promise<void> {
  await import('../index.js')
}
