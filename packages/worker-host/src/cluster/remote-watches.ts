import { NodeDownError } from '@troupe/core'
import { TERMINATED, WATCH, type ActorRefImpl, type Selector } from '@troupe/core/internal'
import { serviceId } from '../host/actor-ids.js'

/** What remote death watch needs from its thread's host. */
export interface RemoteWatchHost {
  readonly thread: number
  refAt(id: number, thread: number, name: string | undefined, node: number): ActorRefImpl
  refTo(id: number, thread: number): ActorRefImpl
  ask(ref: ActorRefImpl, selector: Selector, body: unknown, options: undefined): Promise<unknown>
  tell(ref: ActorRefImpl, selector: Selector, body: unknown): void
}

/**
 * Death watch of actors of other nodes, from the watchers on this thread. The watch itself is
 * kept by the watched actor's node (its main thread's death watch, asked with `WATCH`), which
 * sends `TERMINATED` over NATS when the actor stops. What this side keeps is who watches what on
 * each node, because a node that goes down sends nothing: its watched actors are then reported
 * terminated from here (Akka's rule: a watched actor on a node that is down is terminated).
 */
export class RemoteWatches {
  readonly #host: RemoteWatchHost
  /** node → `${watcher}:${watched}` → [watcher, watched, its thread]. */
  readonly #byNode = new Map<number, Map<string, readonly [number, number, number]>>()

  constructor(host: RemoteWatchHost) {
    this.#host = host
  }

  async watch(watcher: number, watched: ActorRefImpl, on: boolean): Promise<void> {
    const key = `${watcher}:${watched.id}`
    let watches = this.#byNode.get(watched.node)
    if (on) {
      if (!watches) this.#byNode.set(watched.node, (watches = new Map()))
      watches.set(key, [watcher, watched.id, watched.home])
    } else {
      watches?.delete(key)
    }
    const service = this.#host.refAt(serviceId(0), 0, undefined, watched.node)
    try {
      await this.#host.ask(service, WATCH, [watcher, watched.id, watched.home, on], undefined)
    } catch (error) {
      if (!(error instanceof NodeDownError)) throw error
      // Its node is down already: unwatching is done; watching a gone actor reports it at once
      // (once: nodeDown may have reported it meanwhile).
      if (on && this.#byNode.get(watched.node)?.delete(key)) this.#terminated(watcher, watched.id, watched.home, watched.node)
    }
  }

  /** Node `node` is down: every actor watched there is reported terminated to its watchers here. */
  nodeDown(node: number): void {
    const watches = this.#byNode.get(node)
    this.#byNode.delete(node)
    for (const [watcher, watched, thread] of watches?.values() ?? []) this.#terminated(watcher, watched, thread, node)
  }

  /** The watched actor's node reported it terminated: it is no longer watched from here. */
  forget(node: number, watcher: number, watched: number): void {
    this.#byNode.get(node)?.delete(`${watcher}:${watched}`)
  }

  #terminated(watcher: number, watched: number, thread: number, node: number): void {
    this.#host.tell(this.#host.refTo(watcher, this.#host.thread), TERMINATED, [watched, thread, undefined, node])
  }
}
