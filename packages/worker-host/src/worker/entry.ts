import { workerData } from 'node:worker_threads'
import * as Comlink from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import { fromWireError, toWireError } from '@troupe/core/internal'
import { Host, type SystemPort } from '../host/host.js'
import type { ControlResult, HostControlApi, SystemControlApi } from '../protocol/control.js'
import type { WorkerInit } from './worker-init.js'

/** The worker thread's main: one Host for every actor placed here. */
const init = (workerData as { troupe: WorkerInit }).troupe
const system = Comlink.wrap<SystemControlApi>(nodeEndpoint(init.systemPort))

function unwrap<T>(result: ControlResult<T>): T {
  if (result.ok) return result.value
  throw fromWireError(result.error)
}

const systemPort: SystemPort = {
  spawn: async (parent, request) => unwrap(await system.spawn(parent, request)),
  stop: async (id, exit = false) => unwrap(await system.stop(id, exit)),
  lookup: (name) => system.lookup(name),
  connect: (from, to) => void system.connect(from, to),
  actorFailed: (id, error) => void system.actorFailed(id, error),
  watch: (watcher, watched, on) => system.watch(watcher, watched, on),
}

const host = new Host({
  thread: init.thread,
  workerCount: init.workerCount,
  allowList: init.allowList,
  askTimeoutMs: init.askTimeoutMs,
  maxMessageBytes: init.maxMessageBytes,
  throughput: init.throughput,
  system: systemPort,
  restoring: init.restoring,
})
host.attachLink(0, init.dataPort)

const control: HostControlApi = {
  async spawn(order) {
    try {
      await host.spawnHere(order)
      return { ok: true, value: undefined }
    } catch (error) {
      return { ok: false, error: toWireError(error) }
    }
  },
  attachPeer: (thread, port) => host.attachLink(thread, port),
  stats: () => host.stats(),
  close() {
    clearInterval(loadReports)
    clearInterval(heartbeats)
    host.close()
  },
  peerDied: (thread, reason) => host.threadDied(thread, reason),
  async supervise(id, directive, cause) {
    try {
      await host.supervise(id, directive, fromWireError(cause))
      return { ok: true, value: undefined }
    } catch (error) {
      return { ok: false, error: toWireError(error) }
    }
  },
}
Comlink.expose(control, nodeEndpoint(init.hostPort))

const loadReports = setInterval(() => void system.reportLoad(host.stats()), init.loadReportIntervalMs)
loadReports.unref()
// The heartbeat is what proves this thread's event loop still turns; a blocked loop sends none.
const heartbeats = setInterval(() => void system.alive(), init.heartbeatIntervalMs)
heartbeats.unref()
