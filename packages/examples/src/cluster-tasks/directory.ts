import { Actor, type ActorRef } from 'troupe'
import { printLine } from '../shared/node-process.js'
import type { Tally } from './tally.js'

/** What a job's actor needs to know about the node it runs on. */
export interface NodeInfo {
  readonly node: string
  readonly slowness: number
  /** The tally on node a: a ref of another node (except on a), passed on in a message. */
  readonly tally: ActorRef<Tally>
}

/**
 * A named actor on each node's main thread. The durable handler constructs its actors without
 * arguments, and an actor's `ctx.lookup` sees only its own node, so the job actors ask this one
 * (by name, on their node) for the tally's ref, which the node's main looked up on node a.
 */
export class Directory extends Actor {
  readonly #info: NodeInfo

  constructor(info: NodeInfo) {
    super()
    this.#info = info
  }

  info(): NodeInfo {
    return this.#info
  }

  /**
   * A job's effect was applied (or found applied) from this node. Printed by this actor, on the
   * node's main thread, so the launcher knows when a node holds a job whose effect is applied
   * and not yet acknowledged: the moment it picks to kill node c.
   */
  applied(id: string, attempt: number, result: 'applied' | 'duplicate'): void {
    printLine({ type: 'applied', node: this.#info.node, id, attempt, result })
  }
}
