import { AssertionError } from 'node:assert'
import { inspect, isDeepStrictEqual } from 'node:util'
import { InvalidOptionError, type ActorRef, type UntypedActorRef } from '@troupe/core'
import { probeSinks, type ProbeActor } from './probe-actor.js'

/** How long a probe waits for a message unless told otherwise (real time). */
export const DEFAULT_WITHIN_MS = 3000

export interface WithinOptions {
  /** How long to wait, in real ms (default 3000). In deterministic mode a probe waits until the simulation is idle instead. */
  readonly within?: number
}

/** A message a probe expects: the value itself (compared deeply), or a predicate. */
export type MessageMatcher<M> = M | ((message: M) => boolean)

/** How a probe waits: on real time, or for a simulation to become idle. */
export interface ProbeWaiting {
  /** Resolves when a message may have arrived (`arrived`), or when waiting is over. */
  wait(arrived: Promise<void>, withinMs: number): Promise<void>
  /** The way a wait is described in a failure ("within 3000 ms", "before the simulation was idle"). */
  describe(withinMs: number): string
}

interface Received<M> {
  readonly message: M
  readonly sender: UntypedActorRef | undefined
}

let makeProbe: <M>(id: number, ref: ActorRef<ProbeActor<M>>, waiting: ProbeWaiting, stop: () => Promise<void>) => TestProbe<M>

/** Makes a probe (for `TestKit.createProbe`; a test gets one from there). */
export function createTestProbe<M>(id: number, ref: ActorRef<ProbeActor<M>>, waiting: ProbeWaiting, stop: () => Promise<void>): TestProbe<M> {
  return makeProbe(id, ref, waiting, stop)
}

/**
 * A ref a test hands to actors, and assertions on what they send it (Akka's `TestProbe`). It
 * works across threads: the probe lives on the main thread and its messages come from anywhere.
 * Each assertion takes the next messages in arrival order; a failure is a node `AssertionError`
 * that says what arrived instead (vitest shows its diff).
 *
 * ```ts
 * const probe = await kit.createProbe<Reply>()
 * shop.tell.order({ item: 'tea', replyTo: probe.ref })
 * await probe.expectMessage({ ok: true, item: 'tea' })
 * ```
 */
export class TestProbe<M = unknown> {
  readonly ref: ActorRef<ProbeActor<M>>
  /** Every message this probe has received, in order, taken by an assertion or not. */
  readonly received: M[] = []
  readonly #queue: Received<M>[] = []
  readonly #waiting: ProbeWaiting
  readonly #id: number
  #arrived: (() => void) | undefined
  #lastSender: UntypedActorRef | undefined

  readonly #stop: () => Promise<void>

  static {
    makeProbe = (id, ref, waiting, stop) => new TestProbe(id, ref, waiting, stop)
  }

  private constructor(id: number, ref: ActorRef<ProbeActor<M>>, waiting: ProbeWaiting, stop: () => Promise<void>) {
    this.#id = id
    this.ref = ref
    this.#waiting = waiting
    this.#stop = stop
    probeSinks().set(id, (message, sender) => {
      this.received.push(message as M)
      this.#queue.push({ message: message as M, sender })
      const arrived = this.#arrived
      this.#arrived = undefined
      arrived?.()
    })
  }

  /** The sender of the message an assertion took last (to reply to it), if it had one. */
  get lastSender(): UntypedActorRef | undefined {
    return this.#lastSender
  }

  /** Messages received and not yet taken by an assertion. */
  get pending(): number {
    return this.#queue.length
  }

  /**
   * Takes the next message and checks it: equal (deeply, strictly) to `expected`, or accepted by
   * it when it is a function. Fails if none arrives in time, or if the next one does not match.
   */
  async expectMessage(expected: MessageMatcher<M>, options?: WithinOptions): Promise<M> {
    const withinMs = within(options)
    const next = await this.#next(withinMs)
    if (next === undefined) throw this.#timedOut('expectMessage', `a message ${describeMatcher(expected)}`, withinMs)
    if (typeof expected === 'function') {
      if ((expected as (message: M) => boolean)(next)) return next
      throw new AssertionError({ message: `expectMessage: the next message did not satisfy the predicate; got ${show(next)}`, actual: next, expected: String(expected), operator: 'satisfies' })
    }
    if (!isDeepStrictEqual(next, expected)) {
      throw new AssertionError({ message: `expectMessage: the next message is not the one expected\n  expected: ${show(expected)}\n  got:      ${show(next)}`, actual: next, expected, operator: 'deepStrictEqual' })
    }
    return next
  }

