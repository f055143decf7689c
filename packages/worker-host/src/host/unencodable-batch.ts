import type { DeadLetterReason } from '@troupe/core'
import { MessageEncodeError } from '@troupe/core'
import { encodeValue, toWireError, type Selector } from '@troupe/core/internal'
import {
  DEAD_LETTER,
  DELIVER_CREDITED,
  DELIVER_RUN,
  LEDGER,
  REPLY,
  REPLY_ERROR,
  REPLY_RUN,
  clearBody,
  frameKind,
  frameLength,
  isDelivery,
  readDeadLetter,
  readDelivery,
  readReply,
  readTarget,
  splitReplies,
  splitRun,
  type DeadLetterHandler,
  type Frames,
  type ReplyHandler,
  type RouteBook,
} from '../protocol/wire.js'
import type { FlowControl } from '../transport/flow-control.js'
import type { PeerLink } from '../transport/peer-link.js'
import type { Envelope } from './envelope.js'

/** What failing the frames of a batch needs from its host. */
export interface SalvageHost extends RouteBook {
  readonly thread: number
  undeliverable(recipient: number, envelope: Envelope, reason: DeadLetterReason, error?: Error): void
}

/**
 * A batch failed to encode although each message passed validation (a value changed after it
 * was sent, or a getter threw). Re-sends the frames that encode on their own; the others fail
 * their asks or become dead letters, so nothing vanishes.
 */
export function salvageBatch(host: SalvageHost, flow: FlowControl, link: PeerLink, frames: Frames, error: unknown): void {
  // Typed like a refusal at send time; what the encoder threw is its cause.
  const failure = new MessageEncodeError('message', `it changed after it was sent and no longer encodes (${error instanceof Error ? error.message : String(error)})`, {
    cause: error,
  })
  const failed = new FailedReports(link, error)
  const pieces: Frames[] = []
  for (let at = 0; at < frames.length; at += frameLength(frames, at)) {
    const kind = frameKind(frames, at)
    if (kind === LEDGER) continue // the batch was never sent: its ledger region is unused
    // A run's messages (or replies) are tried one by one: only the one that cannot travel fails.
    if (kind === DELIVER_RUN) pieces.push(...splitRun(frames, at))
    else if (kind === REPLY_RUN) pieces.push(...splitReplies(frames, at))
    else pieces.push(frames.slice(at, at + frameLength(frames, at)))
  }
  for (const frame of pieces) {
    const kind = frameKind(frame, 0)
    try {
      encodeValue(frame)
      link.resend(frame)
      continue
    } catch {
      // This frame is the one that cannot travel: fail it without its payload.
    }
    if (kind === REPLY) readReply(frame, 0, failed)
    else if (kind === DEAD_LETTER) readDeadLetter(frame, 0, failed)
    else if (isDelivery(kind)) {
      const target = readTarget(frame, 0)
      if (kind === DELIVER_CREDITED) flow.unsent(target)
      clearBody(frame, 0) // reported without the value that failed
      host.undeliverable(target, readDelivery(frame, 0, host.thread, link.selectors.names, host), 'encode-failed', failure)
    }
  }
}

/** Sends a reply or a dead letter again without the value that could not be encoded. */
class FailedReports implements ReplyHandler, DeadLetterHandler {
  constructor(
    readonly link: PeerLink,
    readonly error: unknown,
  ) {}

  settle(correlation: number): void {
    this.link.reply(correlation, REPLY_ERROR, toWireError(this.error))
  }

  deadLetter(recipient: number, sender: number, reason: DeadLetterReason, selector: Selector): void {
    this.link.deadLetter(recipient, sender, reason, selector, undefined)
  }
}
