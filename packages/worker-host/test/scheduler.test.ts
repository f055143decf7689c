import { describe, expect, it } from 'vitest'
import type { HostStats } from '../src/protocol/control.js'
import { Directory } from '../src/system/directory.js'
import { ActorIds } from '../src/host/actor-ids.js'
import { Scheduler } from '../src/system/scheduler.js'

/** A load report of `thread`, with event-loop totals (ms) since the worker started. */
function report(thread: number, active: number, idle: number, extra: Partial<HostStats> = {}): HostStats {
  return {
    thread,
    generation: 0,
    actors: 0,
    mailboxDepth: 0,
    parked: 0,
    awaitingCredit: 0,
    processed: 0,
    pendingAsks: 0,
    retainedIds: 0,
    eventLoop: { active, idle },
    sampledAt: 0,
    ...extra,
  }
}

describe('least-loaded placement', () => {
  it('counts actors placed since the last report, so a burst of spawns spreads', () => {
    const scheduler = new Scheduler(2, new Directory(new ActorIds(0, 0)))
    const placed: number[] = []
    for (let i = 0; i < 4; i++) {
      const thread = scheduler.place('least-loaded')
      scheduler.placed(thread)
      placed.push(thread)
    }
    expect(placed).toEqual([1, 2, 1, 2])
  })

  it("ignores the first report's busy time (the worker's start-up), then follows how busy each worker is", () => {
    const scheduler = new Scheduler(2, new Directory(new ActorIds(0, 0)))
    // Worker 1 spent most of its life so far starting up; worker 2 hosts more actors.
    scheduler.report(report(1, 900, 100))
    scheduler.report(report(2, 10, 990, { actors: 3 }))
    expect(scheduler.place('least-loaded')).toBe(1)
    // Since then worker 1 was busy 90% of the time and worker 2 idle: worker 2 is chosen.
    scheduler.report(report(1, 1800, 200))
    scheduler.report(report(2, 20, 1980, { actors: 3 }))
    expect(scheduler.place('least-loaded')).toBe(2)
  })

  it('puts a backlog of waiting messages before everything else', () => {
    const scheduler = new Scheduler(2, new Directory(new ActorIds(0, 0)))
    scheduler.report(report(1, 0, 1000, { mailboxDepth: 50 }))
    scheduler.report(report(2, 0, 1000, { actors: 10 }))
    expect(scheduler.place('least-loaded')).toBe(2)
  })
})
