import { AsyncLocalStorage } from 'node:async_hooks'
import type { ReentrancyMode } from '@troupe/core'
import type { CellHost } from './actor-cell.js'
import type { Envelope } from './envelope.js'
import { isThenable } from './message-target.js'

/**
 * One handler invocation that needs its own context: every invocation of a reentrant actor (its
 * handlers may overlap, so `ctx.sender` and `deferReply` cannot rely on one `current` envelope),
 * and every invocation of a message that belongs to a call chain (so that asks made after an
 * `await` still carry the chain).
 */
export interface Invocation {
  /** Whose invocation it is (its cell, or the cell's `Reentrancy`): another cell must not read it. */
  readonly owner: object
  readonly envelope: Envelope
  /** Its call chain, 0 for none. */
  readonly chain: number
  /** Counts restarts of the cell: a result of a replaced instance only answers its ask. */
  readonly incarnation: number
  /** `ctx.deferReply()` was called: the handler's result is not the reply. */
  deferred: boolean
  /** Ran past `handlerTimeoutMs` (already a failure): its late result is ignored. */
  timedOut: boolean
}

/**
 * Handler invocations, followed across `await` by Node's AsyncLocalStorage (Orleans'
 * RequestContext, .NET's AsyncLocal). A thread only starts using it once a chain or a reentrant
 * actor appears on it (`chainsInUse`); until then, invocations are plain calls and an ask only
 * reads this flag.
 */
const invocations = new AsyncLocalStorage<Invocation>()

/**
 * Set for good once this thread has seen a call chain or a reentrant actor. From then on every
 * handler runs with its own store (or none), because a store leaks into whatever an invocation
 * queues (the dispatcher's next turn, a timer) and must not be read by an unrelated handler.
 */
export let chainsInUse = false

export function useChains(): void {
  chainsInUse = true
}

type Handler = (...args: unknown[]) => unknown

export function invocation(owner: object, envelope: Envelope, chain: number, incarnation: number): Invocation {
  return { owner, envelope, chain, incarnation, deferred: false, timedOut: false }
}

/** `receive` takes (message, ctx), and `args` is then undefined; a method takes its arguments. */
function call(handler: Handler, instance: object, args: unknown[] | undefined, body: unknown, context: unknown): unknown {
  return args === undefined ? handler.call(instance, body, context) : handler.apply(instance, args)
}

/** Runs a handler with `invocation` as its context (or none), across its awaits. No closure per call. */
export function callIn(invocation: Invocation | undefined, handler: Handler, instance: object, args: unknown[] | undefined, body: unknown, context: unknown): unknown {
  return invocation === undefined
    ? invocations.exit(call, handler, instance, args, body, context)
    : invocations.run(invocation, call, handler, instance, args, body, context)
}

/** The invocation of `owner` whose code is running (synchronously, or after an await), if any. */
export function invocationOf(owner: object): Invocation | undefined {
  const current = chainsInUse ? invocations.getStore() : undefined
  return current?.owner === owner ? current : undefined
}

/** The call chain an ask sent now belongs to: that of the handler sending it, 0 for none. */
export function currentChain(): number {
  return chainsInUse ? (invocations.getStore()?.chain ?? 0) : 0
}

/** What a reentrant actor's overlapping handlers need of its cell's state. */
export interface ReentrantCell {
  readonly host: CellHost
  readonly handlerTimeoutMs: number | undefined
  /** Counts restarts (see `Invocation.incarnation`). */
  readonly incarnation: number
  /** Stopped: a late result only answers its ask. */
  readonly gone: boolean
  readonly suspended: boolean
  /** Call-chain: busy for other chains while a handler awaits. */
  setBusy(busy: boolean): void
  /** Whether the handler stashed `envelope` (then nothing answers it now). */
  takeStashed(envelope: Envelope): boolean
  /** A handler threw or rejected (the cell's own rule: answer, and fail or carry on). */
  failed(envelope: Envelope, error: unknown): void
  /** The message is done (a router may be waiting to hear it). */
  finished(envelope: Envelope): void
  timeoutError(envelope: Envelope): Error
  /** An async handler settled: run a restart that waited for it, or go on with the mailbox. */
  settled(): void
}

/**
 * The reentrancy of one actor with `reentrancy` other than `'none'` (a `'none'` actor has none of
 * this, and pays nothing). Its handlers overlap, so each invocation carries its own envelope,
 * reply state and timeout. It counts the handlers awaiting and, for `'call-chain'`, the chains
 * they belong to, and holds the asks of those chains that entered meanwhile.
 */
