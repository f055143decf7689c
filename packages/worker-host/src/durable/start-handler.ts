import { SystemShutdownError, type DurableHandler } from '@troupe/core'
import type { ActorSystem } from '../system/actor-system.js'
import type { SystemRuntime } from '../system/system-runtime.js'
import { consumerName, levelSubject } from '../protocol/durable-wire.js'
import { durableNode } from './durable-node.js'
import { DurableHandlerImpl } from './durable-handler.js'
import { createExecutor, type HandlerTarget } from './executors/create-executor.js'
import type { ResolvedHandlerOptions } from './handler-options.js'
import { ensureConsumer, wrap } from './jetstream-setup.js'

export interface HandlerRequest {
  readonly system: ActorSystem
  readonly runtime: SystemRuntime
  /** The troupe stream's name, and which level of it (0 its events, 1 their dead letters…). */
  readonly stream: string
  readonly level: number
  readonly name: string
  readonly target: HandlerTarget
  readonly options: ResolvedHandlerOptions
}

/**
 * Registers a handler on this node: the JetStream stream and the durable consumer exist (created
 * if missing), the executor is ready (the first actor of a pool has started, a process pool's
 * module is allow-listed), and the pull loop runs. Rejects with what failed, leaving nothing running.
 */
export async function startHandler(request: HandlerRequest): Promise<DurableHandler> {
  const { runtime, name, options, level } = request
  const node = await durableNode(runtime)
  if (node.closing || runtime.closing) throw new SystemShutdownError('stream.handle')
  const stream = await node.stream(request.stream)
  const consumer = consumerName(level, name)
  await ensureConsumer(node.jsm, { stream, name: consumer, subject: levelSubject(node.cluster, request.stream, level), options })
  const bound = await node.js.consumers.get(stream, consumer).catch((error: unknown) => {
    throw wrap(error, `cannot bind to the durable consumer ${consumer}`)
  })
  const executor = await createExecutor(request.system, runtime, request.target, name, options)
  if (node.closing) {
    await executor.close()
    throw new SystemShutdownError('stream.handle')
  }
  const handler = new DurableHandlerImpl({
    node,
    consumer: bound,
    name,
    stream: request.stream + '.dead'.repeat(level),
    deadSubject: levelSubject(node.cluster, request.stream, level + 1),
    consumerName: consumer,
    options,
    executor,
  })
  handler.start()
  return handler
}
