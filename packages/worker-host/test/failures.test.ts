import { describe, expect, it } from 'vitest'
import {
  ActorNotFoundError,
  ActorStoppedError,
  AskTimeoutError,
  InvalidOptionError,
  MessageEncodeError,
  MessageTooLargeError,
  UnknownMessageError,
  type DeadLetter,
} from '../src/index.js'
import { ActorRefImpl } from '@troupe/core/internal'
import { Echo, Forwarder, InsufficientFunds, Wallet } from './fixtures/actors.js'
import { Counter } from './fixtures/counter.js'
import { errorOf, startSystem } from './helpers/system.js'

describe('ask deadlines', () => {
  it('rejects with AskTimeoutError when no reply comes in time, and the actor stays usable', async () => {
    const system = await startSystem()
    const counter = await system.spawn(Counter)
    const started = performance.now()
    const error = await errorOf(counter.with({ timeoutMs: 50 }).ask.slowGet(1_000))
    expect(error).toBeInstanceOf(AskTimeoutError)
    expect(error).toMatchObject({ code: 'ERR_ASK_TIMEOUT', timeoutMs: 50, selector: 'slowGet' })
    expect(performance.now() - started).toBeLessThan(900)
  })

  it('applies the system-wide askTimeoutMs by default', async () => {
    const system = await startSystem({ askTimeoutMs: 40 })
    const counter = await system.spawn(Counter)
    await expect(counter.ask.slowGet(1_000)).rejects.toBeInstanceOf(AskTimeoutError)
  })

  it('validates a per-ask timeout', async () => {
    const system = await startSystem()
    const counter = await system.spawn(Counter)
    // Refused where it is written: `with` checks its options (see bad-input.test.ts for the table).
    expect(() => counter.with({ timeoutMs: -1 })).toThrow(InvalidOptionError)
    expect(() => counter.with({ timeoutMs: -1 })).toThrow(/timeoutMs/)
  })
})

describe('stopped and unknown actors', () => {
  it('an ask to a stopped actor rejects with ActorStoppedError', async () => {
    const system = await startSystem()
    const counter = await system.spawn(Counter, { placement: { worker: 0 } })
    await system.stop(counter)
    await expect(counter.ask.get()).rejects.toBeInstanceOf(ActorStoppedError)
    // Stopping again is a no-op.
    await system.stop(counter)
  })

  it('an ask to a stopped actor on the main thread rejects the same way', async () => {
    const system = await startSystem()
    const counter = await system.spawn(Counter, { placement: 'main' })
    await system.stop(counter)
    await expect(counter.ask.get()).rejects.toBeInstanceOf(ActorStoppedError)
  })

  it('messages queued before a stop are processed; ones after it are dead letters', async () => {
    const system = await startSystem()
    const counter = await system.spawn(Counter, { placement: { worker: 1 } })
    const seen: DeadLetter[] = []
    system.deadLetters.subscribe((letter) => seen.push(letter))
    for (let i = 0; i < 100; i++) counter.tell.inc(1)
    const lastValue = counter.ask.get()
    await system.stop(counter)
    expect(await lastValue).toBe(100)

    counter.tell.inc(5)
    counter.tell.inc(6)
    await expect(counter.ask.get()).rejects.toBeInstanceOf(ActorStoppedError) // also orders us behind the tells
    expect(system.deadLetters.count).toBe(2)
    expect(system.deadLetters.countsByReason).toEqual({ stopped: 2 })
    expect(seen.map((letter) => [letter.recipient, letter.method, letter.message, letter.reason])).toEqual([
      [counter.id, 'inc', [5], 'stopped'],
      [counter.id, 'inc', [6], 'stopped'],
    ])
  })

  it('dead letters from actors on workers reach the system, with their sender', async () => {
    const system = await startSystem()
    const target = await system.spawn(Counter, { placement: { worker: 0 } })
    const forwarder = await system.spawn(Forwarder, { placement: { worker: 1 } })
    await system.stop(target)
    const seen: DeadLetter[] = []
    system.deadLetters.subscribe((letter) => seen.push(letter))
    await forwarder.ask.forward(target, 3)
    // The dead letter is reported by worker 0 to main; poll the real condition, bounded.
    await expect.poll(() => system.deadLetters.count, { timeout: 5_000 }).toBe(1)
    expect(seen[0]).toMatchObject({ recipient: target.id, sender: forwarder.id, method: 'inc', message: [3], reason: 'stopped' })
  })

  it('a message naming no handler fails its ask, and a tell becomes a dead letter', async () => {
    const system = await startSystem()
    const counter = await system.spawn(Counter)
    // Simulates an untyped sender (e.g. a ref obtained by lookup without a type).
    const untyped = counter as unknown as { tell: Record<string, () => void>; ask: Record<string, () => Promise<unknown>> }
    await expect(untyped.ask.toString!()).rejects.toBeInstanceOf(UnknownMessageError)
    untyped.tell.constructor?.()
    untyped.tell.nope!()
    await expect.poll(() => system.deadLetters.countsByReason['unknown-message'] ?? 0).toBe(1)
  })

  it('lookup of an unknown name is undefined; a ref to a never-existing id rejects asks with ActorNotFoundError', async () => {
    const system = await startSystem()
    expect(await system.lookup('nobody')).toBeUndefined()
    const counter = await system.spawn(Counter, { placement: { worker: 0 }, name: 'real' })
    const found = await system.lookup<Counter>('real')
    expect(found?.id).toBe(counter.id)
    // Ids are never reused, so a ref to an id the system never allocated can only be forged.
    const real = counter as ActorRefImpl<Counter>
    const ghost = new ActorRefImpl<Counter>(999_999, real.home, undefined, real.runtime, undefined, 0, real.node)
    await expect(ghost.ask.get()).rejects.toBeInstanceOf(ActorNotFoundError)
    ghost.tell.inc(1)
    await expect.poll(() => system.deadLetters.countsByReason['not-found'] ?? 0).toBe(1)
  })
})

