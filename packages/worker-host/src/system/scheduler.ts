import { ActorNotFoundError } from '@troupe/core'
import { stableHash } from '@troupe/core/internal'
import type { HostStats, WirePlacement } from '../protocol/control.js'
import type { Directory } from './directory.js'

/** Utilisation differences below this are noise (it swings on a busy machine); compare actor counts instead. */
const UTILIZATION_STEP = 0.25

/** Chooses the thread for a new actor. Threads: 0 is main, 1..workerCount are workers. */
export class Scheduler {
  readonly #workerCount: number
  readonly #directory: Directory
  #nextRoundRobin = 0
  /** Latest load report per worker, plus actors placed since that report. */
  readonly #loads: { utilization: number; mailboxDepth: number; actors: number; eventLoop: HostStats['eventLoop']; reported: boolean }[]

  constructor(workerCount: number, directory: Directory) {
    this.#workerCount = workerCount
    this.#directory = directory
    this.#loads = Array.from({ length: workerCount }, () => ({ utilization: 0, mailboxDepth: 0, actors: 0, eventLoop: { active: 0, idle: 0 }, reported: false }))
  }

  place(placement: WirePlacement | undefined): number {
    if (placement === undefined || placement === 'round-robin') return 1 + (this.#nextRoundRobin++ % this.#workerCount)
    if (placement === 'least-loaded') return this.#leastLoaded()
    if (placement === 'main') return 0
    if ('worker' in placement) return placement.worker + 1
    if ('colocateWith' in placement) {
      const record = this.#directory.get(placement.colocateWith.id)
      if (!record) throw new ActorNotFoundError(`actor#${placement.colocateWith.id}`)
      return record.thread
    }
    return 1 + (stableHash(String(placement.hash)) % this.#workerCount)
  }

  /** Counts an actor placed on `thread` until the next report, so bursts of spawns spread. */
  placed(thread: number): void {
    const load = this.#loads[thread - 1]
    if (load) load.actors++
  }

  report(stats: HostStats): void {
    const load = this.#loads[stats.thread - 1]
    if (!load) return
    // The first report's totals start at the worker's birth, so they count its start-up (module
    // loading, compiling): only the time between two reports says how busy it is now.
    load.utilization = load.reported ? utilizationBetween(load.eventLoop, stats.eventLoop) : 0
    load.reported = true
    load.eventLoop = stats.eventLoop
    load.mailboxDepth = stats.mailboxDepth
    load.actors = stats.actors
  }

  #leastLoaded(): number {
    let best = 0
    for (let i = 1; i < this.#workerCount; i++) if (compareLoad(this.#loads[i]!, this.#loads[best]!) < 0) best = i
    return best + 1
  }
}

/** Share of the time between two cumulative samples that the event loop was busy, 0..1. */
export function utilizationBetween(before: HostStats['eventLoop'], after: HostStats['eventLoop']): number {
  const active = after.active - before.active
  const total = active + (after.idle - before.idle)
  return total > 0 ? active / total : 0
}

/**
 * Backlog first: messages waiting mean the worker is not keeping up. Then how busy its event
 * loop is, in coarse steps. Then how many actors it hosts.
 */
function compareLoad(a: { utilization: number; mailboxDepth: number; actors: number }, b: typeof a): number {
  if (a.mailboxDepth !== b.mailboxDepth) return a.mailboxDepth - b.mailboxDepth
  const byUtilization = Math.floor(a.utilization / UTILIZATION_STEP) - Math.floor(b.utilization / UTILIZATION_STEP)
  return byUtilization || a.actors - b.actors
}
