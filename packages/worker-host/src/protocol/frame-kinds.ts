// Frame kinds and lengths of the wire protocol (see wire.ts, which documents every frame).
/** A batch: frames back to back, as packed. */
export type Frames = unknown[]

// Frame kinds: the first slot of every frame but a plain delivery, whose first slot is its
// target (> 0). Plain module constants, not a `const enum`: with `isolatedModules` the compiler
// does not write a `const enum`'s numbers into other modules, and reading an enum object's
// property on every frame would cost the hot loops more than these constants do.
export const REPLY = -1
export const DEAD_LETTER = -2
export const DELIVER_PRIORITY = -4
export const FORWARD = -5
export const ROUTED = -6
export const DELIVER_CREDITED = -7
export const CREDIT = -8
export const REROUTED = -9
export const LEDGER = -10
export const SETTLED = -11
export const DELIVER_CHAIN = -12
export const SELECTOR = -13
export const DELIVER_RUN = -14
export const REPLY_RUN = -15
export const DELIVER_TRACED = -16

// Slots of each kind of frame, its first slot included.
export const DELIVER_SLOTS = 5
export const REPLY_SLOTS = 4
export const DEAD_LETTER_SLOTS = 6
export const DELIVER_PRIORITY_SLOTS = 7
export const FORWARD_SLOTS = 9
export const ROUTED_SLOTS = 3
export const DELIVER_CREDITED_SLOTS = 7
export const CREDIT_SLOTS = 3
export const REROUTED_SLOTS = 3
export const LEDGER_SLOTS = 3
export const SETTLED_SLOTS = 3
export const DELIVER_CHAIN_SLOTS = 8
export const SELECTOR_SLOTS = 3
export const DELIVER_TRACED_SLOTS = 9
/** Slots of a run before its bodies. */
export const DELIVER_RUN_HEAD = 6
/** Slots of a `Replies` frame before its values. */
export const REPLY_RUN_HEAD = 3

export const REPLY_OK = 0
export const REPLY_ERROR = 1
export type ReplyStatus = typeof REPLY_OK | typeof REPLY_ERROR

/** The first slot of the frame at `at`: its kind, or (> 0) the target of a plain delivery. */
export function frameKind(frames: Frames, at: number): number {
  return frames[at] as number
}

/** Whether the frame starting with `kind` delivers messages to an actor (and so has ledger bytes). */
export function isDelivery(kind: number): boolean {
  return kind > 0 || kind === DELIVER_PRIORITY || kind === DELIVER_CREDITED || kind === FORWARD || kind === DELIVER_CHAIN || kind === DELIVER_RUN || kind === DELIVER_TRACED
}

/** Messages in the frame at `at`: its ledger bytes (a run's count, 1 for another delivery, else 0). */
export function messagesIn(frames: Frames, at: number): number {
  const kind = frames[at] as number
  return kind === DELIVER_RUN ? (frames[at + 4] as number) : isDelivery(kind) ? 1 : 0
}

/** Slots of the frame at `at`, whatever its kind (a run's length depends on its count). */
export function frameLength(frames: Frames, at: number): number {
  const kind = frames[at] as number
  if (kind === DELIVER_RUN) return DELIVER_RUN_HEAD + (frames[at + 4] as number)
  if (kind === REPLY_RUN) return REPLY_RUN_HEAD + (frames[at + 2] as number)
  return frameSlots(kind)
}

/** Slots of the frame starting with `kind`. */
export function frameSlots(kind: number): number {
  if (kind > 0) return DELIVER_SLOTS
  switch (kind) {
    case REPLY:
      return REPLY_SLOTS
    case DEAD_LETTER:
      return DEAD_LETTER_SLOTS
    case DELIVER_PRIORITY:
      return DELIVER_PRIORITY_SLOTS
    case FORWARD:
      return FORWARD_SLOTS
    case ROUTED:
      return ROUTED_SLOTS
    case DELIVER_CREDITED:
      return DELIVER_CREDITED_SLOTS
    case CREDIT:
      return CREDIT_SLOTS
    case REROUTED:
      return REROUTED_SLOTS
    case LEDGER:
      return LEDGER_SLOTS
    case SETTLED:
      return SETTLED_SLOTS
    case DELIVER_CHAIN:
      return DELIVER_CHAIN_SLOTS
    case SELECTOR:
      return SELECTOR_SLOTS
    case DELIVER_TRACED:
      return DELIVER_TRACED_SLOTS
    case DELIVER_RUN:
    case REPLY_RUN:
      throw new Error('protocol error: a run has no fixed length (use frameLength)')
    default:
      throw new Error(`protocol error: unknown frame kind ${String(kind)}`)
  }
}