  /** Fails if any message arrives within `forMs` (real time; deterministic mode: before the simulation is idle). */
  async expectNoMessage(forMs = 100): Promise<void> {
    if (!(Number.isFinite(forMs) && forMs >= 0)) throw new InvalidOptionError('forMs', 'a number of milliseconds >= 0', forMs)
    if (this.#queue.length === 0) await this.#waiting.wait(new Promise<void>(() => undefined), forMs)
    const first = this.#queue.shift()
    if (first !== undefined) throw new AssertionError({ message: `expectNoMessage: got ${show(first.message)} ${this.#waiting.describe(forMs)}`, actual: first.message, expected: 'no message', operator: 'expectNoMessage' })
  }

  /** Takes the next `n` messages; fails with the ones that came if fewer arrive in time (for all of them). */
  async receiveMessages(n: number, options?: WithinOptions): Promise<M[]> {
    if (!(Number.isInteger(n) && n >= 0)) throw new InvalidOptionError('n', 'an integer >= 0', n)
    const withinMs = within(options)
    const deadline = performance.now() + withinMs
    const got: M[] = []
    while (got.length < n) {
      const next = await this.#next(Math.max(0, deadline - performance.now()))
      if (next === undefined) throw this.#timedOut('receiveMessages', `${n} messages (got ${got.length}: ${show(got)})`, withinMs)
      got.push(next)
    }
    return got
  }

  /** Skips messages until one satisfies `predicate`, and returns it; fails, listing what it skipped, if none does in time. */
  async fishForMessage(predicate: (message: M) => boolean, options?: WithinOptions): Promise<M> {
    if (typeof predicate !== 'function') throw new InvalidOptionError('predicate', 'a function', predicate)
    const withinMs = within(options)
    const deadline = performance.now() + withinMs
    const skipped: M[] = []
    for (;;) {
      const next = await this.#next(Math.max(0, deadline - performance.now()))
      if (next === undefined) throw this.#timedOut('fishForMessage', `a message satisfying the predicate (skipped ${skipped.length}: ${show(skipped)})`, withinMs)
      if (predicate(next)) return next
      skipped.push(next)
    }
  }

  /** Stops the probe's actor: later messages to its ref are dead letters. What it received stays readable. */
  async close(): Promise<void> {
    await this.#stop()
    probeSinks().delete(this.#id)
  }

  async #next(withinMs: number): Promise<M | undefined> {
    if (this.#queue.length === 0) {
      const arrived = new Promise<void>((resolve) => (this.#arrived = resolve))
      await this.#waiting.wait(arrived, withinMs)
      this.#arrived = undefined
    }
    const next = this.#queue.shift()
    if (next === undefined) return undefined
    this.#lastSender = next.sender
    return next.message
  }

  #timedOut(assertion: string, wanted: string, withinMs: number): AssertionError {
    const seen = this.received.length === 0 ? 'it has received nothing at all' : `it has received ${this.received.length} in all: ${show(this.received)}`
    return new AssertionError({ message: `${assertion}: expected ${wanted} ${this.#waiting.describe(withinMs)}; none came (${seen})`, actual: undefined, expected: wanted, operator: assertion })
  }
}

function within(options: WithinOptions | undefined): number {
  const value = options?.within ?? DEFAULT_WITHIN_MS
  if (!(Number.isFinite(value) && value >= 0)) throw new InvalidOptionError('within', 'a number of milliseconds >= 0', value)
  return value
}

function describeMatcher(expected: unknown): string {
  return typeof expected === 'function' ? 'satisfying the predicate' : `equal to ${show(expected)}`
}

function show(value: unknown): string {
  return inspect(value, { depth: 6, breakLength: Infinity, maxArrayLength: 20 })
}
