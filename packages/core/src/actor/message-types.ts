/**
 * Type-level mapping from an actor class to the messages its refs accept. A method is a
 * message; lifecycle hooks and `receive` are not.
 */

/** Names an actor class declares that are never messages. */
export type ReservedMember = 'onStart' | 'onStop' | 'onRestart' | 'onTerminated' | 'onReminder' | 'applyEvent' | 'upcastEvent' | 'receive' | 'then' | 'constructor'

import type { DeferredReply } from './context.js'

type AnyFunction = (...args: never[]) => unknown

/**
 * What an ask resolves to for a handler returning `R`: its awaited value, or `T` when the
 * handler returns the `DeferredReply<T>` it got from `ctx.deferReply()`.
 */
export type ReplyValue<R> = R extends DeferredReply<infer T> ? T : Awaited<R>

/** The public method names of `A` that refs can call. */
export type MessageMethodName<A> = {
  [K in keyof A]: K extends ReservedMember ? never : K extends string ? (A[K] extends AnyFunction ? K : never) : never
}[keyof A]

/**
 * The call signatures of `A['receive']` as `[parameters, result]` pairs, in declaration order.
 * TypeScript gives no direct access to overloads; matching against a type with 8 call signatures
 * infers each of them (a function with fewer repeats some, which is harmless here).
 */
type ReceiveSignatures<A> = A extends { receive: infer F }
  ? F extends {
      (...args: infer P1): infer R1
      (...args: infer P2): infer R2
      (...args: infer P3): infer R3
      (...args: infer P4): infer R4
      (...args: infer P5): infer R5
      (...args: infer P6): infer R6
      (...args: infer P7): infer R7
      (...args: infer P8): infer R8
    }
    ? [[P1, R1], [P2, R2], [P3, R3], [P4, R4], [P5, R5], [P6, R6], [P7, R7], [P8, R8]]
    : F extends (...args: infer P) => infer R
      ? [[P, R]]
      : []
  : []

type FirstParameter<P> = P extends readonly [infer M, ...unknown[]] ? M : P extends readonly [(infer M)?, ...unknown[]] ? M : never

/** The message type of a message-style actor (`receive(msg, ctx)`): every overload's message, or `never`. */
export type MessageOf<A> = ReceiveSignatures<A>[number] extends infer S ? (S extends [infer P, unknown] ? FirstParameter<P> : never) : never

/** What `ask(msg)` resolves to for a message-style actor, over every message it takes. */
export type ReplyOf<A> = ReceiveSignatures<A>[number] extends infer S ? (S extends [unknown, infer R] ? ReplyValue<R> : never) : never

/** The reply of the first signature (in declaration order) that takes `M`, as an overloaded call would pick. */
type FirstMatch<Signatures, M, Fallback> = Signatures extends [[infer P, infer R], ...infer Rest]
  ? [M] extends [FirstParameter<P>]
    ? ReplyValue<R>
    : FirstMatch<Rest, M, Fallback>
  : Fallback

/**
 * What `ask(message)` resolves to for a message of type `M`. Declare `receive` with one overload
 * per message variant (`receive(msg: Deposit): void; receive(msg: Balance): number`) and each
 * ask is typed by its variant's reply, as a call would be. A union of variants gets the union of
 * their replies.
 */
export type ReplyFor<A, M> = M extends unknown ? FirstMatch<ReceiveSignatures<A>, M, ReplyOf<A>> : never

/** `ref.tell.method(...args)`: fire-and-forget calls, one per message method. */
export type TellMethods<A> = {
  readonly [K in MessageMethodName<A>]: A[K] extends (...args: infer P) => unknown ? (...args: P) => void : never
}

/** `await ref.ask.method(...args)`: request-reply calls resolving to the method's awaited result. */
export type AskMethods<A> = {
  readonly [K in MessageMethodName<A>]: A[K] extends (...args: infer P) => infer R
    ? (...args: P) => Promise<ReplyValue<R>>
    : never
}

type IfReceives<A, T> = [MessageOf<A>] extends [never] ? unknown : T

/** The type of `ref.tell`: callable with a message (message-style actors) and/or method calls. */
export type Tell<A> = TellMethods<A> & IfReceives<A, (message: MessageOf<A>) => void>

/** The type of `ref.ask`: the typed proxy, callable with a message and/or method calls. */
export type Ask<A> = AskMethods<A> & IfReceives<A, <M extends MessageOf<A>>(message: M) => Promise<ReplyFor<A, M>>>

/** `await ref.send.method(...args)`: resolves once the mailbox accepted the message. */
export type SendMethods<A> = {
  readonly [K in MessageMethodName<A>]: A[K] extends (...args: infer P) => unknown ? (...args: P) => Promise<void> : never
}

/** The type of `ref.send`. */
export type Send<A> = SendMethods<A> & IfReceives<A, (message: MessageOf<A>) => Promise<void>>
