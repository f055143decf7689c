import { programEntryPath } from '../host/program-entry.js'
import type { ResolvedSystemOptions } from '@troupe/core/internal'
import { needsTypeScript, sourceModuleHref } from '../host/module-source.js'
import type { PoolLaunch } from '../offload/offload-pool.js'
import type { WorkerLaunch } from './worker-handle.js'
import { SparePool } from './spare-worker.js'

/**
 * The export condition under which troupe's workspace packages resolve to their `.ts` sources.
 * A name of this repository's own, not `development`: tools and bundlers set `development` for
 * their own reasons, and must never be sent to sources that a published package does not ship.
 */
export const SOURCE_CONDITION = 'troupe-source'

/** True when this module runs from its TypeScript sources (this repository's tests), not from `dist`. */
const fromSource = import.meta.url.endsWith('.ts')

/**
 * The allow-lists with every `.js` URL that only exists as TypeScript source replaced by that
 * source (see `sourceModuleHref`), so that the README's `new URL('./counter.js', import.meta.url)`
 * names the same module under tsx as compiled, on every thread.
 */
export function resolveModuleSources(options: ResolvedSystemOptions): ResolvedSystemOptions {
  return {
    ...options,
    actors: options.actors.map(sourceModuleHref),
    offload: options.offload && { ...options.offload, tasks: options.offload.tasks.map(sourceModuleHref) },
  }
}

/**
 * Whether threads load modules through tsx. `'auto'` turns it on when troupe runs from sources,
 * or when an allow-listed module is TypeScript, or an allow-listed folder holds TypeScript.
 */
function useTypeScript(setting: ResolvedSystemOptions['typescript'], allowList: readonly string[]): boolean {
  return setting === 'auto' ? fromSource || needsTypeScript(allowList) : setting
}

/** How workers start, depending on whether troupe itself runs from compiled JS or TS sources. */
export function workerLaunch(options: ResolvedSystemOptions): WorkerLaunch {
  const bootstrap = new URL('../worker/bootstrap.mjs', import.meta.url)
  // Running from sources, workers must resolve troupe's own packages to sources too.
  const execArgv = [...(fromSource ? [`--conditions=${SOURCE_CONDITION}`] : []), ...options.execArgv]
  const entry = new URL(`../worker/entry.${fromSource ? 'ts' : 'js'}`, import.meta.url).href
  const useTsx = useTypeScript(options.typescript, options.actors)
  return {
    bootstrap,
    execArgv,
    resourceLimits: options.resourceLimits,
    spares: options.spareWorker ? new SparePool({ bootstrap, execArgv, resourceLimits: options.resourceLimits, entry, useTsx }) : undefined,
    init: {
      entry,
      useTsx,
      programEntry: programEntryPath(),
      workerCount: options.workers,
      allowList: options.actors,
      askTimeoutMs: options.askTimeoutMs,
      spawnTimeoutMs: options.spawnTimeoutMs,
      maxMessageBytes: options.maxMessageBytes,
      throughput: options.throughput,
      loadReportIntervalMs: options.loadReportIntervalMs,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      timeSliceMs: options.timeSliceMs,
      busyWaitUs: options.busyWaitUs,
      supervision: options.supervision,
      metrics: options.metrics,
      clock: options.clock?.buffer,
      entityIdleTimeoutMs: options.entities.idleTimeoutMs,
    },
  }
}

/** Pool threads start like actor workers: the same flags, and tsx when troupe or the task modules are TypeScript. */
export function poolLaunch(options: ResolvedSystemOptions, workers: WorkerLaunch): PoolLaunch {
  return {
    bootstrap: new URL('../offload/task-bootstrap.mjs', import.meta.url),
    entry: new URL(`../offload/task-runner.${fromSource ? 'ts' : 'js'}`, import.meta.url).href,
    useTsx: useTypeScript(options.typescript, options.offload?.tasks ?? []),
    execArgv: workers.execArgv,
  }
}
