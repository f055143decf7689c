import { settle, type HostStats, type SystemControlApi } from '../protocol/control.js'
import type { SystemRuntime } from './system-runtime.js'

/**
 * The control API the main thread gives the worker on `thread` (over comlink): what its host asks
 * of the system. Each worker gets its own, bound to its thread: a channel it asks for starts at
 * its own thread, its offload tasks are kept under its thread, and its load report also shows
 * that it is alive.
 */
export function workerControl(runtime: SystemRuntime, thread: number): SystemControlApi {
  return {
    lookup: (name) => runtime.directory.lookup(name, runtime.options.workers),
    connect: (from, to) => runtime.connect(from === thread ? from : thread, to),
    actorFailed: (id, error) => runtime.actorFailed(id, error),
    reportLoad: (stats: HostStats) => {
      runtime.workers[thread - 1]?.touch()
      runtime.scheduler.report(stats)
    },
    watch: (watcher, watcherThread, watched, watchedThread, on) => runtime.watch(watcher, watcherThread, watched, watchedThread, on),
    registerName: (info) => settle(() => runtime.registerName({ ...info, thread })),
    lookupOnNode: (name, node) => settle(() => runtime.lookupOnNode(name, node)),
    localEnded: (id, name) => runtime.localEnded(id, thread, name),
    localEvent: (event) => runtime.localEvent(event),
    offload: (request) => settle(() => runtime.offload(request, thread)),
    cancelOffload: (id) => runtime.cancelOffload(id, thread),
  }
}
