/** What the main thread's topic directory needs. */
export interface TopicDirectoryDeps {
  /** Fans a message out to the main thread's own subscribers. */
  deliverHere(topic: string, message: unknown): void
  /** Sends a message to `thread`, whose subscribers get it there. */
  sendTo(thread: number, topic: string, message: unknown): void
}

/** Carries a node's topics to the other nodes of its cluster (see ClusterTopics). */
export interface TopicBridge {
  /** This node has subscribers of `topic` now (`on`), or none any more. */
  subscribed(topic: string, on: boolean): void
  /** A message published on this node: the other nodes' subscribers get it too. */
  published(topic: string, message: unknown): void
}

/**
 * Which threads have subscribers of each topic: the main thread's view, kept from what each
 * thread tells it (first subscriber in, last one out). A publish is sent once to each of them.
 * Nothing per subscriber lives here, only per thread, so a million subscribers on 64 workers
 * cost main 64 entries per topic.
 */
export class TopicDirectory {
  readonly #deps: TopicDirectoryDeps
  readonly #threads = new Map<string, Set<number>>()
  /** Set on a node of a cluster: topics span the nodes. */
  bridge: TopicBridge | undefined

  constructor(deps: TopicDirectoryDeps) {
    this.#deps = deps
  }

  subscribed(thread: number, topic: string, on: boolean): void {
    let threads = this.#threads.get(topic)
    if (on) {
      if (threads === undefined) {
        this.#threads.set(topic, (threads = new Set()))
        this.bridge?.subscribed(topic, true)
      }
      threads.add(thread)
    } else if (threads !== undefined) {
      threads.delete(thread)
      if (threads.size === 0) this.#drop(topic)
    }
  }

  #drop(topic: string): void {
    this.#threads.delete(topic)
    this.bridge?.subscribed(topic, false)
  }

  /** A message published on this node: to this node's subscribers, and to the other nodes'. */
  publish(topic: string, message: unknown): void {
    this.bridge?.published(topic, message)
    this.deliver(topic, message)
  }

  /** To this node's subscribers only (a message published here, or on another node). */
  deliver(topic: string, message: unknown): void {
    const threads = this.#threads.get(topic)
    if (threads === undefined) return
    for (const thread of threads) {
      if (thread === 0) this.#deps.deliverHere(topic, message)
      else this.#deps.sendTo(thread, topic, message)
    }
  }

  threadDied(thread: number): void {
    for (const [topic, threads] of this.#threads) {
      threads.delete(thread)
      if (threads.size === 0) this.#drop(topic)
    }
  }

  /** Threads with subscribers of `topic` (tests, stats). */
  threadsOf(topic: string): number[] {
    return [...(this.#threads.get(topic) ?? [])].sort((a, b) => a - b)
  }
}
