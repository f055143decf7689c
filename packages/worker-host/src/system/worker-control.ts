import { settle, type HostStats, type SystemControlApi } from '../protocol/control.js'
import { refInfo } from './directory.js'
import type { SystemRuntime } from './system-runtime.js'

/**
 * The control API the main thread gives the worker on `thread` (over comlink): what its host asks
 * of the system. Each worker gets its own, bound to its thread: a channel it asks for starts at
 * its own thread, its offload tasks are kept under its thread, and its load report also shows
 * that it is alive.
 */
export function workerControl(runtime: SystemRuntime, thread: number): SystemControlApi {
  return {
    spawn: (parent, request) => settle(() => runtime.spawn(parent, request)),
    stop: (id, exit) => settle(() => runtime.stop(id, exit)),
    lookup: (name) => {
      const record = runtime.directory.byName(name)
      return record && refInfo(record, runtime.options.workers)
    },
    connect: (from, to) => runtime.connect(from === thread ? from : thread, to),
    actorFailed: (id, error) => runtime.actorFailed(id, error),
    reportLoad: (stats: HostStats) => {
      runtime.workers[thread - 1]?.touch()
      runtime.scheduler.report(stats)
    },
    watch: (watcher, watched, on) => runtime.watch(watcher, watched, on),
    offload: (request) => settle(() => runtime.offload(request, thread)),
    cancelOffload: (id) => runtime.cancelOffload(id, thread),
  }
}
