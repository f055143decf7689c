import type { MessageMethodName } from '../actor/message-types.js'

/**
 * A pub/sub topic (Erlang's `pg`, Dapr's pubsub), named by a string: `system.topic<T>(name)` on
 * the main thread, `this.ctx.topic<T>(name)` in an actor. A publish crosses to each thread with
 * subscribers once, and fans out there. Per publisher, subscribers get messages in publish order.
 * Delivery is at most once: a subscriber on a worker that dies misses what was in flight.
 */
export interface TopicPublisher<T> {
  readonly name: string
  /** Sends `message` to every subscriber of the topic. Plain data, like any message. */
  publish(message: T): void
}

/** A topic as the main thread has it: it can also subscribe a plain callback (to bridge a websocket, say). */
export interface Topic<T> extends TopicPublisher<T> {
  /**
   * Calls `listener` on the main thread with every message published from now on, until
   * `unsubscribe()`. A listener that throws does not stop the others; its error is reported as
   * an `actor-failed` event of actor 0.
   */
  subscribe(listener: (message: T) => void): Subscription
}

export interface Subscription {
  /** Ends the subscription; idempotent. */
  unsubscribe(): void
}

/**
 * The method of actor `Self` a subscription to a topic of `T` delivers to: one that takes a `T`.
 * An actor declared without `Self` (`extends Actor`) may name any method.
 */
export type SubscriberMethod<Self, T> = unknown extends Self
  ? string
  : { [K in MessageMethodName<Self>]: Self[K] extends (message: T) => unknown ? K : never }[MessageMethodName<Self>]

/** Topic names: 1 to 200 characters. */
export const MAX_TOPIC_NAME_LENGTH = 200
