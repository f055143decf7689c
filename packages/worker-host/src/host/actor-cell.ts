import { MailboxFullError, UnknownMessageError, type Actor, type ActorContext, type ReentrancyMode } from '@troupe/core'
import { PIPE, RECEIVE, STOP, SYNC, TERMINATED, createMailbox, describeRef, type ActorRefImpl, type Mailbox, type MailboxAdmitter, type ResolvedMailbox } from '@troupe/core/internal'
import type { Runnable } from './dispatcher.js'
import { settle, withCorrelation, type Envelope } from './envelope.js'
import { RUNNING, UNSETTLED } from '../transport/ledger.js'
import { Reentrancy, callIn, chainsInUse, invocation, invocationOf, useChains } from './reentrancy.js'
import type { CellHost, CellOptions, InstanceFactory } from './cell-host.js'
import { CellLifecycle } from './cell-lifecycle.js'
import { grantCellState } from './cell-state.js'
import { isThenable, type MessageTarget } from './message-target.js'

export { DEFAULT_CELL_OPTIONS, type CellHost, type CellOptions, type InstanceFactory } from './cell-host.js'

/**
 * One actor on this thread: its instance, mailbox and processing state. It processes one
 * envelope at a time; while an async handler is pending the cell is `busy` and is not
 * scheduled, which is what keeps state consistent across `await`.
 *
 * This class is the per-message path (enqueue, run, handler invocation and results) and the
 * state it reads. The rest is in the layers it extends: `CellLifecycle` (failure, supervisor
 * directives, stop) on `DeferredWork` (stash, deferred replies, `pipeToSelf`, timers).
 */
export class ActorCell extends CellLifecycle implements Runnable, MailboxAdmitter<Envelope> {
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
  #factory: InstanceFactory | undefined
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
  /** Set for `reentrancy` other than 'none'; 'none' actors take none of the reentrant paths. */
  readonly #reentry: Reentrancy | undefined
  /** The envelope whose reply the handler deferred with `ctx.deferReply()`. */
  #deferred: Envelope | undefined
  /**
   * The last method looked up. Actors mostly receive runs of the same message, and a selector
   * that came over a link is the link's interned string (one object per method name): comparing
   * it with the last one costs less than a keyed load and a Set lookup.
   */
  #lastSelector: string | undefined
  #lastHandler: ((...args: unknown[]) => unknown) | undefined

