/**
 * Waits for conditions on what the nodes printed: each wait is re-checked whenever something
 * changes (a line arrived, a process exited), and fails after its deadline with what it waited for.
 */
export class Changes {
  readonly #waiters = new Set<() => void>()

  /** Something changed: re-check every pending wait. */
  notify(): void {
    for (const check of [...this.#waiters]) check()
  }

  /**
   * Resolves with the first value `probe` returns other than `undefined`. `probe` may throw, to
   * give up at once (a node it needs has exited).
   */
  until<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
    return new Promise((resolve, reject) => {
      const finish = (settle: () => void): void => {
        clearTimeout(timer)
        this.#waiters.delete(check)
        settle()
      }
      const check = (): void => {
        try {
          const value = probe()
          if (value !== undefined) finish(() => resolve(value))
        } catch (error) {
          finish(() => reject(error))
        }
      }
      const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs)
      this.#waiters.add(check)
      check()
    })
  }
}
