import type { ActorSystem } from 'troupe'

/**
 * Follows troupe's worker events for the program: the crashes and hangs it saw, and a promise
 * for the end of the next recovery of a given worker (`worker-recovered`: every actor it hosted
 * has been restarted or stopped by its supervisor).
 */
export class RecoveryWatch {
  readonly crashes: { readonly thread: number; readonly reason: string }[] = []
  readonly hangs: { readonly thread: number; readonly silentMs: number }[] = []
  restarts = 0
  readonly #waiting = new Map<number, (() => void)[]>()
  readonly #unsubscribe: () => void

  constructor(system: ActorSystem) {
    this.#unsubscribe = system.events.subscribe((event) => {
      if (event.type === 'worker-crashed') this.crashes.push({ thread: event.thread, reason: event.reason })
      else if (event.type === 'worker-hung') this.hangs.push({ thread: event.thread, silentMs: event.silentMs })
      else if (event.type === 'actor-restarted') this.restarts++
      else if (event.type === 'worker-recovered') for (const resolve of this.#waiting.get(event.thread)?.splice(0) ?? []) resolve()
    })
  }

  /** Call before causing the fault, so the event cannot be missed. */
  nextRecovery(thread: number): Promise<void> {
    return new Promise((resolve) => this.#waiting.set(thread, [...(this.#waiting.get(thread) ?? []), resolve]))
  }

  stop(): void {
    this.#unsubscribe()
  }
}

/** Waits for `promise`, or `ms` at most; true if it settled in time. Clears its timer either way. */
export async function waitAtMost(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))
  try {
    return await Promise.race([promise.then(() => true), timeout])
  } finally {
    clearTimeout(timer)
  }
}
