import { workerData } from 'node:worker_threads'
import { TaskNotAllowedError, TaskNotFoundError } from '@troupe/core'
import { isModuleAllowed } from '@troupe/core/internal'
import { settle, type ControlResult } from '../protocol/control.js'

/** What the pool runs: a task by module and export, with its input. */
export interface TaskPayload {
  module: string
  export: string
  input: unknown
}

const allowList = (workerData as { troupeOffload: { tasks: string[] } }).troupeOffload.tasks
const modules = new Map<string, Promise<Record<string, unknown>>>()
/** Resolved tasks by "module#export": checked and imported once, then a map lookup per task. */
const tasks = new Map<string, (input: never) => unknown>()

/**
 * Runs one task in a pool thread. The allow-list is checked here too, so a task module can only
 * run if the system allowed it. Errors come back as data: structured clone would drop their
 * `code` and class.
 */
export function runTask(payload: TaskPayload): Promise<ControlResult<unknown>> {
  return settle(async () => {
    const key = `${payload.module}#${payload.export}`
    let task = tasks.get(key)
    if (!task) tasks.set(key, (task = await load(payload.module, payload.export)))
    return await task(payload.input as never)
  })
}

async function load(module: string, exportName: string): Promise<(input: never) => unknown> {
  const href = new URL(module).href
  if (!isModuleAllowed(allowList, href)) throw new TaskNotAllowedError(href, exportName, 'the module is not in offload.tasks')
  let namespace = modules.get(href)
  if (!namespace) {
    namespace = import(href) as Promise<Record<string, unknown>>
    modules.set(href, namespace)
  }
  const task = (await namespace)[exportName]
  // Allowed but absent: a misspelled name, not a refusal.
  if (typeof task !== 'function') throw new TaskNotFoundError(href, exportName)
  return task as (input: never) => unknown
}
