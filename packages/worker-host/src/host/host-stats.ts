import { performance } from 'node:perf_hooks'
import type { HostStats } from '../protocol/control.js'
import type { Dispatcher } from './dispatcher.js'
import type { LocalActors } from './local-actors.js'

/** What a thread's figures are read from. */
export interface StatsSources {
  readonly thread: number
  readonly generation: number
  readonly actors: LocalActors
  readonly dispatcher: Dispatcher
  readonly awaitingCredit: number
  readonly pendingAsks: number
  /** Router routes kept on this thread (per-router entries). */
  readonly routes: number
}

/**
 * One thread's figures. `'load'`: for the periodic load report, counted over the actors queued
 * to run only (its cost must not grow with idle actors); `'full'` (`system.stats()`): over every actor.
 */
export function hostStats(sources: StatsSources, scope: 'full' | 'load'): HostStats {
  const { actors, dispatcher } = sources
  let mailboxDepth = 0
  let parked = 0
  if (scope === 'load') mailboxDepth = dispatcher.queuedMessages()
  else {
    for (const cell of actors.cells()) {
      mailboxDepth += cell.mailbox.length
      parked += cell.mailbox.parked
    }
  }
  const { active, idle } = performance.eventLoopUtilization()
  return {
    thread: sources.thread,
    generation: sources.generation,
    actors: actors.size,
    mailboxDepth,
    parked,
    awaitingCredit: sources.awaitingCredit,
    processed: dispatcher.processed,
    pendingAsks: sources.pendingAsks,
    retainedIds: actors.size + actors.awaiting + sources.routes,
    eventLoop: { active, idle },
    sampledAt: performance.timeOrigin + performance.now(),
  }
}
