// Control messages of baseline.port.pingpong: two workers bounce one message over a direct channel.
import type { MessagePort } from 'node:worker_threads'
import { hasKind } from './worker-protocol.js'

/** Each worker gets its end of one direct MessageChannel and its role. */
export interface PingPongWorkerData {
  readonly port: MessagePort
  readonly role: 'ping' | 'pong'
}

/** To the ping worker: `count` round trips, one message in flight. */
export interface PingCommand {
  readonly kind: 'ping'
  readonly count: number
}

export interface PingedReport {
  readonly kind: 'pinged'
  /** absoluteNowMs() before the first ping and after the last pong. */
  readonly startedAt: number
  readonly finishedAt: number
  /** Sum of the `n` of every pong: every round trip arrived intact. */
  readonly checksum: number
}

export const isPing = hasKind<PingCommand>('ping')
export const isPinged = hasKind<PingedReport>('pinged')
