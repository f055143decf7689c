import { InvalidOptionError, type Subscription, type Topic, type TopicPublisher } from '@troupe/core'
import { MAX_TOPIC_NAME_LENGTH, PUBLISH, SUBSCRIBE, checkMessage, type ActorRefImpl } from '@troupe/core/internal'
import { envelope, settle, type Envelope } from '../host/envelope.js'
import type { LocalActors } from '../host/local-actors.js'
import { TopicDirectory } from './topic-directory.js'

/** What the topics of a thread need from it. */
export interface ThreadTopicsDeps {
  readonly thread: number
  readonly actors: LocalActors
  readonly maxMessageBytes: number
  /** A ref, usable from this thread, to the system service of `thread`. */
  service(thread: number): ActorRefImpl
  tell(ref: ActorRefImpl, selector: typeof PUBLISH | typeof SUBSCRIBE, body: unknown): void
  /** A main-thread listener threw. */
  listenerFailed(error: unknown): void
}

const NO_SUBSCRIPTION: Subscription = { unsubscribe() {} }

/**
 * Pub/sub on one thread. Subscribers are the actors of this thread (by id and method) and, on the
 * main thread, plain listeners. The main thread's `TopicDirectory` knows which threads have
 * subscribers of each topic: a thread tells it when its first subscriber of a topic comes and
 * when its last one goes. A publish goes to main (from a worker: one message), which sends it
 * once to each thread with subscribers; each thread fans it out to its own.
 */
export class ThreadTopics {
  readonly #deps: ThreadTopicsDeps
  /** topic → subscribing actor id → method. */
  readonly #actors = new Map<string, Map<number, string>>()
  /** topic → main-thread listeners. */
  readonly #listeners = new Map<string, Set<(message: unknown) => void>>()
  /** actor id → its topics, to drop them when it stops. */
  readonly #byActor = new Map<number, Set<string>>()
  /** Main thread only. */
  readonly directory: TopicDirectory | undefined

  constructor(deps: ThreadTopicsDeps) {
    this.#deps = deps
    this.directory = deps.thread === 0 ? new TopicDirectory({ deliverHere: (topic, message) => this.deliverHere(topic, message), sendTo: (thread, topic, message) => deps.tell(deps.service(thread), PUBLISH, [topic, message]) }) : undefined
  }

  /** The topic object `system.topic` (main) and `ctx.topic` give. */
  topic<T>(name: string): Topic<T> {
    checkTopicName(name)
    return {
      name,
      publish: (message: T) => this.publish(name, message),
      subscribe: (listener: (message: T) => void) => this.listen(name, listener as (message: unknown) => void),
    }
  }

  publisher<T>(name: string): TopicPublisher<T> {
    checkTopicName(name)
    return { name, publish: (message: T) => this.publish(name, message) }
  }

