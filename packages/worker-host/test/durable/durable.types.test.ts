import { describe, expectTypeOf, it } from 'vitest'
import type { ActorSystem, DeadLetterEvent, DurableHandler, DurableStream, PublishReceipt, StoredEvent } from '../../src/index.js'
import { taskType } from '../../src/index.js'
import type { Flake, Flaky, Ledger, DeadWatch } from '../fixtures/durable-handlers.js'
import type { TaskJob } from '../fixtures/tasks/durable-tasks.js'

declare const system: ActorSystem
declare const FlakyClass: typeof Flaky
declare const LedgerClass: typeof Ledger
declare const DeadWatchClass: typeof DeadWatch

describe('durable stream types', () => {
  it('a stream is typed by its event', async () => {
    const stream = system.stream<Flake>('flaky')
    expectTypeOf(stream).toEqualTypeOf<DurableStream<Flake>>()
    expectTypeOf(stream.publish({ id: 'a', failUntil: 1 })).resolves.toEqualTypeOf<PublishReceipt>()
    expectTypeOf(stream.read()).resolves.toEqualTypeOf<StoredEvent<Flake>[]>()
    expectTypeOf(stream.deadLetters).toEqualTypeOf<DurableStream<DeadLetterEvent<Flake>>>()
    // @ts-expect-error not a Flake
    void stream.publish({ id: 'a' })
  })

  it('an actor method must exist and take the event', async () => {
    const stream = system.stream<Flake>('flaky')
    expectTypeOf(await stream.handle(FlakyClass, 'run', { maxJobs: 4, priority: 'high' })).toEqualTypeOf<DurableHandler>()
    // @ts-expect-error no such method
    void stream.handle(FlakyClass, 'nope')
    // @ts-expect-error `other` takes { n: number }, not a Flake
    void stream.handle(FlakyClass, 'other')
    // @ts-expect-error not a priority
    void stream.handle(FlakyClass, 'run', { priority: 'urgent' })
    // @ts-expect-error an actor handler takes no key
    void stream.handle(FlakyClass, 'run', { key: (event: Flake) => event.id })
    // A handler of the dead letters takes the dead letter.
    void stream.deadLetters.handle(DeadWatchClass, 'seen')
    // @ts-expect-error a dead letter is not a Flake
    void stream.deadLetters.handle(FlakyClass, 'run')
  })

  it('an entity handler needs a key from the event', () => {
    const deposits = system.stream<{ account: string; cents: number }>('deposits')
    void deposits.handle(LedgerClass, 'credit', { key: (event) => event.account })
    // @ts-expect-error the key is required for an entity
    void deposits.handle(LedgerClass, 'credit', {})
    // @ts-expect-error the key function takes the event
    void deposits.handle(LedgerClass, 'credit', { key: (event: number) => String(event) })
  })

  it("a task's input must accept the event, and tasks need executeIn", () => {
    const jobs = system.stream<TaskJob>('tasks')
    const record = taskType<typeof import('../fixtures/tasks/durable-tasks.js'), 'record'>(new URL('x:'), 'record')
    const square = taskType<typeof import('../fixtures/tasks/durable-tasks.js'), 'square'>(new URL('x:'), 'square')
    void jobs.handle(record, { executeIn: 'offload' })
    void jobs.handle(record, { executeIn: 'process', maxJobs: 2 })
    // @ts-expect-error square takes a number, not a TaskJob
    void jobs.handle(square, { executeIn: 'offload' })
    // @ts-expect-error a task needs executeIn
    void jobs.handle(record, {})
  })
})
