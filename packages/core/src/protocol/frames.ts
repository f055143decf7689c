/**
 * The data-plane wire protocol. A batch is one msgpack array holding frames back to back; the
 * first slot of a frame says what it is. Frames are flat (no per-frame array) because one
 * `pack` over a flat array is the cheapest encoding msgpackr offers.
 *
 *   Deliver      target(>0), sender, correlation, selector, body
 *   Reply        REPLY, correlation, status, value
 *   DeadLetter   DEAD_LETTER, recipient, sender, reason, selector, body    (to the main thread)
 *   Prioritised  DELIVER_PRIORITY, target, sender, correlation, selector, body, priority
 *   Forward      FORWARD, target, sender, senderThread, correlation, selector, body, priority, router
 *   Routed       ROUTED, router, routee
 *   Credited     DELIVER_CREDITED, target, sender, correlation, selector, body, priority
 *   Credit       CREDIT, target, count
 *   Rerouted     REROUTED, correlation, thread
 *   Ledger       LEDGER, slab, offset                                      (first frame of a batch to a worker)
 *   Settled      SETTLED, slab, slot                                       (back to the sender)
 *   Chained      DELIVER_CHAIN, target, sender, correlation, selector, body, priority, chain
 *
 * - `sender` is the sending actor's id, or 0 when the message was sent from outside an actor.
 *   The sender lives on the thread at the other end of the channel the batch came over.
 * - `correlation` is 0 for a tell; for an ask, the reply carries it back over the same channel;
 *   negative for a `send`, acknowledged (as the positive id) once the mailbox accepts it.
 * - A message with a priority other than normal uses the prioritised frame, so the common case
 *   keeps five slots.
 * - `selector` is a method name, `RECEIVE` (0) for `receive(msg)`, or `STOP` (-1).
 * - `body` is the argument array of a method call, or the message itself for `receive`.
 * - A router forwards a message with its original sender, sender thread and correlation, so
 *   the routee replies straight to the asker; `priority` is null for normal. `router` is the
 *   router's id when it wants to hear when the routee has processed the message (a `Routed`
 *   frame back to it), else 0.
 * - A message to an actor with a flow-controlled (`backpressure`) mailbox spends one of the
 *   sending thread's credits for that actor and travels as `Credited` (`priority` null for
 *   normal); once it leaves the mailbox, the consumer's thread gives the credit back with a
 *   `Credit` frame (counts add up per turn).
 * - A router that forwards an ask to a routee on another thread tells the asker's thread where
 *   the ask now waits (`Rerouted`), so it fails at once if that thread dies.
 * - Accounted delivery: a batch sent to a worker (a thread that can die on its own) starts with
 *   a `Ledger` frame naming a region of shared memory, one byte per delivery frame of the batch
 *   (Deliver, Prioritised, Credited, Forward, Chained), in order (`slab` -1: the batch has none). The
 *   receiver writes each byte when that message reaches its end (processed, answered, or
 *   refused); the sender keeps the batch until every byte is written, and when the worker dies
 *   it reads the bytes to know exactly which messages were not processed. The receiver never
 *   reports a dead letter for such a message itself: it writes the reason's code in the byte and
 *   sends `Settled` back, and the sender, which still holds the message, reports it. So a dead
 *   letter is reported exactly once even when the receiver dies right after refusing it.
 * - An ask sent from inside a handler that belongs to a call chain (reentrancy, see
 *   docs/reentrancy.md) carries the chain's id in a `Chained` frame (`priority` null for normal).
 *   It is a delivery frame like Deliver and Prioritised. Messages without a chain never use it,
 *   so they pay nothing for reentrancy.
 */

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

export const REPLY_OK = 0
export const REPLY_ERROR = 1

/** Why a message became a dead letter. */
export type DeadLetterReason = 'stopped' | 'not-found' | 'unknown-message' | 'encode-failed' | 'shutdown' | 'mailbox-full' | 'no-routee' | 'routing-failed' | 'worker-died'

/** Whether the frame starting with `head` delivers a message to an actor (and so has a ledger byte). */
export function isDelivery(head: number): boolean {
  return head > 0 || head === DELIVER_PRIORITY || head === DELIVER_CREDITED || head === FORWARD || head === DELIVER_CHAIN
}

/** Slots of the frame starting with `head`. */
export function frameSlots(head: number): number {
  if (head > 0) return DELIVER_SLOTS
  switch (head) {
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
    default:
      throw new Error(`protocol error: unknown frame kind ${String(head)}`)
  }
}
