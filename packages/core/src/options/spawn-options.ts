import type { Placement } from '../placement/placement.js'

/** Options for `system.spawn` and `ctx.spawn`. `args` is required when the constructor needs arguments. */
export type SpawnOptions<Args extends readonly unknown[] = []> = {
  /** A system-wide unique name, for `lookup`. Spawning a second live actor with it fails with `ActorNameTakenError`. */
  readonly name?: string
  /** Which thread hosts the actor. Default `'round-robin'` over the workers. */
  readonly placement?: Placement
} & ([] extends Args ? { readonly args?: Args } : { readonly args: Args })
