/**
 * The KV shard could not learn whether a write reached the disk: its append to the writer failed
 * (the writer's worker died, say), or the shard was restarted while the append was in flight.
 * The write may or may not be in the log; setting the same value again (or deleting again) is
 * safe, so the client retries. A `code`, because across threads the error arrives as a plain
 * `Error` with its name, message and code.
 */
export class WriteUncertainError extends Error {
  readonly code = 'ERR_WRITE_UNCERTAIN'
  constructor(cause: unknown) {
    super(`write outcome unknown: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.name = 'WriteUncertainError'
  }
}
