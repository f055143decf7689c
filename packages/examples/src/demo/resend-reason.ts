import { ActorStoppedError, AskTimeoutError, WorkerCrashedError } from 'troupe'

/** Why a producer sent a chunk again. */
export type ResendReason =
  /** The consumer's worker died with the chunk's ask pending (`WorkerCrashedError`). */
  | 'worker-crashed'
  /** No answer within the ack deadline (`AskTimeoutError`). */
  | 'timeout'
  /** The consumer was stopped (`ActorStoppedError`). */
  | 'stopped'
  /** The consumer did not get every value of the chunk: it was restarted, or values died with a worker. */
  | 'incomplete'
  /** The consumer got the chunk but the ledger did not confirm it. */
  | 'unrecorded'
  /** The ask was settled by a reply meant for another ask (see answers.ts). */
  | 'stray-reply'
  /** Any other rejection. */
  | 'other'

export type Resends = Record<ResendReason, number>

export const RESEND_REASONS: readonly ResendReason[] = ['worker-crashed', 'timeout', 'stopped', 'incomplete', 'unrecorded', 'stray-reply', 'other']

export function emptyResends(): Resends {
  return { 'worker-crashed': 0, timeout: 0, stopped: 0, incomplete: 0, unrecorded: 0, 'stray-reply': 0, other: 0 }
}

export function resendReason(error: unknown): ResendReason {
  if (error instanceof WorkerCrashedError) return 'worker-crashed'
  if (error instanceof AskTimeoutError) return 'timeout'
  if (error instanceof ActorStoppedError) return 'stopped'
  return 'other'
}

export function addResends(a: Resends, b: Resends): Resends {
  const total = emptyResends()
  for (const reason of RESEND_REASONS) total[reason] = a[reason] + b[reason]
  return total
}

export function totalResends(resends: Resends): number {
  return RESEND_REASONS.reduce((total, reason) => total + resends[reason], 0)
}
