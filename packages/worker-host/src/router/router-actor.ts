import { Actor, InvalidOptionError, type ActorRef, type ActorTypeRef, type DeferredReply, type SpawnOptions } from '@troupe/core'
import { SYNC, validateRouterSize, type ActorRefImpl, type RoutingSpec } from '@troupe/core/internal'
import type { SpawnInput } from '../host/spawn-request.js'
import type { RouterCell } from './router-cell.js'

/** The spawn-order module of routers: not a file; every host builds routers itself. */
export const ROUTER_MODULE = 'troupe:router'
export const ROUTER_EXPORT = 'Router'

/** A router's constructor argument: everything needed to build it again after a crash. */
export interface RouterArgs {
  readonly routing: RoutingSpec
  /** A pool router: the routees' class and spawn options, and how many. */
  readonly pool?: { readonly type: ActorTypeRef; readonly size: number; readonly options: SpawnInput }
  /** A group router: its routees. */
  readonly group?: readonly ActorRef[]
}

/** Management operations, sent with the `ROUTER_CONTROL` selector as `[op, argument]`. */
export type RouterControl = ['routees'] | ['resize', number] | ['add', ActorRef] | ['remove', ActorRef]

/**
 * The actor behind a router: it owns the routee list. A pool router spawns its routees as its
 * children (so it supervises them with its `supervision` options) and resizes; a group router
 * routes to refs it is given. Both watch their routees and drop one that stops. Messages for
 * the routees never reach this actor: its cell routes them as they arrive.
 */
export class RouterActor extends Actor {
  readonly #cell: RouterCell
  readonly #args: RouterArgs

  constructor(cell: RouterCell, args: RouterArgs) {
    super()
    this.#cell = cell
    this.#args = args
    cell.reset(args.routing)
  }

  async onStart(): Promise<void> {
    if (this.#args.pool) await this.#grow(this.#args.pool.size)
    for (const routee of this.#args.group ?? []) await this.#add(routee as unknown as ActorRefImpl)
    this.#cell.open()
  }

  onTerminated(routee: ActorRef): void {
    this.#cell.table.remove(routee.id)
    this.#cell.drain()
  }

  /** Management operations, one at a time; a bad one is refused to its caller without failing the router. */
  #operations: Promise<unknown> = Promise.resolve()

  control(...message: RouterControl): DeferredReply<unknown> {
    const reply = this.ctx.deferReply<unknown>()
    const run = (): Promise<unknown> => this.#control(...message).then(reply.resolve, reply.reject)
    this.#operations = this.#operations.then(run, run)
    return reply
  }

  async #control(...[op, argument]: RouterControl): Promise<unknown> {
    switch (op) {
      case 'routees':
        return this.#cell.table.routees()
      case 'resize':
        return this.#resize(validateRouterSize(argument))
      case 'add':
        if (this.#args.pool) throw new InvalidOptionError('add', 'used on a group router (a pool router grows with resize)', 'a pool router')
        await this.#add(argument as unknown as ActorRefImpl)
        return this.#cell.table.routees()
      case 'remove': {
        if (this.#args.pool) throw new InvalidOptionError('remove', 'used on a group router (a pool router shrinks with resize)', 'a pool router')
        const removed = this.#cell.table.remove(argument.id)
        if (removed) await this.ctx.unwatch(removed)
        return this.#cell.table.routees()
      }
    }
  }

  async #resize(size: number): Promise<void> {
    if (!this.#args.pool) throw new InvalidOptionError('resize', 'used on a pool router (a group router changes with add and remove)', 'a group router')
    const current = this.#cell.table.size
    if (size > current) await this.#grow(size - current)
    // The newest go. Each first processes what was already forwarded to it: the stop comes from
    // the main thread, over another channel than those messages, so it could overtake them; a
    // sync message on the router's own channel cannot.
    const leaving = this.#cell.table.routees().slice(size)
    for (const routee of leaving) this.#cell.table.remove(routee.id)
    this.#cell.drain()
    await Promise.all(leaving.map((routee) => routee.runtime.ask(routee, SYNC, undefined, undefined).catch(() => undefined)))
    for (const routee of leaving.reverse()) this.ctx.stop(routee)
  }

  async #grow(count: number): Promise<void> {
    const pool = this.#args.pool!
    // The options were validated on the main thread when the router was created.
    // Routees spread over the workers unless told otherwise (a local child is `ctx.spawn`'s default).
    const given = pool.options as SpawnOptions<never[]>
    const options: SpawnOptions<never[]> = { ...given, placement: given.placement ?? 'round-robin' }
    const spawned = await Promise.all(Array.from({ length: count }, () => this.ctx.spawn(pool.type, options)))
    for (const routee of spawned) await this.#add(routee as unknown as ActorRefImpl)
  }

  async #add(routee: ActorRefImpl): Promise<void> {
    if (!this.#cell.table.add(routee)) return
    // A routee that is already gone is reported at once by the watch, and removed again.
    await this.ctx.watch(routee)
    this.#cell.drain()
  }
}
