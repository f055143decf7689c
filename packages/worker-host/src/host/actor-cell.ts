import { HandlerTimeoutError, MailboxFullError, UnknownMessageError, type Actor } from '@troupe/core'
import { PIPE, RECEIVE, STOP, SYNC, TERMINATED, createMailbox, describeRef, toWireError, type ActorRefImpl, type Mailbox, type ResolvedMailbox } from '@troupe/core/internal'
import type { ActorContext, ReentrancyMode } from '@troupe/core'
import type { Runnable } from './dispatcher.js'
import { settle, withCorrelation, type Envelope } from './envelope.js'
import { RUNNING, UNSETTLED } from '../transport/ledger.js'
import { Reentrancy, callIn, chainsInUse, invocation, invocationOf, useChains } from './reentrancy.js'
import type { CellHost, CellOptions } from './cell-host.js'
import { grantCellState } from './cell-state.js'
import { DeferredWork } from './deferred-work.js'
import { isThenable, type MessageTarget } from './message-target.js'

export { DEFAULT_CELL_OPTIONS, type CellHost, type CellOptions } from './cell-host.js'

/**
 * One actor on this thread: its instance, mailbox and processing state. It processes one
 * envelope at a time; while an async handler is pending the cell is `busy` and is not
 * scheduled, which is what keeps state consistent across `await`.
 *
 * What its actor puts off (stash, deferred replies, `pipeToSelf`, timers) is in the layer it
 * extends, `DeferredWork`.
 */
