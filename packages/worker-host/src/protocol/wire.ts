/**
 * The data-plane wire protocol between threads: every frame kind, its layout, and its writer
 * and reader side by side. A batch is one msgpack array holding frames back to back; the first
 * slot of a frame says what it is. Frames are flat (no per-frame array) because one `pack` over
 * a flat array is the cheapest encoding msgpackr offers. Readers take the batch and the index
 * of the frame's first slot, so reading allocates nothing but the envelope a message needs.
 *
 *   Deliver      target(>0), sender, correlation, selector, body
 *   Run          DELIVER_RUN, target, sender, selector, count, correlation, body × count
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
 *   Selector     SELECTOR, id, name                                        (defines an interned selector)
 *   Replies      REPLY_RUN, correlation, count, value × count               (successful replies in a row)
 *   Traced       DELIVER_TRACED, target, sender, correlation, selector, body, priority, chain, trace
 *
 * - `sender` is the sending actor's id, or 0 when the message was sent from outside an actor.
 *   The sender lives on the thread at the other end of the channel the batch came over.
 * - `correlation` is 0 for a tell; for an ask, the reply carries it back over the same channel;
 *   negative for a `send`, acknowledged (as the positive id) once the mailbox accepts it.
 * - A message with a priority other than normal uses the prioritised frame, so the common case
 *   keeps five slots.
 * - Messages in a row from one sender to one actor with one selector (a stream, pipelined asks)
 *   share one `Run` frame: its head once, then one slot per message. They are all tells
 *   (`correlation` 0), or all asks with consecutive correlations (message i has `correlation + i`).
 *   The sender turns a plain `Deliver` into a run when the next message matches it, so a lone
 *   message still costs five slots. Successful replies to consecutive correlations share a
 *   `Replies` frame the same way.
 * - `selector` is a method name, `RECEIVE` (0) for `receive(msg)`, or a system selector (< 0).
 *   On the wire a method name is usually a number > 0 instead: the sender interns the names it
 *   sends on a link and defines each number once, in a `Selector` frame ahead of its first use
 *   (see transport/selector-table.ts). Readers turn the numbers back into the names.
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
 *   a `Ledger` frame naming a region of shared memory, one byte per message of the batch (one
 *   per Deliver, Prioritised, Credited, Forward and Chained frame, `count` per Run), in order
 *   (`slab` -1: the batch has none). The
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
 * - A message sent inside an OpenTelemetry span, on a thread where a tracer provider is
 *   registered, carries the span's context in a `Traced` frame (`priority` null for normal,
 *   `chain` 0 for none; `trace` is trace id, span id and flags in hex, see tracing/). It is a
 *   delivery frame like Chained. Without a provider, or outside a span, no frame carries one.
 */
// One module for the whole protocol: import from here. The frames live in three files by group.
export * from './frame-kinds.js'
export * from './delivery-frames.js'
export * from './report-frames.js'
