import { describe, expectTypeOf, it } from 'vitest'
import type { ActorContext, ActorRef, ActorSystem, ActorSystemOptions, Cancellable, UntypedActorRef } from '../../src/index.js'
import { ManualClock, SeedFailureError, TestKit, exploreSeeds, type DeterministicOptions, type TestKitOptions, type TestProbe } from '../../src/testkit/index.js'
import type { ProbeActor } from '../../src/testkit/index.js'
import type { Inbox, Reporter } from '../fixtures/testkit.js'

declare const kit: TestKit
declare const probe: TestProbe<{ n: number }>
declare const reporter: ActorRef<Reporter>
declare const ctx: ActorContext

describe('probes', () => {
  it('a probe of M takes M, and only M, from anyone who holds its ref', () => {
    expectTypeOf(kit.createProbe<string>()).toEqualTypeOf<Promise<TestProbe<string>>>()
    expectTypeOf(probe.ref).toEqualTypeOf<ActorRef<ProbeActor<{ n: number }>>>()
    probe.ref.tell({ n: 1 })
    // @ts-expect-error: not the probe's message type
    probe.ref.tell({ m: 1 })
    // @ts-expect-error: a probe has no other method
    probe.ref.tell.other()
    // A probe's ref goes where a ref to anything with `receive(M)` is expected.
    expectTypeOf(probe.ref).toExtend<ActorRef<Inbox<{ n: number }>>>()
    reporter.tell.report(null as unknown as TestProbe<{ from: string; thread: number; n: number }>['ref'], 'r', 1)
  })

  it('assertions are typed by the message type', () => {
    expectTypeOf(probe.expectMessage({ n: 1 })).toEqualTypeOf<Promise<{ n: number }>>()
    expectTypeOf(probe.expectMessage((m) => m.n > 0)).toEqualTypeOf<Promise<{ n: number }>>()
    // @ts-expect-error: not a message of the probe
    void probe.expectMessage({ x: 1 })
    expectTypeOf(probe.receiveMessages(2)).toEqualTypeOf<Promise<{ n: number }[]>>()
    expectTypeOf(probe.fishForMessage((m) => m.n === 3)).toEqualTypeOf<Promise<{ n: number }>>()
    expectTypeOf(probe.expectNoMessage(10)).toEqualTypeOf<Promise<void>>()
    expectTypeOf(probe.received).toEqualTypeOf<{ n: number }[]>()
    expectTypeOf(probe.lastSender).toEqualTypeOf<UntypedActorRef | undefined>()
    // @ts-expect-error: a probe is made by the kit
    new (null as unknown as typeof import('../../src/testkit/index.js').TestProbe)(1)
  })
})

describe('time and modes', () => {
  it('a ManualClock is what the clock option takes; real threads with manualTime, or a seed', () => {
    expectTypeOf<{ actors: []; clock: ManualClock }>().toExtend<ActorSystemOptions>()
    // @ts-expect-error: the clock option takes a ManualClock, not a number
    const wrong: ActorSystemOptions = { actors: [], clock: 5 }
    expectTypeOf(new ManualClock().advance(5)).toEqualTypeOf<Promise<void>>()
    expectTypeOf(kit.clock).toEqualTypeOf<ManualClock | undefined>()
    expectTypeOf(kit.system).toEqualTypeOf<ActorSystem>()
    expectTypeOf(TestKit.start).parameter(0).toEqualTypeOf<TestKitOptions>()
    expectTypeOf<{ actors: []; manualTime: true }>().toExtend<TestKitOptions>()
    expectTypeOf<{ actors: []; seed: 1 }>().toExtend<DeterministicOptions>()
    // @ts-expect-error: a deterministic kit needs a seed
    const noSeed: DeterministicOptions = { actors: [] }
    // @ts-expect-error: no offload pool in deterministic mode
    const withOffload: DeterministicOptions = { actors: [], seed: 1, offload: { tasks: [] } }
    expectTypeOf(kit.trace).toEqualTypeOf<readonly string[]>()
    expectTypeOf(kit.mode).toEqualTypeOf<'threads' | 'deterministic'>()
    void [wrong, noSeed, withOffload]
  })

  it('ctx.every is a cancellable periodic timer', () => {
    expectTypeOf(ctx.every(1000, () => undefined)).toEqualTypeOf<Cancellable>()
  })

  it('faults and seeds', () => {
    expectTypeOf(kit.crashWorker(1)).toEqualTypeOf<Promise<void>>()
    expectTypeOf(kit.hangWorker(1)).toEqualTypeOf<void>()
    expectTypeOf(kit.dropNextBatch(0, 1)).toEqualTypeOf<void>()
    expectTypeOf(exploreSeeds({ actors: [], seeds: 10 }, async (k) => {
      expectTypeOf(k).toEqualTypeOf<TestKit>()
    })).toEqualTypeOf<Promise<number>>()
    expectTypeOf<SeedFailureError['seed']>().toEqualTypeOf<number>()
    expectTypeOf<SeedFailureError['trace']>().toEqualTypeOf<readonly string[]>()
  })
})
