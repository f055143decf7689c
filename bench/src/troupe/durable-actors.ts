// Actors of durable.handler.rate, the only module on its system's allow-list. Workers import this
// module, so it holds only actor classes and their thread's tally.
import { Actor, type DeferredReply, type JobInfo } from 'troupe'

/** The event of the benchmark's stream: the baselines' message. */
export interface IncEvent {
  readonly type: 'inc'
  readonly n: number
}

/** What the handler's actors have seen since the tally was armed. */
export interface JobTally {
  readonly count: number
  readonly sum: number
  /** Jobs that were not a first attempt (JetStream delivered the event again). */
  readonly redelivered: number
}

// The tally of this thread. The handler spawns up to maxJobs IncJob actors, round-robin over the
// workers, constructed without arguments; the benchmark's system has one worker, so all of them
// (and the JobLatch) share these.
let count = 0
let sum = 0
let redelivered = 0
let expected = 0
let waiter: DeferredReply<JobTally> | undefined

const tally = (): JobTally => ({ count, sum, redelivered })

/** The handler's class: every job adds its event's n to the thread's tally. */
export class IncJob extends Actor {
  take(event: IncEvent, job: JobInfo): void {
    if (job.attempt !== 1) redelivered++
    sum += event.n
    if (++count === expected && waiter !== undefined) {
      const latch = waiter
      waiter = undefined
      latch.resolve(tally())
    }
  }
}

/** Arms the thread's tally and answers `done()` once the armed number of jobs has run. */
export class JobLatch extends Actor {
  /** Resets the tally and expects `jobs` jobs; answered at once, so the caller knows it is armed. */
  arm(jobs: number): void {
    count = 0
    sum = 0
    redelivered = 0
    expected = jobs
    waiter = undefined
  }

  /** The tally, once the armed number of jobs has run (at once if it already has). */
  done(): JobTally | DeferredReply<JobTally> {
    if (count >= expected) return tally()
    waiter = this.ctx.deferReply<JobTally>()
    return waiter
  }

  thread(): number {
    return this.ctx.thread
  }
}
