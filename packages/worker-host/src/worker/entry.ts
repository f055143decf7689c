import * as Comlink from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import { adoptProgramEntry } from '../host/program-entry.js'
import type { SystemControlApi } from '../protocol/control.js'
import type { WorkerInit } from './worker-init.js'
import { createWorkerHost } from './worker-host.js'

/**
 * The worker thread's main: one Host for every actor placed here. Called by bootstrap.mjs with
 * the `WorkerInit` from `workerData`, or, for a spare worker, from the message that hands it a
 * dead worker's slot (see spare-worker.ts).
 */
export function start(init: WorkerInit): void {
  adoptProgramEntry(init.programEntry)
  const system = Comlink.wrap<SystemControlApi>(nodeEndpoint(init.systemPort))
  const { host, control, board } = createWorkerHost(init, system, init.dataPort)
  Comlink.expose(control, nodeEndpoint(init.hostPort))

  const loadReports = setInterval(() => void system.reportLoad(host.stats('load')), init.loadReportIntervalMs)
  loadReports.unref()
  // With the end of every dispatcher turn, the heartbeat shows the main thread's watchdog that this
  // thread makes progress: it is written to shared memory, so it costs no message, and an idle
  // thread shows it as well as a busy one.
  const heartbeats = setInterval(() => board.beat(init.thread), init.heartbeatIntervalMs)
  heartbeats.unref()
  // Fault injection (troupe/testkit): a real exit, and a real block that only termination ends.
  control.crash = (code) => process.exit(code)
  control.hang = () => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)
  const close = control.close
  control.close = () => {
    clearInterval(loadReports)
    clearInterval(heartbeats)
    close()
  }
}

/**
 * What a spare worker loads while it waits, so that taking over a slot costs no module loading:
 * troupe's package entry, which actor modules import (this module's own imports are loaded already).
 */
export async function preload(): Promise<void> {
  await import('../index.js')
}
