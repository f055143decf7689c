import { InvalidOptionError, type Cancellable, type DeferredReply } from '@troupe/core'
import { PIPE } from '@troupe/core/internal'
import type { ActorCell } from './actor-cell.js'
import { cellState } from './cell-state.js'
import { envelope as makeEnvelope, type Envelope } from './envelope.js'
import { invocationOf } from './reentrancy.js'
import type { Timer } from '../clock/clock.js'

/**
 * The bottom layer of an `ActorCell`: what its actor puts off through its context. Messages it
 * stashes, replies it defers, promises whose outcome comes back as its own message
 * (`pipeToSelf`), and timers, whose callbacks come back the same way. None of it runs per
 * message. `CellLifecycle`, the layer above, decides what becomes of it: a restart puts the stash
 * back in the mailbox and cancels the timers, a stop drops both.
 *
 * Its methods run on an `ActorCell` only (`this: ActorCell`), and reach the cell's processing
 * state through `cellState` (see `CellState`).
 */
export abstract class DeferredWork {
  /** Messages set aside with `ctx.stash()`, in order (created on first use: most actors never stash). */
  #stash: Envelope[] | undefined
  /** Pending `ctx.schedule` and `ctx.every` timers (created on first use). */
  #timers: Set<Timer> | undefined

  /** `ctx.stash()`: the message being handled waits until `unstashAll()`. */
  stash(this: ActorCell): void {
    const envelope = this.currentEnvelope()
    if (envelope === undefined) throw new Error('stash() can only be called while handling a message')
    ;(this.#stash ??= []).push(envelope)
    cellState.setStashedCurrent(this, envelope)
  }

  /** `ctx.unstashAll()`: every stashed message goes back to the front of the mailbox, in order. */
  unstashAll(this: ActorCell): void {
    if (this.#stash === undefined || this.#stash.length === 0) return
    this.mailbox.prepend(this.#stash.splice(0))
    if (!cellState.busy(this)) this.host.dispatcher.schedule(this)
  }

  /** Akka: a restarted actor gets its stash back at the front of its mailbox. */
  protected returnStash(this: ActorCell): void {
    if (this.#stash !== undefined && this.#stash.length > 0) this.mailbox.prepend(this.#stash.splice(0))
  }

  /** The stashed messages, taken out: the actor stops and will not process them. */
  protected takeStash(): Envelope[] {
    return this.#stash?.splice(0) ?? []
  }

  /** See `ActorContext.pipeToSelf`: the continuation is a message of this actor. */
  pipeToSelf<T>(this: ActorCell, promise: PromiseLike<T>, onSuccess: (value: T) => unknown, onFailure?: (error: unknown) => unknown): void {
    const deliver = (body: () => unknown): void => this.enqueue(makeEnvelope(this.id, this.self.home, 0, PIPE, body))
    promise.then(
      (value) => deliver(() => onSuccess(value)),
      (error: unknown) =>
        deliver(() => {
          if (!onFailure) throw error
          return onFailure(error)
        }),
    )
  }

  /** Detaches the reply of the message being processed; see `ActorContext.deferReply`. */
  deferReply<T>(this: ActorCell): DeferredReply<T> {
    const envelope = this.currentEnvelope()
    if (envelope === undefined) throw new Error('deferReply() can only be called while handling a message')
    const reentry = cellState.reentry(this)
    if (reentry !== undefined) invocationOf(reentry)!.deferred = true
    else cellState.setDeferred(this, envelope)
    let settled = envelope.correlation === 0
    return {
      resolve: (value: T) => {
        if (settled) return
        settled = true
        this.host.replyOk(envelope, value)
      },
      reject: (error: unknown) => {
        if (settled) return
        settled = true
        this.host.replyError(envelope, error)
      },
    }
  }

  /** See `ActorContext.schedule`: a timer whose callback is a message of this actor. */
  schedule(this: ActorCell, delayMs: number, callback: () => unknown): Cancellable {
    checkDelay('delayMs', delayMs, 0)
    if (typeof callback !== 'function') throw new InvalidOptionError('callback', 'a function', callback)
    return this.startTimer(delayMs, callback, false)
  }

  /** See `ActorContext.every`: the same, again every `intervalMs` until cancelled. */
  every(this: ActorCell, intervalMs: number, callback: () => unknown): Cancellable {
    checkDelay('intervalMs', intervalMs, 1)
    if (typeof callback !== 'function') throw new InvalidOptionError('callback', 'a function', callback)
    return this.startTimer(intervalMs, callback, true)
  }

  private startTimer(this: ActorCell, delayMs: number, callback: () => unknown, repeat: boolean): Cancellable {
    const timers = (this.#timers ??= new Set())
    const clock = this.host.clock
    // A callback that fired but still waits in the mailbox when the actor restarts must not run
    // on the new instance: it checks the incarnation it was scheduled by.
    const incarnation = cellState.incarnation(this)
    let timer: Timer
    const fire = (): void => {
      timers.delete(timer)
      this.enqueue(makeEnvelope(this.id, this.self.home, 0, PIPE, () => (incarnation === cellState.incarnation(this) ? callback() : undefined)))
      if (repeat && incarnation === cellState.incarnation(this)) arm()
    }
    const arm = (): void => {
      timer = clock.setTimeout(fire, delayMs)
      timers.add(timer)
    }
    arm()
    return {
      cancel: () => {
        clock.clearTimeout(timer)
        return timers.delete(timer)
      },
    }
  }

  /** Stop and restart cancel every pending timer: its callback belongs to the old instance. */
  protected cancelTimers(this: ActorCell): void {
    if (this.#timers === undefined) return
    for (const timer of this.#timers) this.host.clock.clearTimeout(timer)
    this.#timers.clear()
  }
}

function checkDelay(name: string, ms: number, min: number): void {
  if (!(Number.isInteger(ms) && ms >= min && ms <= 2 ** 31 - 1)) throw new InvalidOptionError(name, `an integer from ${min} to 2147483647`, ms)
}
