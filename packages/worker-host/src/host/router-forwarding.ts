import type { DeadLetterReason } from '@troupe/core'
import type { ActorRefImpl, KeyFunction } from '@troupe/core/internal'
import type { LinkTable } from '../transport/link-table.js'
import type { RouterCellHost } from '../router/router-cell.js'
import type { RouterRequestContext } from '../router/router-request.js'
import { routed, settle, type Envelope, type Route } from './envelope.js'
import type { LocalActors } from './local-actors.js'
import type { ModuleRegistry } from './module-registry.js'
import type { PendingAsks } from './pending-asks.js'

export interface RouterForwardingDeps {
  readonly thread: number
  readonly asks: PendingAsks
  readonly links: LinkTable
  readonly actors: LocalActors
  readonly registry: ModuleRegistry
  readonly workerCount: number
  readonly maxMessageBytes: number
  /** True once the host has closed: nothing more goes over its links. */
  closed(): boolean
  undeliverable(recipient: number, envelope: Envelope, reason: DeadLetterReason): void
}

/**
 * What routers on this thread need from it: forwarding a message to a routee (here or on another
 * thread) with its original sender and correlation, the completion reports routers that track
 * their routees' load wait for, and (on the main thread) the key functions of hash routers.
 */
export class RouterForwarding implements RouterCellHost {
  readonly #deps: RouterForwardingDeps
  /** The route object of each router that tracked a message here (one per router, shared). */
  readonly #routes = new Map<number, Route>()
  /** Main thread: consistent-hash key functions of routers placed here, by token. */
  readonly #keyFunctions = new Map<string, KeyFunction>()

  constructor(deps: RouterForwardingDeps) {
    this.#deps = deps
  }

  /** Routes kept (one per router that tracked a message here), for `retainedIds`. */
  get routes(): number {
    return this.#routes.size
  }

  forward(routee: ActorRefImpl, original: Envelope, route: Route | undefined, rehome: boolean): void {
    const { thread, links } = this.#deps
    // An ask now depends on the routee's thread, not on this one: its asker must know, so that
    // the ask fails at once if that thread dies instead of waiting out its deadline.
    if (rehome && original.correlation !== 0 && routee.home !== thread) {
      const correlation = Math.abs(original.correlation)
      if (original.senderThread === thread) this.#deps.asks.rehome(correlation, routee.home)
      else if (!this.#deps.closed()) links.get(original.senderThread).rerouted(correlation, routee.home)
    }
    if (routee.home === thread) {
      this.#deps.actors.deliver(routee.id, routed(original, route))
    } else if (this.#deps.closed()) {
      this.#deps.undeliverable(routee.id, routed(original, route), 'shutdown')
    } else {
      // Handed on: the forward is a message of this thread now, under this thread's accounting.
      settle(original)
      const { sender, senderThread, correlation, selector, body, priority } = original
      links.get(routee.home).forward(routee.id, sender, senderThread, correlation, selector, body, priority, route?.router ?? 0)
    }
  }

  routeOf(router: number, thread: number): Route {
    let route = this.#routes.get(router)
    if (route === undefined || route.thread !== thread) {
      route = { router, thread }
      this.#routes.set(router, route)
    }
    return route
  }

  /** `routee` is done with a message the router of `route` forwarded: its router hears so. */
  routeeDone(route: Route, routee: number): void {
    if (route.thread !== this.#deps.thread) {
      if (!this.#deps.closed()) this.#deps.links.get(route.thread).routed(route.router, routee)
      return
    }
    this.#deps.actors.routed(route.router, routee)
  }

  localKeyFunction(token: string): KeyFunction | undefined {
    return this.#keyFunctions.get(token)
  }

  /** What building a router's request needs from this thread. */
  get requestContext(): RouterRequestContext {
    const { registry, workerCount, maxMessageBytes } = this.#deps
    return {
      registry,
      workerCount,
      maxMessageBytes,
      registerKeyFunction: (keyFunction) => {
        const token = `key-${this.#keyFunctions.size + 1}`
        this.#keyFunctions.set(token, keyFunction)
        return token
      },
    }
  }
}
