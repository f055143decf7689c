// The façade of a durable stream. This module loads nothing of NATS: publishing, reading and
// handling import the JetStream side on first use, so `system.stream` costs nothing until then.
import { ClusterError, InvalidOptionError, SystemShutdownError, type ActorClass, type DeadLetterEvent, type DurableHandler, type DurableStream, type PublishOptions, type PublishReceipt, type ReadOptions, type StoredEvent, type TaskRef } from '@troupe/core'
import { checkKnownOptions, checkMessage, entityNameOf, isActorTypeRef, isEntityClass } from '@troupe/core/internal'
import type { ActorSystem } from '../system/actor-system.js'
import type { SystemRuntime } from '../system/system-runtime.js'
import type { HandlerTarget } from './executors/create-executor.js'
import { checkDurableName, resolveHandlerOptions, type ExecutionKind } from './handler-options.js'

const MAX_MS = 2 ** 31 - 1

/** `system.stream<T>(name)`: throws `ClusterError` on a system without the `cluster` option. */
export function openStream<T>(system: ActorSystem, runtime: SystemRuntime, name: string): DurableStream<T> {
  checkDurableName('name', name)
  if (!runtime.cluster) throw new ClusterError('system.stream needs a cluster: start the system with the cluster option ({ cluster: { servers, node } })')
  return new DurableStreamImpl<T>(system, runtime, name, 0)
}

/** A default handler name from the type (or task) and method, in the names' alphabet. */
function defaultName(parts: string[]): string {
  const name = parts.join('-').replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)
  return name.length > 0 ? name : 'handler'
}

function checkPublishOptions(options: unknown): PublishOptions {
  if (options === undefined) return {}
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'an object { msgId?, timeoutMs? }', options)
  checkKnownOptions(options, ['msgId', 'timeoutMs'])
  const { msgId, timeoutMs } = options as PublishOptions
  if (msgId !== undefined && (typeof msgId !== 'string' || msgId.length === 0 || msgId.length > 256)) throw new InvalidOptionError('msgId', 'a string of 1 to 256 characters', msgId)
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs >= 1 && timeoutMs <= MAX_MS)) throw new InvalidOptionError('timeoutMs', `an integer from 1 to ${MAX_MS}`, timeoutMs)
  return options as PublishOptions
}

function checkReadOptions(options: unknown): ReadOptions {
  if (options === undefined) return {}
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'an object { fromSeq?, limit? }', options)
  checkKnownOptions(options, ['fromSeq', 'limit'])
  const { fromSeq, limit } = options as ReadOptions
  if (fromSeq !== undefined && !(Number.isInteger(fromSeq) && fromSeq >= 1)) throw new InvalidOptionError('fromSeq', 'an integer from 1', fromSeq)
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 10_000)) throw new InvalidOptionError('limit', 'an integer from 1 to 10000', limit)
  return options as ReadOptions
}

/** Sorts `handle`'s arguments into a target and its options (the overloads are told apart at run time). */
function sortTarget(target: unknown, second: unknown, third: unknown): { target: HandlerTarget; kind: ExecutionKind; options: unknown; name: string } {
  if (typeof second === 'string') {
    if (second.length === 0) throw new InvalidOptionError('method', 'the name of a method of the type', second)
    const method = second
    if (isEntityClass(target) || (typeof target === 'object' && target !== null && typeof (target as { entityName?: unknown }).entityName === 'string')) {
      const type = target as Parameters<typeof entityNameOf>[0]
      const entityName = isEntityClass(target) ? entityNameOf(type) : (target as { entityName: string }).entityName
      const key = (third as { key?: unknown } | undefined)?.key as (event: unknown) => string
      return { target: { kind: 'entity', type, method, key }, kind: 'entity', options: third, name: defaultName([entityName, method]) }
    }
    if (typeof target === 'function') {
      if (typeof (target.prototype as Record<string, unknown> | undefined)?.[method] !== 'function') throw new InvalidOptionError('method', `a method of ${target.name}`, method)
      return { target: { kind: 'actor', type: target as ActorClass, method }, kind: 'actor', options: third, name: defaultName([target.name, method]) }
    }
    if (isActorTypeRef(target)) return { target: { kind: 'actor', type: target, method }, kind: 'actor', options: third, name: defaultName([target.export, method]) }
    throw new InvalidOptionError('type', 'an actor class, actorType(...), an Entity subclass or entityType(...)', target)
  }
  if (!isActorTypeRef(target)) throw new InvalidOptionError('task', 'a task from taskType(url, name), or an actor or entity type and a method name', target)
  const executeIn = (second as { executeIn?: unknown } | undefined)?.executeIn
  if (executeIn !== 'offload' && executeIn !== 'process') throw new InvalidOptionError('executeIn', "'offload' or 'process' for a task", executeIn)
  const task: TaskRef = { module: target.module, export: target.export }
  return { target: { kind: executeIn, task }, kind: executeIn, options: second, name: defaultName([task.export]) }
}

class DurableStreamImpl<T> implements DurableStream<T> {
  readonly #system: ActorSystem
  readonly #runtime: SystemRuntime
  /** The stream's own name; `level` says which of its dead-letter levels this is (0: its events). */
  readonly #base: string
  readonly #level: number
  #deadLetters: DurableStreamImpl<DeadLetterEvent<T>> | undefined

  constructor(system: ActorSystem, runtime: SystemRuntime, base: string, level: number) {
    this.#system = system
    this.#runtime = runtime
    this.#base = base
    this.#level = level
  }

  get name(): string {
    return this.#base + '.dead'.repeat(this.#level)
  }

  get deadLetters(): DurableStream<DeadLetterEvent<T>> {
    return (this.#deadLetters ??= new DurableStreamImpl<DeadLetterEvent<T>>(this.#system, this.#runtime, this.#base, this.#level + 1))
  }

  async publish(event: T, options?: PublishOptions): Promise<PublishReceipt> {
    if (this.#runtime.closing) throw new SystemShutdownError('stream.publish')
    const checked = checkPublishOptions(options)
    // The rules of messages (no functions, class instances, cycles…; bounded size) hold for events.
    checkMessage(event, this.#runtime.options.maxMessageBytes)
    const { publishEvent } = await import('./stream-io.js')
    return publishEvent(this.#runtime, this.#base, this.#level, event, checked)
  }

  async read(options?: ReadOptions): Promise<StoredEvent<T>[]> {
    if (this.#runtime.closing) throw new SystemShutdownError('stream.read')
    const checked = checkReadOptions(options)
    const { readEvents } = await import('./stream-io.js')
    return (await readEvents(this.#runtime, this.#base, this.#level, checked)) as StoredEvent<T>[]
  }

  async handle(target: unknown, second?: unknown, third?: unknown): Promise<DurableHandler> {
    if (this.#runtime.closing) throw new SystemShutdownError('stream.handle')
    const sorted = sortTarget(target, second, third)
    const options = resolveHandlerOptions(sorted.options, sorted.kind)
    const given = (sorted.options as { name?: unknown } | undefined)?.name
    const name = given === undefined ? sorted.name : checkDurableName('name', given)
    const { startHandler } = await import('./start-handler.js')
    return startHandler({ system: this.#system, runtime: this.#runtime, stream: this.#base, level: this.#level, name, target: sorted.target, options })
  }
}

export type { DurableStream }
