import type { MessagePriority } from '@troupe/core'
import type { Selector } from '@troupe/core/internal'
import { SETTLED_BYTE, type InboundSlab } from '../transport/ledger.js'
import type { TraceCarrier } from '../tracing/thread-tracing.js'
import type { HandlerProbe } from './instrument.js'

/** A message waiting in a mailbox. */
export interface Envelope {
  /** Sending actor's id, 0 when sent from outside an actor. */
  readonly sender: number
  /** Thread the message came from: where the sender lives and where a reply goes. */
  readonly senderThread: number
  /** 0 for a tell; the asker's correlation id for an ask; minus it for a send (acknowledged on acceptance). */
  readonly correlation: number
  readonly selector: Selector
  readonly body: unknown
  readonly priority: MessagePriority | undefined
  /** Stop, death watch and piped continuations: never dropped by a full mailbox. */
  readonly system: boolean
  /** Set when a router forwarded it and wants to hear once it has been processed. */
  readonly route: Route | undefined
  /** The thread whose credit it spent (flow control), to be given back when it leaves the mailbox; -1: none. */
  readonly credit: number
  /** Where its sender's ledger byte for it lives, when it came from another thread over a link that keeps one. */
  readonly ledger: InboundSlab | undefined
  /** Its byte in `ledger`. */
  readonly slot: number
  /** The call chain of an ask sent from inside a chain's handler (reentrancy); 0: none. */
  readonly chain: number
  /** The span context it was sent in, when tracing is on and it was sent inside a span. */
  readonly trace: TraceCarrier | undefined
  /** Set while its handler is measured or traced (see instrument.ts). */
  probe: HandlerProbe | undefined
}

/** A router waiting for completion reports; one object per router, shared by its envelopes. */
export interface Route {
  readonly router: number
  readonly thread: number
}

/** Every envelope is built here, so all have the same shape (one hidden class on the hot path). */
export function envelope(
  sender: number,
  senderThread: number,
  correlation: number,
  selector: Selector,
  body: unknown,
  priority?: MessagePriority,
  route?: Route,
  credit = -1,
  chain = 0,
  ledger?: InboundSlab,
  slot = 0,
  trace?: TraceCarrier,
): Envelope {
  return { sender, senderThread, correlation, selector, body, priority, system: typeof selector === 'number' && selector < 0, route, credit, chain, ledger, slot, trace, probe: undefined }
}

/** The message reached its end here (processed, answered, or handed on): its sender may forget it. */
export function settle(envelope: Envelope): void {
  const ledger = envelope.ledger
  if (ledger !== undefined) ledger.bytes[envelope.slot] = SETTLED_BYTE
}

/** The same message, as a router forwards it: tracked by `route`, or not. */
export function routed(original: Envelope, route: Route | undefined): Envelope {
  return original.route === route ? original : { ...original, route }
}

/** The same message with another correlation (a send, once accepted, is processed like a tell). */
export function withCorrelation(original: Envelope, correlation: number): Envelope {
  return { ...original, correlation }
}
