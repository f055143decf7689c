/** A read-only view of a stream of events. */
export interface Subscribable<T> {
  /** Calls `listener` for every event from now on; returns a function that unsubscribes. */
  subscribe(listener: (event: T) => void): () => void
}

/**
 * A minimal synchronous pub/sub. A listener that throws does not stop the others, nor the
 * system: its error is reported as a process warning.
 */
export class Topic<T> implements Subscribable<T> {
  readonly #listeners = new Set<(event: T) => void>()

  subscribe(listener: (event: T) => void): () => void {
    const entry = (event: T): void => listener(event)
    this.#listeners.add(entry)
    return () => this.#listeners.delete(entry)
  }

  publish(event: T): void {
    for (const listener of this.#listeners) {
      try {
        listener(event)
      } catch (error) {
        process.emitWarning(error instanceof Error ? error : new Error(String(error)), 'TroupeListenerWarning')
      }
    }
  }
}