export class Reentrancy {
  /** Handlers that returned a promise and have not settled (and, briefly, the one being called). */
  pending = 0
  /** Call-chain only: asks of an awaiting chain, run before the mailbox (they never wait in it). */
  readonly entered: Envelope[] = []
  /** Call-chain only: the chains of the pending handlers, with how many handlers each. */
  readonly #chains = new Map<number, number>()
  readonly #cell: ReentrantCell

  constructor(
    readonly mode: Exclude<ReentrancyMode, 'none'>,
    cell: ReentrantCell,
  ) {
    this.#cell = cell
  }

  /** Whether `envelope` may run now although a handler awaits: it belongs to an awaiting chain. */
  admits(envelope: Envelope): boolean {
    return envelope.chain !== 0 && this.#chains.has(envelope.chain)
  }

  /**
   * Runs one handler. Under 'call-chain' a message without a chain starts one. Its chain is
   * active from before the call, so an ask back to this actor made from the handler's
   * synchronous part (to itself, or through a same-thread actor) enters too.
   */
  invoke(envelope: Envelope, handler: Handler, instance: object, args: unknown[] | undefined, context: unknown): void {
    const cell = this.#cell
    const chain = envelope.chain === 0 && this.mode === 'call-chain' ? cell.host.newChain() : envelope.chain
    const current = invocation(this, envelope, chain, cell.incarnation)
    this.#begin(chain)
    let result: unknown
    try {
      result = callIn(current, handler, instance, args, envelope.body, context)
    } catch (error) {
      this.#end(chain)
      cell.failed(envelope, error)
      return
    }
    if (cell.takeStashed(envelope)) {
      this.#end(chain)
      return
    }
    if (current.deferred || !isThenable(result)) {
      this.#end(chain)
      if (envelope.correlation !== 0 && !current.deferred) cell.host.replyOk(envelope, result)
      cell.finished(envelope)
      return
    }
    if (this.mode === 'call-chain') cell.setBusy(true)
    const timeoutMs = cell.handlerTimeoutMs
    const clock = cell.host.clock
    const timer = timeoutMs === undefined ? undefined : clock.setTimeout(() => this.#timedOut(current), timeoutMs, true)
    result.then(
      (value) => {
        clock.clearTimeout(timer)
        this.#settled(current, value, undefined, false)
      },
      (error: unknown) => {
        clock.clearTimeout(timer)
        this.#settled(current, undefined, error, true)
      },
    )
  }

  #settled(current: Invocation, value: unknown, error: unknown, failed: boolean): void {
    if (current.timedOut) return // already a failure; its late result is ignored
    const cell = this.#cell
    const { envelope } = current
    const answers = envelope.correlation !== 0 && !current.deferred
    if (current.incarnation !== cell.incarnation || cell.gone) {
      // Its instance was replaced or stopped meanwhile: the handler still answers its own ask.
      if (answers && failed) cell.host.replyError(envelope, error)
      else if (answers) cell.host.replyOk(envelope, value)
      cell.finished(envelope)
      return
    }
    this.#end(current.chain)
    if (this.pending === 0 && !cell.suspended) cell.setBusy(false)
    if (failed) cell.failed(envelope, error)
    else {
      if (answers) cell.host.replyOk(envelope, value)
      cell.finished(envelope)
    }
    cell.settled()
  }

  /** Past `handlerTimeoutMs`: a failure of the actor, even for an ask (the handler is stuck). */
  #timedOut(current: Invocation): void {
    const cell = this.#cell
    if (cell.suspended || cell.gone || current.incarnation !== cell.incarnation) return
    current.timedOut = true
    this.#end(current.chain)
    cell.failed(current.envelope, cell.timeoutError(current.envelope))
  }

  #begin(chain: number): void {
    this.pending++
    if (chain !== 0 && this.mode === 'call-chain') this.#chains.set(chain, (this.#chains.get(chain) ?? 0) + 1)
  }

  #end(chain: number): void {
    this.pending--
    if (chain === 0 || this.mode !== 'call-chain') return
    const left = this.#chains.get(chain)! - 1
    if (left === 0) this.#chains.delete(chain)
    else this.#chains.set(chain, left)
  }

  /** A fresh instance replaces the old one: handlers of the old one no longer count. */
  reset(): void {
    this.pending = 0
    this.#chains.clear()
  }
}

/**
 * Call-chain ids unique across threads: the thread in the low 16 bits, a counter above. Each
 * generation of a thread counts in its own range (2^25 chains), like its ask correlations.
 */
export class ChainIds {
  readonly #thread: number
  #next: number

  constructor(thread: number, generation: number) {
    this.#thread = thread
    this.#next = 1 + (generation % 2048) * 2 ** 25
  }

  next(): number {
    return this.#next++ * 65_536 + this.#thread
  }
}
