// The two faults the example injects into its own actors. They are messages of the KV shard and
// of the writer, so the demonstration can order them; a real store would not have them.

/** Kills the whole worker thread, as a fatal bug or an abort in a native module would. */
export function exitWorker(): never {
  process.exit(1)
}

/**
 * Never returns and never yields: the worker's event loop stops, and with it every actor on
 * that worker. JavaScript cannot interrupt a synchronous loop from inside the thread; only
 * terminating the thread stops it (troupe's watchdog does, see docs/supervision.md).
 */
export function spinForever(): never {
  for (;;) {
    // Deliberately empty: a handler stuck in a long synchronous computation.
  }
}
