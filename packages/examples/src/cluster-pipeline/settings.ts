// The handler's options in cluster-pipeline: walnats's "user registered → send email" example.

export const STREAM = 'user-registered'
export const HANDLER = 'send-welcome'
export const DEAD_HANDLER = 'report-dead'
/** Node a holds the outbox (the mail provider's record of sent mails) and reads the dead letters. */
export const OUTBOX_NODE = 'a'

/** After the 1st failure 100 ms, after the 2nd 500 ms, after the 3rd 1 s. */
export const RETRY_DELAY_MS: readonly number[] = [100, 500, 1000]
export const MAX_ATTEMPTS = 4
/** Mails being sent at once per node. */
export const MAX_JOBS = 4
/** A mail takes this long to hand to the provider. */
export const SEND_MS = 50
