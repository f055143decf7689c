// The actor of skynet.*: workers import this module, so it holds only actor classes.
import { Actor, type ActorRef, type DeferredReply, type Placement } from 'troupe'

/**
 * Where a node puts its children: `'local'` on its own thread through `ctx.spawn`'s default
 * (synchronous, the main thread never hears of them); `'spread'`: the root puts its children on
 * the workers in turn and every other node is `'local'`, so each worker grows whole subtrees (as
 * Erlang's schedulers share a tree's processes); `'colocate'` on its own thread too, but through
 * the main thread (`{ colocateWith: self }`, asynchronous); `'round-robin'` on the next worker in
 * turn, at every level. The last two are kept to compare the paths.
 */
export type SkynetPlacement = 'local' | 'spread' | 'colocate' | 'round-robin'

/** Children per node. */
export const FANOUT = 10

/**
 * One node of the Skynet tree: the subtree of `size` leaves numbered `num` .. `num + size - 1`.
 * A leaf (size 1) reports its number to its parent; any other node spawns FANOUT children in
 * `onStart` (without waiting for them, so the tree grows in parallel), adds up their reports
 * and reports the sum. The root, spawned from the main thread, has no parent: it answers the
 * `sum()` ask instead. A node stops itself once it has reported, as in the classic benchmark.
 */
export class SkynetNode extends Actor<SkynetNode> {
  readonly #num: number
  readonly #size: number
  readonly #placement: SkynetPlacement
  readonly #stopWhenDone: boolean
  #pending = FANOUT
  #sum = 0
  #result: number | undefined
  #waiter: DeferredReply<number> | undefined

  constructor(num: number, size: number, placement: SkynetPlacement, stopWhenDone: boolean) {
    super()
    this.#num = num
    this.#size = size
    this.#placement = placement
    this.#stopWhenDone = stopWhenDone
  }

  onStart(): void {
    if (this.#size === 1) {
      this.#report(this.#num)
      return
    }
    const size = this.#size / FANOUT
    if (!Number.isInteger(size)) throw new Error(`subtree size ${this.#size} is not a multiple of ${FANOUT}`)
    // A spread tree's children (below its root) grow their subtrees where they are.
    const childPlacement = this.#placement === 'spread' ? 'local' : this.#placement
    for (let i = 0; i < FANOUT; i++) {
      const args: [number, number, SkynetPlacement, boolean] = [this.#num + i * size, size, childPlacement, this.#stopWhenDone]
      // A local spawn that fails throws here, which fails this node and the run.
      if (this.#placement === 'local') this.ctx.spawn(SkynetNode, { args })
      else this.#spawnThroughMain(i, args)
    }
  }

  #spawnThroughMain(i: number, args: [number, number, SkynetPlacement, boolean]): void {
    const placement: Placement = this.#placement === 'colocate' ? { colocateWith: this.ctx.self } : 'round-robin'
    // A failed spawn must fail the run visibly, not leave the sum unanswered.
    Promise.resolve(this.ctx.spawn(SkynetNode, { args, placement })).catch((error: unknown) => {
      this.ctx.self.tell.fail(`spawn of child ${i} failed: ${error instanceof Error ? error.message : String(error)}`)
    })
  }

  /** A child's sum. */
  result(sum: number): void {
    this.#sum += sum
    if (--this.#pending === 0) this.#report(this.#sum)
  }

  /** The root's latch, asked from the main thread: answered once the whole tree has reported. */
  sum(): number | DeferredReply<number> {
    if (this.#result !== undefined) return this.#result
    this.#waiter = this.ctx.deferReply<number>()
    return this.#waiter
  }

  /** Throws, so the failure shows as an actor-failed event and fails the run. */
  fail(reason: string): never {
    throw new Error(`skynet node ${this.#num}/${this.#size}: ${reason}`)
  }

  #report(sum: number): void {
    const parent = this.ctx.parent as ActorRef<SkynetNode> | undefined
    if (parent === undefined) {
      // The root: keep the answer for sum(); the main thread stops it.
      this.#result = sum
      this.#waiter?.resolve(sum)
      return
    }
    parent.tell.result(sum)
    if (this.#stopWhenDone) this.ctx.stop()
  }
}
