import { ActorRefImpl } from '@troupe/core/internal'
import { describe, expect, it } from 'vitest'
import { ActorNotFoundError, type ActorRef, type DeadLetter } from '../src/index.js'
import { Echo } from './fixtures/actors.js'
import { Counter } from './fixtures/counter.js'
import { startSystem } from './helpers/system.js'

/** The same actor's id and thread on another node: what a ref from another process would look like. */
function onNode<A>(ref: ActorRef<A>, node: number): ActorRef<A> {
  const real = ref as ActorRefImpl<A>
  return new ActorRefImpl<A>(real.id, real.home, real.name, real.runtime, undefined, real.window, node)
}

describe('addresses', () => {
  it('a ref names its node, thread and id, and keeps them inside messages', async () => {
    const system = await startSystem()
    const echo = await system.spawn(Echo, { placement: { worker: 1 } })
    const onMain = await system.spawn(Counter, { placement: 'main' })
    expect(echo.address).toEqual({ node: 0, thread: 2, id: echo.id })
    expect(onMain.address).toEqual({ node: 0, thread: 0, id: onMain.id })
    // A ref that went to a worker and back inside messages still has the whole address.
    const back = (await echo.ask.echo(onMain)) as ActorRef<Counter>
    expect(back.address).toEqual(onMain.address)
    back.tell.inc(2)
    expect(await onMain.ask.get()).toBe(2)
    const foreign = onNode(onMain, 3)
    expect(((await echo.ask.echo(foreign)) as ActorRef<Counter>).address).toEqual({ node: 3, thread: 0, id: onMain.id })
  })

  it('a ref to an actor of another node is refused, never delivered to the actor with the same thread and id here', async () => {
    const system = await startSystem()
    const letters: DeadLetter[] = []
    system.deadLetters.subscribe((letter) => letters.push(letter))
    const counter = await system.spawn(Counter, { placement: { worker: 0 } })
    const elsewhere = onNode(counter, 1)
    elsewhere.tell.inc(5)
    await expect(elsewhere.ask.get()).rejects.toBeInstanceOf(ActorNotFoundError)
    await expect.poll(() => letters.length).toBe(1)
    expect(letters[0]).toMatchObject({ recipient: counter.id, reason: 'not-found', method: 'inc', message: [5] })
    expect(await counter.ask.get()).toBe(0)
  })
})
