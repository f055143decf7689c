import { InvalidOptionError } from '@troupe/core'
import type { ActorContext, ActorRef, Cancellable, DeferredReply, EntityClass, EntityTypeRef, SubscriberMethod, Subscription, TopicPublisher, UntypedActorRef } from '@troupe/core'
import { entityRef } from '../entity/entity-ref.js'
import type { ActorRefImpl } from '@troupe/core/internal'
import type { ActorCell } from './actor-cell.js'
import type { SpawnInput } from './spawn-request.js'
import type { Host } from './host.js'
import { spawnChannel, type SpawnContext } from '../diagnostics/channels.js'
import { spawnTypeName, traceOperation } from '../diagnostics/trace-operation.js'

/**
 * The ref `ctx.sender` returns. The host keeps the last one it made: answering each message of a
 * stream through `ctx.sender.tell...` would otherwise build a ref, and its message functions, per
 * message. Refs are immutable, so the actors of one host can share it.
 */
function senderRef(host: Host, id: number, thread: number): ActorRefImpl {
  const last = host.lastSender
  if (last !== undefined && last.id === id && last.home === thread) return last
  return (host.lastSender = host.refTo(id, thread))
}

/** `this.ctx` of an actor hosted on this thread. */
export class HostedActorContext implements ActorContext {
  readonly #cell: ActorCell
  readonly #host: Host

  constructor(cell: ActorCell, host: Host) {
    this.#cell = cell
    this.#host = host
  }

  get self(): ActorRef {
    return this.#cell.self
  }

  // Refs are callable with a message whatever their actor type: the untyped view is exact.
  get parent(): UntypedActorRef | undefined {
    return this.#cell.parent as UntypedActorRef | undefined
  }

  get name(): string | undefined {
    return this.#cell.self.name
  }

  get thread(): number {
    return this.#host.thread
  }

  get sender(): UntypedActorRef | undefined {
    const envelope = this.#cell.currentEnvelope()
    if (envelope === undefined || envelope.sender === 0) return undefined
    return senderRef(this.#host, envelope.sender, envelope.senderThread) as ActorRef as UntypedActorRef
  }

  // Defined on the prototype below: one implementation behind the overloads (the placement
  // decides whether a ref or a promise comes back), and no closure per actor.
  declare spawn: ActorContext['spawn']
  declare offload: ActorContext['offload']

  spawnChild(type: unknown, options?: SpawnInput): ActorRef | Promise<ActorRef> {
    if (!spawnChannel.hasSubscribers) return this.#host.spawnChild(this.#cell, type, options)
    const context: SpawnContext = { thread: this.#host.thread, parent: this.#cell.id, actorType: spawnTypeName(type) }
    return traceOperation(spawnChannel, context, () => this.#host.spawnChild(this.#cell, type, options))
  }

  offloadTask(...args: Parameters<ActorContext['offload']>): ReturnType<ActorContext['offload']> {
    return this.#host.offload(...args)
  }

  stop(ref: ActorRef = this.#cell.self): void {
    // Fire and forget by design; a failure here means the actor is already gone.
    this.#host.lifecycle.stopAndForget(ref as ActorRefImpl, ref.id === this.#cell.id)
  }

  entity<C extends EntityClass>(type: C | EntityTypeRef<C>, key: string): ActorRef<InstanceType<C>> {
    return entityRef(this.#host, type, key)
  }

  topic<T>(name: string): TopicPublisher<T> {
    return this.#host.topics.publisher<T>(name)
  }

  subscribe<T>(topic: string | TopicPublisher<T>, method: SubscriberMethod<unknown, T>): Subscription {
    return this.#host.topics.subscribeActor(this.#cell.id, topic as string | TopicPublisher<unknown>, method)
  }

  lookup<A = unknown>(name: string, options?: { readonly node?: string }): Promise<ActorRef<A> | undefined> {
    const node = options?.node
    if (node !== undefined && typeof node !== 'string') return Promise.reject(new InvalidOptionError('node', "a node's name", node))
    return this.#host.lifecycle.lookup<A>(name, node)
  }

  watch(ref: ActorRef): Promise<void> {
    return this.#host.watch(this.#cell.id, ref as ActorRefImpl, true)
  }

  unwatch(ref: ActorRef): Promise<void> {
    return this.#host.watch(this.#cell.id, ref as ActorRefImpl, false)
  }


  pipeToSelf<T>(promise: PromiseLike<T>, onSuccess: (value: T) => unknown, onFailure?: (error: unknown) => unknown): void {
    this.#cell.pipeToSelf(promise, onSuccess, onFailure)
  }

  stash(): void {
    this.#cell.stash()
  }

  unstashAll(): void {
    this.#cell.unstashAll()
  }

  schedule(delayMs: number, callback: () => unknown): Cancellable {
    return this.#cell.schedule(delayMs, callback)
  }

  every(intervalMs: number, callback: () => unknown): Cancellable {
    return this.#cell.every(intervalMs, callback)
  }

  deferReply<T = unknown>(): DeferredReply<T> {
    return this.#cell.deferReply<T>()
  }
}

HostedActorContext.prototype.spawn = HostedActorContext.prototype.spawnChild as ActorContext['spawn']
HostedActorContext.prototype.offload = HostedActorContext.prototype.offloadTask as ActorContext['offload']
