import type { SlabRegistration } from '../transport/ledger.js'

/**
 * What a link reports to the side that reads it. Called once per batch, never per message:
 * frames are read above the link (see `PeerLink`).
 */
export interface LinkListener {
  /** A batch the peer sent, in the order it was sent. The bytes belong to this thread now. */
  batch(bytes: Uint8Array): void
  /** Shared memory the peer registered for its ledger; it arrives before the first batch that uses it. */
  slab(registration: SlabRegistration): void
  /** The peer is gone (it closed its end, or its thread ended): nothing more arrives. Called at most once. */
  peerGone(): void
  /**
   * A batch lost in transit: only the test kit's simulated links report this (`dropNextBatch`);
   * a port never loses a batch. Its messages are gone; what it defined for the link stays defined.
   */
  lost?(bytes: Uint8Array): void
}

/**
 * The byte transport between this thread and one peer: whole batches in, whole batches out, in
 * order. It knows nothing of frames, batching or accounting (that is `PeerLink`, above it), so
 * another transport (a shared-memory ring, NATS between nodes) only has to implement this.
 * Every implementation runs the same conformance suite (test/link.conformance.test.ts).
 */
export interface Link {
  /** Starts reporting to `listener`; what arrived before waits until then. */
  open(listener: LinkListener): void
  /**
   * Sends one batch, which is the link's from now on: the caller never touches `bytes` again.
   * A link to another thread transfers the buffer, not copying it (`bytes` is detached here
   * afterwards); a link to another node hands it to its client as it is, which writes it to the
   * socket a microtask later. Once this end is closed or the peer is gone, the batch is dropped
   * without an error (the sender's ledger still holds what the peer has not settled).
   */
  send(bytes: Uint8Array): void
  /** Shares a slab of the sender's ledger with the peer, ahead of the batches sent after it. */
  share(registration: SlabRegistration): void
  /** Closes this end; the peer is told (`peerGone`). What was sent before still arrives. Idempotent. */
  close(): void
  /**
   * Takes what arrived next, if anything, and reports it to the listener now, synchronously,
   * instead of at the event loop's next turn. True if something was taken. For spinning (see
   * `SpinWait`); a link that cannot be polled leaves it out.
   */
  poll?(): boolean
}
