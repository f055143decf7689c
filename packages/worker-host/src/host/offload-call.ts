import type { OffloadOptions, TaskFunction, TaskInput, TaskOutput, TaskRef } from '@troupe/core'
import type { SystemPort } from './host-options.js'

/** `ctx.offload`: the task runs in the system's pool; an abort is forwarded as a cancel of task `id`. */
export async function offloadTask<F extends TaskFunction>(
  system: SystemPort,
  id: number,
  task: TaskRef<F>,
  input: TaskInput<F>,
  options: Omit<OffloadOptions, 'transferList'> | undefined,
): Promise<TaskOutput<F>> {
  const { signal, timeoutMs } = options ?? {}
  signal?.throwIfAborted()
  const cancel = (): void => system.cancelOffload(id)
  signal?.addEventListener('abort', cancel, { once: true })
  try {
    return (await system.offload({ id, module: task.module, export: task.export, input, timeoutMs })) as TaskOutput<F>
  } catch (error) {
    if (signal?.aborted) throw signal.reason
    throw error
  } finally {
    signal?.removeEventListener('abort', cancel)
  }
}
