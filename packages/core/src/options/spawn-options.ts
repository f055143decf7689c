import type { Placement } from '../placement/placement.js'
import type { RestartType, SupervisionOptions } from '../supervision/supervision-options.js'
import type { MailboxOptions } from '../mailbox/mailbox.js'
import type { DeliveryGuarantee } from './system-options.js'
import { InvalidOptionError } from '../errors/errors.js'

/**
 * What an error thrown while handling an **ask** does. `'reply'` (default, RPC semantics as in
 * Pykka, Orleans, Dapr): it rejects that ask and the actor carries on with its state; the
 * supervisor is not involved. `'fail'` (Akka): it also fails the actor, and its supervisor decides.
 * Errors while handling a tell, `onTerminated`, a `pipeToSelf` continuation or a timer always fail
 * the actor, and so does a `HandlerTimeoutError`, even for an ask.
 */
export type AskErrorPolicy = 'reply' | 'fail'

/**
 * Whether other messages may run while a handler awaits. `'none'` (default): one message at a
 * time, across `await`. `'call-chain'`: only an ask that belongs to the same call chain as an
 * awaiting handler may enter (A asks B, B asks A: no deadlock; Orleans' call-chain reentrancy,
 * Dapr's reentrancy). `'interleave'`: any message may run while a handler awaits (Orleans'
 * `[Reentrant]`); still one synchronous piece at a time. See docs/reentrancy.md.
 */
export type ReentrancyMode = 'none' | 'call-chain' | 'interleave'

/** Options for `system.spawn` and `ctx.spawn`. `args` is required when the constructor needs arguments. */
export type SpawnOptions<Args extends readonly unknown[] = []> = {
  /** A system-wide unique name, for `lookup`. Spawning a second live actor with it fails with `ActorNameTakenError`. */
  readonly name?: string
  /** Which thread hosts the actor. Default: `'local'` for `ctx.spawn`, `'round-robin'` over the workers for `system.spawn`. */
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
  /** What an error thrown while handling an ask does. Default `'reply'`: the ask rejects, the actor keeps running with its state. */
  readonly askErrors?: AskErrorPolicy
  /** Whether messages may run while a handler awaits. Default `'none'`. */
  readonly reentrancy?: ReentrancyMode
} & ([] extends Args ? { readonly args?: Args } : { readonly args: Args })

/** Spawn options that keep the child on the spawning thread (`ctx.spawn` returns its ref at once). */
export type LocalSpawnOptions<Args extends readonly unknown[] = []> = SpawnOptions<Args> & { readonly placement?: 'local' }

/** Spawn options that place the child on another thread (`ctx.spawn` resolves once it has started). */
export type RemoteSpawnOptions<Args extends readonly unknown[] = []> = SpawnOptions<Args> & { readonly placement: Exclude<Placement, 'local'> }

const ASK_ERROR_POLICIES: readonly AskErrorPolicy[] = ['reply', 'fail']
const REENTRANCY_MODES: readonly ReentrancyMode[] = ['none', 'call-chain', 'interleave']

/** The `askErrors` spawn option, validated, with its default. */
export function resolveAskErrors(value: unknown): AskErrorPolicy {
  if (value === undefined) return 'reply'
  if (ASK_ERROR_POLICIES.includes(value as AskErrorPolicy)) return value as AskErrorPolicy
  throw new InvalidOptionError('askErrors', `one of ${ASK_ERROR_POLICIES.join(', ')}`, value)
}

/** The `reentrancy` spawn option, validated, with its default. */
export function resolveReentrancy(value: unknown): ReentrancyMode {
  if (value === undefined) return 'none'
  if (REENTRANCY_MODES.includes(value as ReentrancyMode)) return value as ReentrancyMode
  throw new InvalidOptionError('reentrancy', `one of ${REENTRANCY_MODES.join(', ')}`, value)
}