  // The layers below read and change this state through these accessors, granted once (see
  // `CellState`): the fields stay here, where the per-message path reads them.
  static {
    grantCellState({
      instance: (cell) => cell.#instance,
      adopt: (cell, fresh) => {
        cell.#instance = fresh
        cell.#lastSelector = undefined
        cell.#lastHandler = undefined
      },
      create: (cell) => cell.#factory?.create(cell.#context!),
      handlerTimeoutMs: (cell) => cell.#handlerTimeoutMs,
      reentry: (cell) => cell.#reentry,
      incarnation: (cell) => cell.#incarnation,
      nextIncarnation: (cell) => void cell.#incarnation++,
      stopped: (cell) => cell.#stopped,
      markStopped: (cell) => void (cell.#stopped = true),
      suspended: (cell) => cell.#suspended,
      setSuspended: (cell, suspended) => void (cell.#suspended = suspended),
      busy: (cell) => cell.#busy,
      setBusy: (cell, busy) => void (cell.#busy = busy),
      setPaused: (cell, paused) => void (cell.#paused = paused),
      setAfterHandler: (cell, then) => void (cell.#afterHandler = then),
      setStashedCurrent: (cell, envelope) => void (cell.#stashedCurrent = envelope),
      setDeferred: (cell, envelope) => void (cell.#deferred = envelope),
      setTimedOut: (cell, envelope) => void (cell.#timedOut = envelope),
      finished: (cell, envelope) => cell.#finished(envelope),
      process: (cell, envelope) => cell.#process(envelope),
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
    super(options)
    this.mailbox = createMailbox<Envelope>(mailbox)
    this.#handlerTimeoutMs = options.handlerTimeoutMs
    if (options.reentrancy !== 'none') {
      this.#reentry = this.#reentrancy(options.reentrancy)
      useChains()
    }
  }

  get id(): number {
    return this.self.id
  }

  get waiting(): number {
    return this.mailbox.length
  }

  /** Its class's name (metrics and traces label actors by it). */
  typeName(): string {
    return this.#instance?.constructor.name || 'anonymous'
  }

  /** A parked message entered the mailbox: a waiting send is acknowledged. */
  admitted(admitted: Envelope): void {
    if (admitted.correlation < 0) this.host.replyOk(admitted, undefined)
  }

  get runnable(): boolean {
    return (!this.#busy && !this.#paused && this.mailbox.length > 0) || (this.#reentry !== undefined && this.#reentry.entered.length > 0 && !this.#paused)
  }

  /** Attaches the constructed instance; `started()` then lets messages flow. */
  attach(instance: Actor, context: ActorContext, factory: InstanceFactory): void {
    this.#instance = instance as MessageTarget
    this.#context = context
    this.#factory = factory
  }

  started(): void {
    this.host.instrument?.started(this)
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
      this.stop(envelope)
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
      if (envelope.correlation < 0) this.admitted(envelope)
      if (!this.#busy) this.host.dispatcher.schedule(this)
    } else if (!offer.parked) {
      this.#refused(envelope)
    }
  }

  /** A full mailbox dropped or refused it: its ask or send fails, a tell becomes a dead letter. */
  #refused(envelope: Envelope): void {
    this.host.undeliverable(this.self, envelope, 'mailbox-full', new MailboxFullError(describeRef(this.self)))
  }

  /**
   * Processes up to `budget` messages. A reentrant actor takes the asks of an awaiting chain
   * first, then its mailbox unless a handler blocks it; any other stops at its first async handler.
   */
  run(budget: number): number {
    const dispatcher = this.host.dispatcher
    dispatcher.current = this
    // The slice is checked after every message with one load of the shared coarse clock, so a
    // handler that ran long lets the turn end (and its reply leave) before the next one starts.
    const clock = dispatcher.clock
    const deadline = dispatcher.deadline
    const entered = this.#reentry?.entered
    // Read once per run: undefined unless metrics or tracing are on (see instrument.ts).
    const instrument = this.host.instrument
    const depth = this.mailbox.length
    let done = 0
    while (done < budget && !this.#paused) {
      let next = entered?.shift()
      if (next === undefined) {
        if (this.#busy) break
        next = this.mailbox.dequeue(this)
        if (next === undefined) break
        if (next.credit >= 0) this.host.creditReturned(next.credit, this.id)
      }
      done++
      // An accepted send was answered on acceptance: from here on it is a tell.
      const message = next.correlation < 0 ? withCorrelation(next, 0) : next
      if (instrument === undefined || !instrument.needs(message)) this.#process(message)
      else instrument.process(this, message)
      if (clock[0]! >= deadline) break
    }
    dispatcher.current = undefined
    instrument?.ran(this, done, depth)
    return done
  }

  #process(envelope: Envelope): void {
    if (envelope.selector === STOP) {
      this.stop(envelope)
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
      this.failed(envelope, error)
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
      const clock = this.host.clock
      const timer = this.#handlerTimeoutMs === undefined ? undefined : clock.setTimeout(() => this.handlerTimedOut(envelope), this.#handlerTimeoutMs, true)
      result.then(
        (value) => {
          clock.clearTimeout(timer)
          this.#resume(envelope, value, undefined, false)
        },
        (error: unknown) => {
          clock.clearTimeout(timer)
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
      failed: (envelope, error) => this.failed(envelope, error),
      finished: (envelope) => this.#finished(envelope),
      timeoutError: (envelope) => this.timeoutError(envelope),
      settled: () => {
        const after = this.#reentry!.pending === 0 ? this.#afterHandler : undefined
        if (after) {
          this.#afterHandler = undefined
          after()
        } else if (this.runnable) this.host.dispatcher.schedule(this)
      },
    })
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
    envelope.probe?.owner.finished(envelope, undefined)
    settle(envelope)
    if (envelope.route !== undefined) this.host.routeeDone(envelope.route, this.id)
  }

  /** Death watch: a watched actor stopped. Runs `onTerminated` like a handler (it may fail too). */
  #terminated(instance: MessageTarget, envelope: Envelope): void {
    const [id, thread, name, node] = envelope.body as [number, number, string | undefined, number | undefined]
    // Reported by another node: the watch there is over, so its node's death must not report it again.
    if (node !== undefined && node !== this.host.node) this.host.cluster?.watches.forget(node, this.id, id)
    if (typeof instance.onTerminated !== 'function') {
      settle(envelope)
      return
    }
    this.#invokeHandler(envelope, instance.onTerminated as (...args: unknown[]) => unknown, instance, [this.host.refAt(id, thread, name, node)])
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
    if (failed) this.failed(envelope, error)
    else {
      if (envelope.correlation !== 0 && !deferred) this.host.replyOk(envelope, value)
      this.#finished(envelope)
    }
    const after = this.#afterHandler
    this.#afterHandler = undefined
    if (after) after()
    else if (!this.#busy && this.mailbox.length > 0) this.host.dispatcher.schedule(this)
  }
}