export class ActorCell extends DeferredWork implements Runnable {
  scheduled = false
  /** The envelope being processed (for `ctx.sender`), kept across `await` in the handler. */
  current: Envelope | undefined
  readonly mailbox: Mailbox<Envelope>
  #instance: MessageTarget | undefined
  #context: ActorContext | undefined
  #busy = true // until `started()`: messages queue while the constructor and onStart run
  #stopped = false
  /** Failed, waiting for its supervisor's directive: messages queue, only a stop gets through. */
  #suspended = false
  /** Builds a fresh instance (same class and constructor arguments), for restarts. */
  #create: (() => Actor) | undefined
  /** Work to run once the async handler in progress settles (a restart ordered meanwhile). */
  #afterHandler: (() => void) | undefined
  /** Paused by its supervisor until its restart (see `pause`). */
  #paused = false
  /** Counts restarts: callbacks of an earlier instance are ignored. */
  #incarnation = 0
  /** The envelope the running handler stashed: no reply for it now. */
  #stashedCurrent: Envelope | undefined
  /** An async handler that ran past `handlerTimeoutMs`: its late result is ignored. */
  #timedOut: Envelope | undefined
  readonly #handlerTimeoutMs: number | undefined
  /** `askErrors: 'fail'`: an ask's error fails the actor too (Akka), instead of only rejecting the ask. */
  readonly #askErrorsFail: boolean
  /** Set for `reentrancy` other than 'none'; 'none' actors take none of the reentrant paths. */
  readonly #reentry: Reentrancy | undefined
  /** Called when a parked message enters the mailbox: a waiting send is acknowledged. */
  readonly #admit = (admitted: Envelope): void => {
    if (admitted.correlation < 0) this.host.replyOk(admitted, undefined)
  }
  /** The envelope whose reply the handler deferred with `ctx.deferReply()`. */
  #deferred: Envelope | undefined
  /**
   * The last method looked up. Actors mostly receive runs of the same message, and selectors
   * decoded from a batch are fresh strings: a keyed load and a Set lookup on them cost more
   * than comparing three characters.
   */
  #lastSelector: string | undefined
  #lastHandler: ((...args: unknown[]) => unknown) | undefined

  // The layers below read and change this state through these accessors, granted once (see
  // `CellState`): the fields stay here, where the per-message path reads them.
  static {
    grantCellState({
      reentry: (cell) => cell.#reentry,
      incarnation: (cell) => cell.#incarnation,
      busy: (cell) => cell.#busy,
      setStashedCurrent: (cell, envelope) => void (cell.#stashedCurrent = envelope),
      setDeferred: (cell, envelope) => void (cell.#deferred = envelope),
    })
  }

  constructor(
    readonly self: ActorRefImpl,
    readonly parent: ActorRefImpl | undefined,
    readonly handlers: ReadonlySet<string>,
    readonly host: CellHost,
    mailbox: ResolvedMailbox,
    options: CellOptions,
  ) {
    super()
    this.mailbox = createMailbox<Envelope>(mailbox)
    this.#handlerTimeoutMs = options.handlerTimeoutMs
    this.#askErrorsFail = options.askErrors === 'fail'
    if (options.reentrancy !== 'none') {
      this.#reentry = this.#reentrancy(options.reentrancy)
      useChains()
    }
  }

  get id(): number {
    return this.self.id
  }

  get runnable(): boolean {
    return (!this.#busy && !this.#paused && this.mailbox.length > 0) || (this.#reentry !== undefined && this.#reentry.entered.length > 0 && !this.#paused)
  }

  /** Attaches the constructed instance; `started()` then lets messages flow. */
  attach(instance: Actor, context: ActorContext, create: () => Actor): void {
    this.#instance = instance as MessageTarget
    this.#context = context
    this.#create = create
  }

  started(): void {
    this.#busy = false
    if (this.mailbox.length > 0) this.host.dispatcher.schedule(this)
  }

  enqueue(envelope: Envelope): void {
    if (this.#stopped) {
      this.host.undeliverable(this.self, envelope, 'stopped')
      return
    }
    if ((this.#suspended || this.#paused) && envelope.selector === STOP) {
      // Stopping a failed (or paused) actor: it will not process what it holds (Akka sends that to dead letters).
      this.#stop(envelope)
      return
    }
    const reentry = this.#reentry
    if (reentry !== undefined && reentry.admits(envelope) && !this.#suspended && !this.#paused) {
      // An ask of a chain one of its handlers awaits in: it runs next, ahead of the mailbox.
      reentry.entered.push(envelope)
      this.host.dispatcher.schedule(this)
      return
    }
    const offer = this.mailbox.offer(envelope)
    if (offer.accepted) {
      if (offer.evicted) this.#refused(offer.evicted)
      // A send is answered as soon as it is accepted; the message is then processed like a tell.
      if (envelope.correlation < 0) this.#admit(envelope)
      if (!this.#busy) this.host.dispatcher.schedule(this)
    } else if (!offer.parked) {
      this.#refused(envelope)
    }
  }

  /** A full mailbox dropped or refused it: its ask or send fails, a tell becomes a dead letter. */
  #refused(envelope: Envelope): void {
    this.host.undeliverable(this.self, envelope, 'mailbox-full', new MailboxFullError(describeRef(this.self)))
  }

  run(budget: number): number {
    if (this.#reentry !== undefined) return this.#runReentrant(this.#reentry, budget)
    const dispatcher = this.host.dispatcher
    dispatcher.current = this
    // The slice is checked after every message with one load of the shared coarse clock, so a
    // handler that ran long lets the turn end (and its reply leave) before the next one starts.
    const clock = dispatcher.clock
    const deadline = dispatcher.deadline
    let done = 0
    while (done < budget && !this.#busy && !this.#paused) {
      const next = this.mailbox.dequeue(this.#admit)
      if (next === undefined) break
      if (next.credit >= 0) this.host.creditReturned(next.credit, this.id)
      done++
      // An accepted send was answered on acceptance: from here on it is a tell.
      this.#process(next.correlation < 0 ? withCorrelation(next, 0) : next)
      if (clock[0]! >= deadline) break
    }
    dispatcher.current = undefined
    return done
  }

  /** `run` of a reentrant actor: asks of an awaiting chain first, then the mailbox unless a handler blocks it. */
  #runReentrant(reentry: Reentrancy, budget: number): number {
    const dispatcher = this.host.dispatcher
    dispatcher.current = this
    const clock = dispatcher.clock
    const deadline = dispatcher.deadline
    let done = 0
    while (done < budget && !this.#paused) {
      let next = reentry.entered.shift()
      if (next === undefined) {
        if (this.#busy) break
        next = this.mailbox.dequeue(this.#admit)
        if (next === undefined) break
        if (next.credit >= 0) this.host.creditReturned(next.credit, this.id)
      }
      done++
      this.#process(next.correlation < 0 ? withCorrelation(next, 0) : next)
      if (clock[0]! >= deadline) break
    }
    dispatcher.current = undefined
    return done
  }

  #process(envelope: Envelope): void {
    if (envelope.selector === STOP) {
      this.#stop(envelope)
      return
    }
    const instance = this.#instance!
    if (envelope.selector === TERMINATED) {
      this.#terminated(instance, envelope)
      return
    }
    if (envelope.selector === SYNC) {
      settle(envelope)
      if (envelope.correlation !== 0) this.host.replyOk(envelope, undefined)
      return
    }
    if (envelope.selector === PIPE) {
      this.#invokeHandler(envelope, envelope.body as () => unknown, instance, [])
      return
    }
    const { selector } = envelope
    let handler: ((...args: unknown[]) => unknown) | undefined
    if (selector === this.#lastSelector) {
      handler = this.#lastHandler
    } else if (selector === RECEIVE) {
      handler = typeof instance.receive === 'function' ? (instance.receive as (...args: unknown[]) => unknown) : undefined
    } else if (typeof selector === 'string' && this.handlers.has(selector)) {
      // (A router's control selector never gets here: its cell turns it into a method call.)
      handler = instance[selector] as (...args: unknown[]) => unknown
      this.#lastSelector = selector
      this.#lastHandler = handler
    }
    if (handler === undefined) {
      const name = selector === RECEIVE ? 'receive' : String(selector)
      this.host.undeliverable(this.self, envelope, 'unknown-message', new UnknownMessageError(describeRef(this.self), name))
      return
    }
    // `receive` takes (message, ctx); a method takes its argument array.
    const args = selector === RECEIVE ? undefined : Array.isArray(envelope.body) ? envelope.body : [envelope.body]
    this.#invokeHandler(envelope, handler, instance, args)
  }

  /**
   * Runs one handler for `envelope`: its result answers the ask; a promise keeps the cell busy.
   * `args` undefined means a `receive` call, `(body, ctx)`, made without building an array.
   */
  #invokeHandler(envelope: Envelope, handler: (...args: unknown[]) => unknown, instance: MessageTarget, args: unknown[] | undefined): void {
    // If the worker dies before the handler returns, its sender knows this message was running.
    const ledger = envelope.ledger
    if (ledger !== undefined) ledger.bytes[envelope.slot] = RUNNING
    if (this.#reentry !== undefined) {
      this.#reentry.invoke(envelope, handler, instance, args, this.#context)
      if (ledger !== undefined && ledger.bytes[envelope.slot] === RUNNING) ledger.bytes[envelope.slot] = UNSETTLED
      return
    }
    this.current = envelope
    let result: unknown
    try {
      // Once chains exist on this thread, a handler runs in its chain's context (none without one),
      // so that its asks carry the chain across awaits.
      result = chainsInUse
        ? callIn(envelope.chain === 0 ? undefined : invocation(this, envelope, envelope.chain, this.#incarnation), handler, instance, args, envelope.body, this.#context)
        : args === undefined
          ? handler.call(instance, envelope.body, this.#context)
          : handler.apply(instance, args)
    } catch (error) {
      this.current = undefined
      this.#failed(envelope, error)
      return
    }
    // Returned: no longer running. A stashed or awaiting message is unsettled until it is done;
    // a finished one is settled by #finished.
    if (this.#stashedCurrent === envelope) {
      if (ledger !== undefined) ledger.bytes[envelope.slot] = UNSETTLED
      this.#stashedCurrent = undefined
      this.current = undefined
      return
    }
    if (this.#deferred === envelope) {
      this.#deferred = undefined
      this.current = undefined
      this.#finished(envelope)
      return
    }
    if (isThenable(result)) {
      if (ledger !== undefined) ledger.bytes[envelope.slot] = UNSETTLED
      this.#busy = true
      const timer = this.#handlerTimeoutMs === undefined ? undefined : setTimeout(() => this.#handlerTimedOut(envelope), this.#handlerTimeoutMs)
      timer?.unref()
      result.then(
        (value) => {
          clearTimeout(timer)
          this.#resume(envelope, value, undefined, false)
        },
        (error: unknown) => {
          clearTimeout(timer)
          this.#resume(envelope, undefined, error, true)
        },
      )
      return
    }
    this.current = undefined
    if (envelope.correlation !== 0) this.host.replyOk(envelope, result)
    this.#finished(envelope)
  }

  /** The reentrancy state, with what its overlapping handlers need of this cell's own state. */
  #reentrancy(mode: Exclude<ReentrancyMode, 'none'>): Reentrancy {
    const cell = this
    return new Reentrancy(mode, {
      host: this.host,
      handlerTimeoutMs: this.#handlerTimeoutMs,
      get incarnation() {
        return cell.#incarnation
      },
      get gone() {
        return cell.#stopped
      },
      get suspended() {
        return cell.#suspended
      },
      setBusy: (busy) => void (this.#busy = busy),
      takeStashed: (envelope) => {
        if (this.#stashedCurrent !== envelope) return false
        this.#stashedCurrent = undefined
        return true
      },
      failed: (envelope, error) => this.#failed(envelope, error),
      finished: (envelope) => this.#finished(envelope),
      timeoutError: (envelope) => this.#timeoutError(envelope),
      settled: () => {
        const after = this.#reentry!.pending === 0 ? this.#afterHandler : undefined
        if (after) {
          this.#afterHandler = undefined
          after()
        } else if (this.runnable) this.host.dispatcher.schedule(this)
      },
    })
  }

  #timeoutError(envelope: Envelope): HandlerTimeoutError {
    const selector = typeof envelope.selector === 'string' ? envelope.selector : 'a system message'
    return new HandlerTimeoutError(describeRef(this.self), selector, this.#handlerTimeoutMs!)
  }

  /**
   * The envelope being handled (`ctx.sender`, `deferReply`, `stash`), in the handler's code before
   * and after its awaits. A reentrant actor's handlers overlap: each finds its own.
   */
  currentEnvelope(): Envelope | undefined {
    return this.#reentry === undefined ? this.current : invocationOf(this.#reentry)?.envelope
  }

  /** The message is processed: its sender's ledger and a router that forwarded it hear so. */
  #finished(envelope: Envelope): void {
    settle(envelope)
    if (envelope.route !== undefined) this.host.routeeDone(envelope.route, this.id)
  }

  /** Death watch: a watched actor stopped. Runs `onTerminated` like a handler (it may fail too). */
  #terminated(instance: MessageTarget, envelope: Envelope): void {
    if (typeof instance.onTerminated !== 'function') {
      settle(envelope)
      return
    }
    const [id, thread, name] = envelope.body as [number, number, string | undefined]
    this.#invokeHandler(envelope, instance.onTerminated as (...args: unknown[]) => unknown, instance, [this.host.refTo(id, thread, name)])
  }

  /** The handler of `envelope` is still pending past `handlerTimeoutMs`: a failure of the actor. */
  #handlerTimedOut(envelope: Envelope): void {
    if (this.current !== envelope || this.#suspended) return
    this.#timedOut = envelope
    this.current = undefined
    this.#failed(envelope, this.#timeoutError(envelope))
  }

  #resume(envelope: Envelope, value: unknown, error: unknown, failed: boolean): void {
    if (this.#timedOut === envelope) {
      this.#timedOut = undefined // already failed; this late result is ignored
      return
    }
    this.current = undefined
    this.#busy = false
    const deferred = this.#deferred === envelope
    if (deferred) this.#deferred = undefined
    if (failed) this.#failed(envelope, error)
    else {
      if (envelope.correlation !== 0 && !deferred) this.host.replyOk(envelope, value)
      this.#finished(envelope)
    }
    const after = this.#afterHandler
    this.#afterHandler = undefined
    if (after) after()
    else if (!this.#busy && this.mailbox.length > 0) this.host.dispatcher.schedule(this)
  }

  /**
   * A handler threw or rejected: answer its ask. An ask's error is the asker's (RPC semantics,
   * `askErrors: 'reply'`): the actor carries on with its state. Anything else (a tell, a timer, a
   * continuation, `askErrors: 'fail'`, or a handler stuck past its timeout, whose state is suspect)
   * fails the actor: it stops taking messages and its supervisor decides.
   */
  #failed(envelope: Envelope, error: unknown): void {
    if (envelope.correlation !== 0) this.host.replyError(envelope, error)
    this.#finished(envelope)
    if (envelope.correlation > 0 && !this.#askErrorsFail && !(error instanceof HandlerTimeoutError)) return
    this.#suspend(error)
  }

  #suspend(error: unknown): void {
    this.#suspended = true
    this.#busy = true
    this.#requeueEntered()
    this.host.actorFailed(this, error)
  }

  /** Asks that entered with their chain go back to the front of the mailbox: the actor takes none now. */
  #requeueEntered(): void {
    const entered = this.#reentry?.entered
    if (entered !== undefined && entered.length > 0) this.mailbox.prepend(entered.splice(0))
  }

  /**
   * Supervisor directive: a sibling failed under one-for-all (or rest-for-one) and this actor
   * will be restarted with it; until then it takes no message. A handler in progress finishes.
   */
  pause(): void {
    if (this.#stopped) return
    this.#paused = true
    this.#requeueEntered()
  }

  /** Supervisor directive: carry on with the same instance and the next message. */
  resume(): void {
    if (!this.#suspended || this.#stopped) return
    this.#suspended = false
    // A call-chain actor whose other handlers still await stays busy for other chains.
    this.#busy = this.#reentry !== undefined && this.#reentry.mode === 'call-chain' && this.#reentry.pending > 0
    if (this.mailbox.length > 0) this.host.dispatcher.schedule(this)
  }

  /**
   * Supervisor directive: replace the instance with a fresh one (same class and arguments),
   * keeping the mailbox. The old instance gets `onStop`, the new one `onRestart(cause)` then
   * `onStart`. A handler still running (a sibling restarted by one-for-all) finishes first.
   * A failure while restarting is reported like any other.
   */
  restart(cause: Error): Promise<void> {
    if (this.#stopped) return Promise.resolve()
    const inHandler = this.#reentry === undefined ? this.#busy : this.#reentry.pending > 0
    if (inHandler && !this.#suspended) {
      return new Promise((resolve) => {
        this.#afterHandler = () => void this.restart(cause).then(resolve)
      })
    }
    this.#suspended = true
    this.#busy = true
    return this.#replaceInstance(cause)
  }

  async #replaceInstance(cause: Error): Promise<void> {
    this.cancelTimers()
    this.#incarnation++
    this.#reentry?.reset()
    try {
      await this.#instance?.onStop?.()
    } catch {
      // The old instance is being discarded because it failed; its cleanup error adds nothing.
    }
    this.returnStash()
    let fresh: MessageTarget
    try {
      fresh = this.#create!() as MessageTarget
      this.#instance = fresh
      this.#lastSelector = undefined
      this.#lastHandler = undefined
      await fresh.onRestart?.(cause)
      await fresh.onStart?.()
    } catch (error) {
      this.host.actorFailed(this, error)
      return
    }
    if (this.#stopped) return
    this.#suspended = false
    this.#busy = false
    this.#paused = false
    if (this.mailbox.length > 0) this.host.dispatcher.schedule(this)
  }

  /** Subclasses release what they hold besides the mailbox (a router's waiting messages). */
  protected onStopped(): void {}

  /**
   * The stop message: it arrives after everything the stopper sent before it. Runs `onStop`,
   * then hands whatever is still queued to dead letters (or fails its asks), then confirms.
   */
  #stop(envelope: Envelope): void {
    this.#stopped = true
    this.cancelTimers()
    this.#suspended = false
    this.#busy = true
    // An `onStop` failure travels in the stop's own reply: reported on another channel, it could
    // arrive after the system had already forgotten the actor.
    const finish = (failure?: unknown): void => {
      const entered = this.#reentry?.entered.splice(0) ?? []
      for (const left of [...this.takeStash(), ...entered, ...this.mailbox.drain()]) this.host.undeliverable(this.self, left, 'stopped')
      this.onStopped()
      this.host.cellStopped(this)
      settle(envelope)
      this.host.replyOk(envelope, failure === undefined ? undefined : toWireError(failure))
    }
    let result: unknown
    try {
      result = this.#instance?.onStop?.()
    } catch (error) {
      finish(error)
      return
    }
    if (isThenable(result)) result.then(() => finish(), finish)
    else finish()
  }
}
