// Wire format of the raw-port request-reply baselines; both directions are msgpack-encoded tuples.
import type { MessagePort } from 'node:worker_threads'
import type { IncMessage } from './inc-message.js'

export interface AskWorkerData {
  readonly port: MessagePort
}

/** [correlation id, request] */
export type AskRequest = readonly [number, IncMessage]

/** [correlation id, n + 1] */
export type AskReply = readonly [number, number]
