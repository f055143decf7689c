import type { Placement } from '../placement/placement.js'
import type { RestartType, SupervisionOptions } from '../supervision/supervision-options.js'
import type { MailboxOptions } from '../mailbox/mailbox.js'
import type { DeliveryGuarantee } from './system-options.js'

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
  /** The mailbox: unbounded FIFO by default; bounded with an overflow policy; priority. */
  readonly mailbox?: MailboxOptions
  /**
   * A handler (or `onTerminated`, or a `pipeToSelf` continuation) still pending after this many
   * ms is a failure of the actor (`HandlerTimeoutError`), handled by its supervisor; its ask
   * rejects. JavaScript cannot stop the handler's work; its late result is ignored. Default: none.
   */
  readonly handlerTimeoutMs?: number
  /**
   * What happens to messages for this actor that its worker had not processed when it died:
   * dead letters with reason `'worker-died'` (`'at-most-once'`), or delivered again to the
   * restarted actor in each sender's order (`'at-least-once'`). Default: the system's `delivery`.
   */
  readonly delivery?: DeliveryGuarantee
} & ([] extends Args ? { readonly args?: Args } : { readonly args: Args })
