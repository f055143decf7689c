// The options and dead-letter reason that issue 10 adds (time-sliced dispatcher, hang watchdog,
// accounted delivery), typed here so the tests written against them type-check before the
// runtime declares them. Once it does, these intersections collapse to the runtime's own types;
// this file can then be deleted and its uses replaced by plain option literals.
import type { ActorSystemOptions, SpawnOptions } from '../../src/index.js'

/** `'at-least-once'`: messages a dead worker had not processed are delivered again to the restarted actor. */
export type Delivery = 'at-least-once'

export interface Issue10SystemOptions {
  /** A dispatcher turn yields after this many ms as well as after `throughput` messages. Default 5. */
  readonly timeSliceMs?: number
  /** A worker is hung when one handler (one synchronous stretch) runs longer than this. Default 2000. */
  readonly handlerHangMs?: number
  /** The default delivery of every actor. Default: unprocessed messages of a dead worker become dead letters. */
  readonly delivery?: Delivery
}

export type SystemOptions = Partial<ActorSystemOptions> & Issue10SystemOptions

/** Options for `startSystem`, including the issue-10 ones (today's runtime ignores unknown keys). */
export function systemOptions(options: SystemOptions): Partial<ActorSystemOptions> {
  return options
}

/** Spawn options plus the per-actor `delivery`. */
export function spawnOptions<Args extends readonly unknown[]>(options: SpawnOptions<Args> & { readonly delivery?: Delivery }): SpawnOptions<Args> {
  return options
}

/**
 * The dead-letter reason of a message that was posted to a worker that died before processing
 * it. Typed `string` so that comparing it with `DeadLetter['reason']` compiles before the reason
 * is part of `DeadLetterReason`.
 */
export const WORKER_DIED: string = 'worker-died'