  /** Throws (`MessageEncodeError`) for what cannot be published. */
  check(message: unknown): void {
    checkMessage(message, this.#deps.maxMessageBytes)
  }

  publish(topic: string, message: unknown): void {
    checkMessage(message, this.#deps.maxMessageBytes)
    if (this.directory !== undefined) this.directory.publish(topic, message)
    else this.#deps.tell(this.#deps.service(0), PUBLISH, [topic, message])
  }

  /** `ctx.subscribe`: actor `id` of this thread gets the topic's messages as calls of `method`. */
  subscribeActor(id: number, topic: string | TopicPublisher<unknown>, method: unknown): Subscription {
    const name = typeof topic === 'string' ? topic : topic?.name
    checkTopicName(name)
    if (typeof method !== 'string' || method.length === 0) throw new InvalidOptionError('subscribe(method)', 'the name of a method of the actor', method)
    let subscribers = this.#actors.get(name)
    if (subscribers === undefined) this.#actors.set(name, (subscribers = new Map()))
    const first = !this.#has(name)
    subscribers.set(id, method)
    let topics = this.#byActor.get(id)
    if (topics === undefined) this.#byActor.set(id, (topics = new Set()))
    topics.add(name)
    if (first) this.#announce(name, true)
    return { unsubscribe: () => this.#unsubscribeActor(id, name, method) }
  }

  /** A main-thread listener. */
  listen(topic: string, listener: (message: unknown) => void): Subscription {
    if (this.directory === undefined) return NO_SUBSCRIPTION
    if (typeof listener !== 'function') throw new InvalidOptionError('subscribe(listener)', 'a function', listener)
    let listeners = this.#listeners.get(topic)
    if (listeners === undefined) this.#listeners.set(topic, (listeners = new Set()))
    const first = !this.#has(topic)
    // One entry per subscribe call, so the same function subscribed twice is called twice.
    const entry = (message: unknown): void => listener(message)
    listeners.add(entry)
    if (first) this.#announce(topic, true)
    let active = true
    return {
      unsubscribe: () => {
        if (!active) return
        active = false
        listeners.delete(entry)
        if (listeners.size === 0) this.#listeners.delete(topic)
        if (!this.#has(topic)) this.#announce(topic, false)
      },
    }
  }

  /** A `PUBLISH` or `SUBSCRIBE` message of this thread's system service. */
  received(message: Envelope): void {
    settle(message)
    const [topic, value] = message.body as [string, unknown]
    if (typeof topic !== 'string') return
    if (message.selector === SUBSCRIBE) this.directory?.subscribed(message.senderThread, topic, value === true)
    else if (this.directory !== undefined && message.senderThread !== 0) this.directory.publish(topic, value)
    else this.deliverHere(topic, value)
  }

  /** Fans a published message out to this thread's subscribers. */
  deliverHere(topic: string, message: unknown): void {
    const subscribers = this.#actors.get(topic)
    if (subscribers !== undefined) {
      for (const [id, method] of subscribers) this.#deps.actors.deliver(id, envelope(0, this.#deps.thread, 0, method, [message]))
    }
    const listeners = this.#listeners.get(topic)
    if (listeners === undefined) return
    for (const listener of listeners) {
      try {
        listener(message)
      } catch (error) {
        this.#deps.listenerFailed(error)
      }
    }
  }

  /** An actor of this thread stopped: its subscriptions end. A restart keeps them (same id). */
  actorStopped(id: number): void {
    const topics = this.#byActor.get(id)
    if (topics === undefined) return
    this.#byActor.delete(id)
    for (const topic of topics) this.#dropActor(id, topic)
  }

  /** Main: a worker died; its actors' subscriptions went with it (re-created actors subscribe again). */
  threadDied(thread: number): void {
    this.directory?.threadDied(thread)
  }

  #unsubscribeActor(id: number, topic: string, method: string): void {
    if (this.#actors.get(topic)?.get(id) !== method) return
    this.#byActor.get(id)?.delete(topic)
    this.#dropActor(id, topic)
  }

  #dropActor(id: number, topic: string): void {
    const subscribers = this.#actors.get(topic)
    if (subscribers === undefined || !subscribers.delete(id)) return
    if (subscribers.size === 0) this.#actors.delete(topic)
    if (!this.#has(topic)) this.#announce(topic, false)
  }

  #has(topic: string): boolean {
    return (this.#actors.get(topic)?.size ?? 0) > 0 || (this.#listeners.get(topic)?.size ?? 0) > 0
  }

  /** This thread's first subscriber of `topic` came, or its last went: main hears it. */
  #announce(topic: string, on: boolean): void {
    if (this.directory !== undefined) this.directory.subscribed(0, topic, on)
    else this.#deps.tell(this.#deps.service(0), SUBSCRIBE, [topic, on])
  }
}

function checkTopicName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_TOPIC_NAME_LENGTH) {
    throw new InvalidOptionError('topic', `a name of 1 to ${MAX_TOPIC_NAME_LENGTH} characters`, name)
  }
}

