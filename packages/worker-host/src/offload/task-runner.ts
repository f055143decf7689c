import { workerData } from 'node:worker_threads'
import { TaskNotAllowedError, TaskNotFoundError } from '@troupe/core'
import { isModuleAllowed, toWireError } from '@troupe/core/internal'
import { settle, type ControlResult } from '../protocol/control.js'
import { isThenable } from '../host/message-target.js'
import { isBatchPayload, TaskState, type BatchPayload, type BatchResponse, type TaskPayload } from './batch-protocol.js'

type TaskFunction = (input: never) => unknown

const allowList = (workerData as { troupeOffload: { tasks: string[] } }).troupeOffload.tasks
const modules = new Map<string, Promise<Record<string, unknown>>>()
/** Resolved tasks by "module#export": checked and imported once, then a map lookup per task. */
const tasks = new Map<string, TaskFunction>()

/**
 * Runs one task, or a batch of them, in a pool thread (piscina's entry). The allow-list is
 * checked here too, for every task of a batch, so a task module can only run if the system
 * allowed it. Errors come back as data: structured clone would drop their `code` and class.
 */
export function runTask(payload: TaskPayload | BatchPayload): Promise<ControlResult<unknown> | BatchResponse> {
  return isBatchPayload(payload) ? runBatch(payload) : runOne(payload)
}

function runOne(payload: TaskPayload): Promise<ControlResult<unknown>> {
  return settle(async () => {
    const key = `${payload.module}#${payload.export}`
    let task = tasks.get(key)
    if (!task) tasks.set(key, (task = await load(payload.module, payload.export)))
    return await task(payload.input as never)
  })
}

/**
 * Runs a batch's tasks one after another, each settled on its own: one task's error is its own
 * result, not the batch's. A task main cancelled before it started is skipped. A task that
 * returns a plain value is not awaited: most are synchronous, and an await per task would cost a
 * microtask turn each.
 */
async function runBatch({ refs, which, inputs, state }: BatchPayload): Promise<BatchResponse> {
  const values: unknown[] = new Array(inputs.length)
  let errors: BatchResponse['errors']
  const functions = refs.map(([module, exportName]) => tasks.get(`${module}#${exportName}`))
  const started = performance.now()
  let loadMs = 0
  for (let i = 0; i < inputs.length; i++) {
    if (state && Atomics.compareExchange(state, i, TaskState.pending, TaskState.running) !== TaskState.pending) continue
    const ref = which[i] as number
    const task = functions[ref]
    if (task) {
      try {
        const value = task(inputs[i] as never)
        values[i] = isThenable(value) ? await value : value
      } catch (error) {
        ;(errors ??= [])[i] = toWireError(error)
      }
    } else {
      // First use in this thread: load (and check) it, outside the time that sizes batches.
      const loadStarted = performance.now()
      const [module, exportName] = refs[ref] as [string, string]
      const result = await runOne({ module, export: exportName, input: inputs[i] })
      if (result.ok) values[i] = result.value
      else (errors ??= [])[i] = result.error
      functions[ref] = tasks.get(`${module}#${exportName}`)
      loadMs += performance.now() - loadStarted
    }
    if (state) Atomics.store(state, i, TaskState.done)
  }
  return { values, errors, taskMs: performance.now() - started - loadMs }
}

async function load(module: string, exportName: string): Promise<TaskFunction> {
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
  return task as TaskFunction
}
