import { Actor, type ActorRef } from 'troupe'
import { printLine, type NodeLine } from '../shared/node-process.js'
import type { Outbox } from './outbox.js'

/**
 * A named actor on each node's main thread: the handlers' actors are constructed without
 * arguments and `ctx.lookup` sees only their own node, so they ask it for the outbox's ref (of
 * node a) and for this node's name. It also prints their reports as the node's JSON lines.
 */
export class Directory extends Actor {
  readonly #node: string
  readonly #outbox: ActorRef<Outbox>

  constructor(node: string, outbox: ActorRef<Outbox>) {
    super()
    this.#node = node
    this.#outbox = outbox
  }

  info(): { node: string; outbox: ActorRef<Outbox> } {
    return { node: this.#node, outbox: this.#outbox }
  }

  print(line: NodeLine): void {
    printLine({ ...line, node: this.#node })
  }
}