describe('message validation at the sender', () => {
  it('a function, symbol, class instance or cycle fails at tell/ask with MessageEncodeError, naming where', async () => {
    const system = await startSystem()
    const echo = await system.spawn(Echo, { placement: { worker: 0 } })
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic.self = cyclic
    class Point {
      constructor(readonly x: number) {}
    }
    expect(() => echo.tell.echo({ callback: () => 1 })).toThrow(MessageEncodeError)
    expect(() => echo.tell.echo({ callback: () => 1 })).toThrow(/message\[0\]\.callback: functions cannot be sent/)
    expect(() => echo.tell.echo([Symbol('s')])).toThrow(/symbols/)
    expect(() => echo.tell.echo(new Point(1))).toThrow(/Point instance/)
    expect(() => echo.tell.echo(cyclic)).toThrow(/cyclic/)
    expect(() => echo.tell.echo(2n ** 70n)).toThrow(/64 bits/)
    await expect(echo.ask.echo(Promise.resolve(1))).rejects.toBeInstanceOf(MessageEncodeError)
    // Same-thread sends are checked the same way: placement does not change what is legal.
    const onMain = await system.spawn(Echo, { placement: 'main' })
    expect(() => onMain.tell.echo({ f: () => 1 })).toThrow(MessageEncodeError)
    expect(system.deadLetters.count).toBe(0)
  })

  it('a reply that cannot be encoded rejects the ask with MessageEncodeError', async () => {
    const system = await startSystem()
    const echo = await system.spawn(Echo, { placement: { worker: 0 } })
    await expect(echo.ask.returnFunction()).rejects.toBeInstanceOf(MessageEncodeError)
  })

  it('a message over maxMessageBytes fails with MessageTooLargeError and is not sent', async () => {
    const system = await startSystem({ maxMessageBytes: 1024 })
    const echo = await system.spawn(Echo, { placement: { worker: 0 } })
    const big = 'x'.repeat(2_000)
    expect(() => echo.tell.echo(big)).toThrow(MessageTooLargeError)
    await expect(echo.ask.echo(big)).rejects.toMatchObject({ code: 'ERR_MESSAGE_TOO_LARGE', limit: 1024 })
    // Under the limit even though the conservative estimate is over it: sent.
    const fits = 'é'.repeat(400)
    expect(await echo.ask.echo(fits)).toBe(fits)
    expect(system.deadLetters.count).toBe(0)
  })
})

describe('application errors', () => {
  it('a class registered with registerErrorClass crosses threads as itself, with its fields', async () => {
    const system = await startSystem()
    const wallet = await system.spawn(Wallet, { placement: { worker: 1 } })
    const error = await errorOf(wallet.ask.spend(42))
    expect(error).toBeInstanceOf(InsufficientFunds)
    expect(error).toMatchObject({ name: 'InsufficientFunds', missing: 42, message: 'insufficient funds: 42 missing' })
  })
})
