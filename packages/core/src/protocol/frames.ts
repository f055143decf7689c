/**
 * The data-plane wire protocol. A batch is one msgpack array holding frames back to back; the
 * first slot of a frame says what it is. Frames are flat (no per-frame array) because one
 * `pack` over a flat array is the cheapest encoding msgpackr offers.
 *
 *   Deliver      target(>0), sender, correlation, selector, body
 *   Reply        REPLY, correlation, status, value
 *   DeadLetter   DEAD_LETTER, recipient, sender, reason, selector, body    (to the main thread)
 *   Prioritised  DELIVER_PRIORITY, target, sender, correlation, selector, body, priority
 *
 * - `sender` is the sending actor's id, or 0 when the message was sent from outside an actor.
 *   The sender lives on the thread at the other end of the channel the batch came over.
 * - `correlation` is 0 for a tell; for an ask, the reply carries it back over the same channel;
 *   negative for a `send`, acknowledged (as the positive id) once the mailbox accepts it.
 * - A message with a priority other than normal uses the prioritised frame, so the common case
 *   keeps five slots.
 * - `selector` is a method name, `RECEIVE` (0) for `receive(msg)`, or `STOP` (-1).
 * - `body` is the argument array of a method call, or the message itself for `receive`.
 */

export const REPLY = -1
export const DEAD_LETTER = -2
export const DELIVER_PRIORITY = -4

export const DELIVER_SLOTS = 5
export const REPLY_SLOTS = 4
export const DEAD_LETTER_SLOTS = 6
export const DELIVER_PRIORITY_SLOTS = 7

export const REPLY_OK = 0
export const REPLY_ERROR = 1

/** Why a message became a dead letter. */
export type DeadLetterReason = 'stopped' | 'not-found' | 'unknown-message' | 'encode-failed' | 'shutdown' | 'mailbox-full'
