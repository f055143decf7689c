import { describe, expectTypeOf, it } from 'vitest'
import { Actor, type ActorRef, type DeferredReply, type MessageOf, type ReplyOf } from '../src/index.js'

type Deposit = { type: 'deposit'; amount: number }
type Balance = { type: 'balance' }
type History = { type: 'history'; last: number }
type Msg = Deposit | Balance | History

/** One overload per message variant: each ask is typed by its variant's reply. */
class Account extends Actor {
  #balance = 0
  #log: number[] = []
  receive(msg: Deposit): void
  receive(msg: Balance): number
  receive(msg: History): Promise<readonly number[]>
  receive(msg: Msg): number | void | Promise<readonly number[]> {
    if (msg.type === 'deposit') {
      this.#balance += msg.amount
      this.#log.push(msg.amount)
      return
    }
    if (msg.type === 'balance') return this.#balance
    return Promise.resolve(this.#log.slice(-msg.last))
  }
}

/** Without overloads the reply is the one declared, for every message. */
class Adder extends Actor {
  receive(message: { type: 'add'; n: number } | { type: 'total' }): number {
    return message.type === 'add' ? message.n : 0
  }
}

/** A deferred reply and a second (context) parameter. */
class Waiter extends Actor {
  receive(msg: { type: 'wait' }, ctx: unknown): DeferredReply<string>
  receive(msg: { type: 'ping' }, ctx: unknown): 'pong'
  receive(msg: { type: 'wait' } | { type: 'ping' }): DeferredReply<string> | 'pong' {
    return msg.type === 'ping' ? 'pong' : this.ctx.deferReply<string>()
  }
}

describe('ask on a message-style actor', () => {
  it('is typed by the reply of the variant it is given', () => {
    const account = {} as ActorRef<Account>
    expectTypeOf(account.ask({ type: 'balance' })).toEqualTypeOf<Promise<number>>()
    expectTypeOf(account.ask({ type: 'deposit', amount: 5 })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(account.ask({ type: 'history', last: 3 })).toEqualTypeOf<Promise<readonly number[]>>()
    const n: number = 0 as Awaited<ReturnType<typeof account.ask<Balance>>>
    expectTypeOf(n).toEqualTypeOf<number>()
  })

  it('a message of the union type gets the union of the replies', () => {
    const account = {} as ActorRef<Account>
    const message = { type: 'balance' } as Msg
    expectTypeOf(account.ask(message)).toEqualTypeOf<Promise<void | number | readonly number[]>>()
    expectTypeOf<ReplyOf<Account>>().toEqualTypeOf<void | number | readonly number[]>()
  })

  it('tell, send and ask take every overload’s message and nothing else', () => {
    const account = {} as ActorRef<Account>
    expectTypeOf<MessageOf<Account>>().toEqualTypeOf<Msg>()
    account.tell({ type: 'deposit', amount: 1 })
    account.tell({ type: 'history', last: 1 })
    void account.send({ type: 'balance' })
    // @ts-expect-error: not a message of Account
    account.tell({ type: 'withdraw', amount: 1 })
    // @ts-expect-error: deposit needs its amount
    void account.ask({ type: 'deposit' })
  })

  it('without overloads, every message gets the declared reply', () => {
    const adder = {} as ActorRef<Adder>
    expectTypeOf(adder.ask({ type: 'add', n: 1 })).toEqualTypeOf<Promise<number>>()
    expectTypeOf(adder.ask({ type: 'total' })).toEqualTypeOf<Promise<number>>()
  })

  it('deferred replies and a context parameter follow the same rule', () => {
    const waiter = {} as ActorRef<Waiter>
    expectTypeOf(waiter.ask({ type: 'wait' })).toEqualTypeOf<Promise<string>>()
    expectTypeOf(waiter.ask({ type: 'ping' })).toEqualTypeOf<Promise<'pong'>>()
  })
})
