/**
 * Type-level mapping from an actor class to the messages its refs accept. A method is a
 * message; lifecycle hooks and `receive` are not.
 */

/** Names an actor class declares that are never messages. */
export type ReservedMember = 'onStart' | 'onStop' | 'onRestart' | 'onTerminated' | 'receive' | 'then' | 'constructor'

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

/** The message type of a message-style actor (`receive(msg, ctx)`), or `never`. */
export type MessageOf<A> = A extends { receive: (message: infer M, ...rest: infer _Rest) => unknown } ? M : never

/** What `ask(msg)` resolves to for a message-style actor. */
export type ReplyOf<A> = A extends { receive: (...args: infer _Args) => infer R } ? ReplyValue<R> : never

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
export type Ask<A> = AskMethods<A> & IfReceives<A, (message: MessageOf<A>) => Promise<ReplyOf<A>>>

/** `await ref.send.method(...args)`: resolves once the mailbox accepted the message. */
export type SendMethods<A> = {
  readonly [K in MessageMethodName<A>]: A[K] extends (...args: infer P) => unknown ? (...args: P) => Promise<void> : never
}

/** The type of `ref.send`. */
export type Send<A> = SendMethods<A> & IfReceives<A, (message: MessageOf<A>) => Promise<void>>
