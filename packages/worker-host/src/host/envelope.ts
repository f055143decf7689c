import type { Selector } from '@troupe/core/internal'

/** A message waiting in a mailbox. */
export interface Envelope {
  /** Sending actor's id, 0 when sent from outside an actor. */
  readonly sender: number
  /** Thread the message came from: where the sender lives and where a reply goes. */
  readonly senderThread: number
  /** 0 for a tell; the asker's correlation id for an ask. */
  readonly correlation: number
  readonly selector: Selector
  readonly body: unknown
}
