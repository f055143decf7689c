import { InvalidOptionError, type ActorRef, type GroupRouter, type PoolRouter } from '@troupe/core'
import { ActorRefImpl, ROUTER_CONTROL, validateRouterSize, type RefRuntime } from '@troupe/core/internal'
import type { RouterArgs, RouterControl } from './router-actor.js'

/**
 * What `system.router(...)` returns: the router's ref, plus its management calls, which travel
 * to the router as system messages. A copy of the ref sent in a message is a plain `ActorRef`
 * that routes the same way.
 */
export class RouterHandle<A> extends ActorRefImpl<A> implements PoolRouter<A>, GroupRouter<A> {
  readonly #args: RouterArgs
  readonly #remember: (args: RouterArgs) => void

  /** `remember` records a group's new membership, so a router re-created after a crash has it. */
  constructor(id: number, home: number, node: number, name: string | undefined, runtime: RefRuntime, args: RouterArgs, remember: (args: RouterArgs) => void) {
    super(id, home, name, runtime, undefined, 0, node)
    this.#args = args
    this.#remember = remember
  }

  routees(): Promise<ActorRef<A>[]> {
    return this.#control(['routees']) as Promise<ActorRef<A>[]>
  }

  async resize(size: number): Promise<void> {
    await this.#control(['resize', validateRouterSize(size)])
  }

  async add(routee: ActorRef<A>): Promise<void> {
    checkRef(routee)
    this.#remember({ ...this.#args, group: (await this.#control(['add', routee])) as ActorRef[] })
  }

  async remove(routee: ActorRef<A>): Promise<void> {
    checkRef(routee)
    this.#remember({ ...this.#args, group: (await this.#control(['remove', routee])) as ActorRef[] })
  }

  #control(message: RouterControl): Promise<unknown> {
    return this.runtime.ask(this, ROUTER_CONTROL, message, undefined)
  }
}

function checkRef(routee: unknown): void {
  if (!(routee instanceof ActorRefImpl)) throw new InvalidOptionError('routee', 'an ActorRef', routee)
}
