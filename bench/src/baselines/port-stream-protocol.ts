// Control messages of the one-way worker-to-worker stream baselines (port.per-message, port.batched).
import type { MessagePort } from 'node:worker_threads'
import { hasKind } from './worker-protocol.js'

/** Each of the two workers gets its end of one direct MessageChannel. */
export interface StreamWorkerData {
  readonly port: MessagePort
}

/** To the receiver: decode this many messages, then report. */
export interface ExpectCommand {
  readonly kind: 'expect'
  readonly count: number
}

/** To the sender: post `count` messages, `batchSize` per postMessage (1 = unbatched). */
export interface SendCommand {
  readonly kind: 'send'
  readonly count: number
  readonly batchSize: number
}

export interface ArmedReport {
  readonly kind: 'armed'
}

export interface SentReport {
  readonly kind: 'sent'
  /** absoluteNowMs() just before the first postMessage. */
  readonly startedAt: number
}

export interface DecodedReport {
  readonly kind: 'decoded'
  /** absoluteNowMs() right after the last message was decoded. */
  readonly finishedAt: number
  readonly checksum: number
}

export const isArmed = hasKind<ArmedReport>('armed')
export const isSent = hasKind<SentReport>('sent')
export const isDecoded = hasKind<DecodedReport>('decoded')
export const isExpect = hasKind<ExpectCommand>('expect')
export const isSend = hasKind<SendCommand>('send')
