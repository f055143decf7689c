import { describe, expectTypeOf, it } from 'vitest'
import { Actor, type ActorRef, type Ask, type DeferredReply, type MessageMethodName, type SpawnOptions, type Tell } from '../src/index.js'

class Counter extends Actor {
  #n = 0
  inc(by = 1): void {
    this.#n += by
  }
  get(): number {
    return this.#n
  }
  async load(key: string, fresh: boolean): Promise<{ key: string; n: number }> {
    return { key: fresh ? key : '', n: this.#n }
  }
  onStart(): void {}
  whenReady(): DeferredReply<string> {
    return this.ctx.deferReply<string>()
  }
  private secret(): number {
    return 1
  }
}

type Msg = { type: 'add'; n: number } | { type: 'total' }
class Adder extends Actor {
  receive(message: Msg): number {
    return message.type === 'add' ? message.n : 0
  }
}

class NeedsArgs extends Actor {
  constructor(readonly label: string, readonly size: number) {
    super()
  }
}

describe('typed refs', () => {
  it('method messages are typed: names, arguments and results', () => {
    const ref = {} as ActorRef<Counter>
    expectTypeOf<MessageMethodName<Counter>>().toEqualTypeOf<'inc' | 'get' | 'load' | 'whenReady'>()
    expectTypeOf(ref.tell.inc).parameters.toEqualTypeOf<[by?: number]>()
    expectTypeOf(ref.tell.inc).returns.toEqualTypeOf<void>()
    expectTypeOf(ref.ask.get).returns.toEqualTypeOf<Promise<number>>()
    expectTypeOf(ref.ask.load).returns.toEqualTypeOf<Promise<{ key: string; n: number }>>()
    // A handler that defers its reply is typed by what it will answer.
    expectTypeOf(ref.ask.whenReady).returns.toEqualTypeOf<Promise<string>>()

    // @ts-expect-error: misspelled method
    ref.tell.incc(1)
    // @ts-expect-error: wrong argument type
    ref.tell.inc('1')
    // @ts-expect-error: missing argument
    void ref.ask.load('k')
    // @ts-expect-error: lifecycle hooks are not messages
    ref.tell.onStart()
    // @ts-expect-error: private methods are not messages
    ref.tell.secret()
    // @ts-expect-error: a class actor without receive() takes no raw messages
    ref.tell({ type: 'add', n: 1 })
  })

  it('message-style actors take their union, and nothing else', () => {
    const ref = {} as ActorRef<Adder>
    expectTypeOf<Tell<Adder>>().toMatchTypeOf<(message: Msg) => void>()
    expectTypeOf<Ask<Adder>>().toMatchTypeOf<(message: Msg) => Promise<number>>()
    ref.tell({ type: 'add', n: 2 })
    // @ts-expect-error: not a member of the union
    ref.tell({ type: 'sub', n: 2 })
    // @ts-expect-error: missing field
    ref.tell({ type: 'add' })
  })

  it('refs of different actors are not interchangeable', () => {
    expectTypeOf<ActorRef<Counter>>().not.toMatchTypeOf<ActorRef<Adder>>()
  })

  it('spawn options require constructor args exactly when the constructor needs them', () => {
    expectTypeOf<{ args: [string, number] }>().toMatchTypeOf<SpawnOptions<ConstructorParameters<typeof NeedsArgs>>>()
    expectTypeOf<{ name: string }>().not.toMatchTypeOf<SpawnOptions<ConstructorParameters<typeof NeedsArgs>>>()
    expectTypeOf<{ name: string }>().toMatchTypeOf<SpawnOptions<ConstructorParameters<typeof Counter>>>()
    expectTypeOf<{ args: [number] }>().not.toMatchTypeOf<SpawnOptions<ConstructorParameters<typeof NeedsArgs>>>()
  })
})

class Looper extends Actor<Looper> {
  step(n: number): void {
    if (n > 0) this.ctx.self.tell.step(n - 1)
  }
  me(): ActorRef<Looper> {
    return this.ctx.self
  }
}

describe('self-typed actors', () => {
  it('extends Actor<Self> types ctx.self, so an actor can message itself by method name', () => {
    const ref = {} as ActorRef<Looper>
    expectTypeOf(ref.ask.me).returns.toEqualTypeOf<Promise<ActorRef<Looper>>>()
    expectTypeOf<MessageMethodName<Looper>>().toEqualTypeOf<'step' | 'me'>()
  })
})
