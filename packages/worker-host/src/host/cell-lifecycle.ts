import { HandlerTimeoutError } from '@troupe/core'
import { describeRef, toWireError } from '@troupe/core/internal'
import type { ActorCell } from './actor-cell.js'
import type { CellOptions } from './cell-host.js'
import { cellState } from './cell-state.js'
import { DeferredWork } from './deferred-work.js'
import type { LocalRecord } from './local-record.js'
import { settle, type Envelope } from './envelope.js'
import { isThenable, type MessageTarget } from './message-target.js'
import { restartChannel, type RestartContext } from '../diagnostics/channels.js'
import { traceOperation } from '../diagnostics/trace-operation.js'

/**
 * The middle layer of an `ActorCell`: what happens to it besides processing messages. A handler's
 * failure (or a handler stuck past its timeout) answers the ask and may fail the actor, which is
 * then suspended until its supervisor decides; the supervisor's directives pause, resume or
 * restart it (a fresh instance, same mailbox); the stop message ends it. None of it runs for a
 * message that succeeds.
 *
 * Its methods run on an `ActorCell` only (`this: ActorCell`), and reach the cell's processing
 * state through `cellState` (see `CellState`).
 */
export abstract class CellLifecycle extends DeferredWork {
  /** Its record in this thread's local tree, when it is a child spawned here (see `LocalTree`). */
  localRecord: LocalRecord | undefined = undefined
  /** `askErrors: 'fail'`: an ask's error fails the actor too (Akka), instead of only rejecting the ask. */
  readonly #askErrorsFail: boolean

  constructor(options: CellOptions) {
    super()
    this.#askErrorsFail = options.askErrors === 'fail'
  }

  /**
   * A handler threw or rejected: answer its ask. An ask's error is the asker's (RPC semantics,
   * `askErrors: 'reply'`): the actor carries on with its state. Anything else (a tell, a timer, a
   * continuation, `askErrors: 'fail'`, or a handler stuck past its timeout, whose state is suspect)
   * fails the actor: it stops taking messages and its supervisor decides.
   */
  protected failed(this: ActorCell, envelope: Envelope, error: unknown): void {
    this.host.instrument?.failed(this, envelope, error)
    if (envelope.correlation !== 0) this.host.replyError(envelope, error)
    cellState.finished(this, envelope)
    if (envelope.correlation > 0 && !this.#askErrorsFail && !(error instanceof HandlerTimeoutError)) return
    this.#suspend(error)
  }

  /** The handler of `envelope` is still pending past `handlerTimeoutMs`: a failure of the actor. */
  protected handlerTimedOut(this: ActorCell, envelope: Envelope): void {
    if (this.current !== envelope || cellState.suspended(this)) return
    cellState.setTimedOut(this, envelope)
    this.current = undefined
    this.failed(envelope, this.timeoutError(envelope))
  }

  /** What a handler past `handlerTimeoutMs` fails its actor with (a reentrant actor's handler too). */
  protected timeoutError(this: ActorCell, envelope: Envelope): HandlerTimeoutError {
    const selector = typeof envelope.selector === 'string' ? envelope.selector : 'a system message'
    return new HandlerTimeoutError(describeRef(this.self), selector, cellState.handlerTimeoutMs(this)!)
  }

  /** The actor failed: it takes no message (only a stop gets through), and its supervisor decides. */
  #suspend(this: ActorCell, error: unknown): void {
    cellState.setSuspended(this, true)
    cellState.setBusy(this, true)
    this.#requeueEntered()
    this.host.actorFailed(this, error)
  }

