// Savina Fork-Join Create: short-lived actors that each handle one message. Actor classes only.
import { Actor, type ActorRef, type DeferredReply } from 'troupe'
import { THETA, performComputation } from './util.js'

/** Counts reports and answers `done()` once the armed number has arrived. */
export class ReportSink extends Actor {
  #reports = 0
  #expected = 0
  #waiter: DeferredReply<number> | undefined

  arm(expected: number): void {
    this.#reports = 0
    this.#expected = expected
    this.#waiter = undefined
  }

  report(): void {
    if (++this.#reports === this.#expected) this.#waiter?.resolve(this.#reports)
  }

  done(): number | DeferredReply<number> {
    if (this.#reports >= this.#expected) return this.#reports
    this.#waiter = this.ctx.deferReply<number>()
    return this.#waiter
  }
}

/** Savina's `ForkJoinActor`: on its one message, the fixed computation, a report, and exit. */
export class ForkJoinActor extends Actor {
  readonly #sink: ActorRef<ReportSink>

  constructor(sink: ActorRef<ReportSink>) {
    super()
    this.#sink = sink
  }

  go(): void {
    performComputation(THETA)
    this.#sink.tell.report()
    this.ctx.stop()
  }
}
