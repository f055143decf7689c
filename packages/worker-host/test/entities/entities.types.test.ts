import { describe, expectTypeOf, it } from 'vitest'
import {
  Actor,
  Entity,
  EventSourcedEntity,
  entityType,
  type ActorContext,
  type ActorRef,
  type ActorSystem,
  type EntityContext,
  type Subscription,
  type Topic,
  type TopicPublisher,
} from '../../src/index.js'

interface CartState {
  items: string[]
}

class Cart extends Entity<Cart, CartState> {
  state: CartState = { items: [] }
  add(item: string): number {
    this.state.items.push(item)
    return this.state.items.length
  }
  context(): EntityContext<Cart> {
    return this.ctx
  }
}

type Ledger = { type: 'credited'; amount: number }

class Wallet extends EventSourcedEntity<Wallet, { balance: number }, Ledger> {
  state = { balance: 0 }
  applyEvent(state: { balance: number }, event: Ledger): { balance: number } {
    return { balance: state.balance + event.amount }
  }
  credit(amount: number): number {
    this.persist({ type: 'credited', amount })
    // @ts-expect-error an event of another shape
    this.persist({ type: 'debited', amount })
    return this.state.balance
  }
}

class Listener extends Actor<Listener> {
  onPrice(price: number): void {
    void price
  }
  onName(name: string): void {
    void name
  }
}

describe('entity refs are typed by their class', () => {
  it('system.entity and ctx.entity return ActorRef<Entity>, whose messages are checked', () => {
    const system = {} as ActorSystem
    const ctx = {} as ActorContext
    const use = (): void => {
      expectTypeOf(system.entity(Cart, 'c-1')).toEqualTypeOf<ActorRef<Cart>>()
      expectTypeOf(ctx.entity(Cart, 'c-1')).toEqualTypeOf<ActorRef<Cart>>()
      expectTypeOf(system.entity(Cart, 'c-1').ask.add('apple')).toEqualTypeOf<Promise<number>>()
      expectTypeOf(system.entity(entityType<typeof Cart>('Cart'), 'c-1')).toEqualTypeOf<ActorRef<Cart>>()
      expectTypeOf(system.entity(Wallet, 'w').ask.credit(5)).toEqualTypeOf<Promise<number>>()
      // @ts-expect-error wrong argument type
      system.entity(Cart, 'c-1').tell.add(5)
      // @ts-expect-error no such method
      system.entity(Cart, 'c-1').tell.remove('apple')
      // @ts-expect-error the key is a string
      system.entity(Cart, 7)
      // @ts-expect-error not an entity class
      system.entity(Listener, 'x')
      // @ts-expect-error applyEvent is not a message
      system.entity(Wallet, 'w').tell.applyEvent({ balance: 0 }, { type: 'credited', amount: 1 })
    }
    void use
  })

  it('an entity context has its key and reminders', () => {
    const ctx = {} as EntityContext<Cart>
    expectTypeOf(ctx.key).toEqualTypeOf<string>()
    expectTypeOf(ctx.remind('expire', { dueMs: 1000 })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(ctx.remind('tick', { atMs: Date.now(), periodMs: 60_000 })).toEqualTypeOf<Promise<void>>()
    const bad = (): void => {
      // @ts-expect-error dueMs and atMs together
      void ctx.remind('x', { dueMs: 1, atMs: 2 })
    }
    void bad
    expectTypeOf(ctx.self).toEqualTypeOf<ActorRef<Cart>>()
  })
})

describe('topics are typed by their messages', () => {
  it('publish takes the topic’s type; subscribe names a method that takes it', () => {
    const system = {} as ActorSystem
    const ctx = {} as ActorContext<Listener>
    const use = (): void => {
      const prices = system.topic<number>('prices')
      expectTypeOf(prices).toEqualTypeOf<Topic<number>>()
      prices.publish(3)
      // @ts-expect-error a string on a topic of numbers
      prices.publish('3')
      expectTypeOf(prices.subscribe((price) => expectTypeOf(price).toEqualTypeOf<number>())).toEqualTypeOf<Subscription>()
      expectTypeOf(ctx.topic<number>('prices')).toEqualTypeOf<TopicPublisher<number>>()
      ctx.subscribe(prices, 'onPrice')
      ctx.subscribe<number>('prices', 'onPrice')
      // @ts-expect-error onName takes a string, not a number
      ctx.subscribe(prices, 'onName')
      // @ts-expect-error no such method
      ctx.subscribe(prices, 'onVolume')
    }
    void use
  })
})
