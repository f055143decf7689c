import { TaskNotAllowedError, type ActorClass, type ActorTypeRef, type EntityClass, type EntityTypeRef, type TaskRef } from '@troupe/core'
import { isModuleAllowed } from '@troupe/core/internal'
import type { ActorSystem } from '../../system/actor-system.js'
import { sourceModuleHref } from '../../host/module-source.js'
import { SOURCE_CONDITION } from '../../system/launch.js'
import type { SystemRuntime } from '../../system/system-runtime.js'
import type { ExecutionKind, ResolvedHandlerOptions } from '../handler-options.js'
import { ActorPool } from './actor-pool.js'
import { EntityJobs } from './entity-jobs.js'
import type { JobExecutor } from './job-executor.js'
import { OffloadJobs } from './offload-jobs.js'

/** What `handle` was given, sorted by kind. */
export type HandlerTarget =
  | { readonly kind: 'actor'; readonly type: ActorClass | ActorTypeRef; readonly method: string }
  | { readonly kind: 'entity'; readonly type: EntityClass | EntityTypeRef; readonly method: string; readonly key: (event: unknown) => string }
  | { readonly kind: Extract<ExecutionKind, 'offload' | 'process'>; readonly task: TaskRef }

/**
 * The executor of a new handler. A task's module must be on the system's `offload.tasks`
 * allow-list, for child processes too (the list says which code may run on this node's data).
 */
export async function createExecutor(system: ActorSystem, runtime: SystemRuntime, target: HandlerTarget, name: string, options: ResolvedHandlerOptions): Promise<JobExecutor> {
  switch (target.kind) {
    case 'actor':
      return ActorPool.start(system, target.type, target.method, name, options.maxJobs)
    case 'entity':
      return new EntityJobs(system, target.type, target.method, name, target.key)
    case 'offload':
    case 'process': {
      const allowList = runtime.options.offload?.tasks
      if (!allowList) throw new TaskNotAllowedError(target.task.module, target.task.export, `the system has no offload option, whose tasks allow-list executeIn: '${target.kind}' needs`)
      // The allow-list holds sources' URLs (see resolveModuleSources): compare the task's the same way.
      if (!isModuleAllowed(allowList, sourceModuleHref(target.task.module))) throw new TaskNotAllowedError(target.task.module, target.task.export, 'the module is not in the offload.tasks allow-list of this system')
      if (target.kind === 'offload') return new OffloadJobs(system, target.task, name)
      const { ProcessJobs } = await import('./process-jobs.js')
      // Children resolve troupe's packages as this process does (to sources, in this repository).
      const execArgv = [...(import.meta.url.endsWith('.ts') ? [`--conditions=${SOURCE_CONDITION}`] : []), ...runtime.options.execArgv]
      return ProcessJobs.start(target.task, name, options.maxJobs, execArgv)
    }
  }
}
