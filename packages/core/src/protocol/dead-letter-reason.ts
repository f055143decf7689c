/**
 * Why a message became a dead letter. (The frames that carry it between threads are troupe's
 * wire protocol, in the `troupe` package: `protocol/wire.ts`.)
 */
export type DeadLetterReason = 'stopped' | 'start-failed' | 'not-found' | 'unknown-message' | 'encode-failed' | 'shutdown' | 'mailbox-full' | 'no-routee' | 'routing-failed' | 'worker-died' | 'node-down'
