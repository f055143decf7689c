import type { Placement } from '../placement/placement.js'
import type { RestartType, SupervisionOptions } from '../supervision/supervision-options.js'

/** Options for `system.spawn` and `ctx.spawn`. `args` is required when the constructor needs arguments. */
export type SpawnOptions<Args extends readonly unknown[] = []> = {
  /** A system-wide unique name, for `lookup`. Spawning a second live actor with it fails with `ActorNameTakenError`. */
  readonly name?: string
  /** Which thread hosts the actor. Default `'round-robin'` over the workers. */
  readonly placement?: Placement
  /** When the parent's supervisor restarts this actor. Default `'transient'` (after failures only). */
  readonly restart?: RestartType
  /** How this actor supervises the children it spawns. Default one-for-one, 3 restarts in 5 s. */
  readonly supervision?: SupervisionOptions
} & ([] extends Args ? { readonly args?: Args } : { readonly args: Args })
