// What the child process of actors.alive.max tells its parent over IPC.

/** A step completed: `alive` idle actors are alive (checked with `system.stats()`), the process's RSS then. */
export interface AliveStep {
  readonly type: 'step'
  readonly alive: number
  readonly rss: number
  /** How long the step's spawning took. */
  readonly seconds: number
}

/** Why the child stopped stepping: the limit reached, or the failure that ended it. Sent last. */
export interface AliveEnd {
  readonly type: 'end'
  readonly reason: string
}

export type AliveMessage = AliveStep | AliveEnd

/** The child's arguments: actors per step, and the count at which it stops. */
export interface AliveSizes {
  readonly step: number
  readonly limit: number
}