  /** Asks that entered with their chain go back to the front of the mailbox: the actor takes none now. */
  #requeueEntered(this: ActorCell): void {
    const entered = cellState.reentry(this)?.entered
    if (entered !== undefined && entered.length > 0) this.mailbox.prepend(entered.splice(0))
  }

  /**
   * Supervisor directive: a sibling failed under one-for-all (or rest-for-one) and this actor
   * will be restarted with it; until then it takes no message. A handler in progress finishes.
   */
  pause(this: ActorCell): void {
    if (cellState.stopped(this)) return
    cellState.setPaused(this, true)
    this.#requeueEntered()
  }

  /** Supervisor directive: carry on with the same instance and the next message. */
  resume(this: ActorCell): void {
    if (!cellState.suspended(this) || cellState.stopped(this)) return
    cellState.setSuspended(this, false)
    // A call-chain actor whose other handlers still await stays busy for other chains.
    const reentry = cellState.reentry(this)
    cellState.setBusy(this, reentry !== undefined && reentry.mode === 'call-chain' && reentry.pending > 0)
    if (this.mailbox.length > 0) this.host.dispatcher.schedule(this)
  }

  /**
   * Supervisor directive: replace the instance with a fresh one (same class and arguments),
   * keeping the mailbox. The old instance gets `onStop`, the new one `onRestart(cause)` then
   * `onStart`. A handler still running (a sibling restarted by one-for-all) finishes first.
   * A failure while restarting is reported like any other.
   */
  restart(this: ActorCell, cause: Error): Promise<void> {
    if (cellState.stopped(this)) return Promise.resolve()
    const reentry = cellState.reentry(this)
    const inHandler = reentry === undefined ? cellState.busy(this) : reentry.pending > 0
    if (inHandler && !cellState.suspended(this)) {
      return new Promise((resolve) => {
        cellState.setAfterHandler(this, () => void this.restart(cause).then(resolve))
      })
    }
    cellState.setSuspended(this, true)
    cellState.setBusy(this, true)
    if (!restartChannel.hasSubscribers) return this.#replaceInstance(cause)
    const context: RestartContext = { thread: this.self.home, actor: this.id, actorType: this.typeName(), cause }
    return traceOperation(restartChannel, context, () => this.#replaceInstance(cause))
  }

  async #replaceInstance(this: ActorCell, cause: Error): Promise<void> {
    this.cancelTimers()
    cellState.nextIncarnation(this)
    cellState.reentry(this)?.reset()
    try {
      await cellState.instance(this)?.onStop?.()
    } catch {
      // The old instance is being discarded because it failed; its cleanup error adds nothing.
    }
    this.returnStash()
    let fresh: MessageTarget
    try {
      fresh = cellState.create(this)! as MessageTarget
      cellState.adopt(this, fresh)
      await fresh.onRestart?.(cause)
      await fresh.onStart?.()
    } catch (error) {
      this.host.actorFailed(this, error)
      return
    }
    if (cellState.stopped(this)) return
    this.host.instrument?.restarted(this)
    cellState.setSuspended(this, false)
    cellState.setBusy(this, false)
    cellState.setPaused(this, false)
    if (this.mailbox.length > 0) this.host.dispatcher.schedule(this)
  }

  /** Subclasses release what they hold besides the mailbox (a router's waiting messages). */
  protected onStopped(): void {}

  /**
   * The stop message: it arrives after everything the stopper sent before it. Runs `onStop`,
   * then hands whatever is still queued to dead letters (or fails its asks), then confirms.
   */
  protected stop(this: ActorCell, envelope: Envelope): void {
    cellState.markStopped(this)
    this.cancelTimers()
    cellState.setSuspended(this, false)
    cellState.setBusy(this, true)
    // Children stop first (OTP); most actors have none, and stop at once.
    const children = this.host.beforeStop(this)
    if (children === undefined) this.#stopSelf(envelope)
    else void children.then(() => this.#stopSelf(envelope))
  }

  /** Its start failed: it takes nothing more, and hands back what waited for it. */
  startFailed(this: ActorCell): Envelope[] {
    cellState.markStopped(this)
    this.cancelTimers()
    return [...this.takeStash(), ...this.mailbox.drain()]
  }

  #stopSelf(this: ActorCell, envelope: Envelope): void {
    // An `onStop` failure travels in the stop's own reply: reported on another channel, it could
    // arrive after the system had already forgotten the actor.
    const finish = (failure?: unknown): void => {
      // Most actors stop with nothing left over: no arrays made for them.
      const entered = cellState.reentry(this)?.entered.splice(0)
      if (entered !== undefined) for (const left of entered) this.host.undeliverable(this.self, left, 'stopped')
      for (const left of this.takeStash()) this.host.undeliverable(this.self, left, 'stopped')
      if (this.mailbox.length > 0) for (const left of this.mailbox.drain()) this.host.undeliverable(this.self, left, 'stopped')
      this.onStopped()
      this.host.cellStopped(this)
      settle(envelope)
      this.host.replyOk(envelope, failure === undefined ? undefined : toWireError(failure))
    }
    let result: unknown
    try {
      result = cellState.instance(this)?.onStop?.()
    } catch (error) {
      finish(error)
      return
    }
    if (isThenable(result)) result.then(() => finish(), finish)
    else finish()
  }
}
