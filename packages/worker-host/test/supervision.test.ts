import { describe, expect, it } from 'vitest'
import { ActorStoppedError, AskTimeoutError, SupervisionError, SystemShutdownError, type ActorRef, type SystemEvent } from '../src/index.js'
import { Account, EventLog } from './fixtures/actors.js'
import { Boss, Flaky } from './fixtures/supervised.js'
import { fixture, startSystem } from './helpers/system.js'
import { TestKit } from '../src/testkit/index.js'

const SUPERVISION_ACTORS = [fixture('actors.ts'), fixture('supervised.ts'), fixture('counter.ts')]

async function setup(options: Parameters<typeof startSystem>[0] = {}) {
  const system = await startSystem({ actors: SUPERVISION_ACTORS, ...options })
  const events: SystemEvent[] = []
  system.events.subscribe((event) => events.push(event))
  const log = await system.spawn(EventLog, { placement: 'main' })
  return { system, events, log }
}

/** Supervision events of one actor, after its start. */
const kinds = (events: SystemEvent[], actor?: number): string[] =>
  events
    .filter((e) => e.type !== 'actor-started' && (actor === undefined || ('actor' in e && e.actor === actor)))
    .map((e) => (e.type === 'actor-failed' ? `failed:${e.directive}` : e.type))

// Most of these tests fail an actor through an ask, so they spawn it with `askErrors: 'fail'`
// (by default an ask's error only rejects the ask), or through a tell.
describe('actor failure', () => {
  it.each([
    ['a synchronous throw', 'crash'],
    ['a rejected promise', 'crashLater'],
  ] as const)("%s restarts the actor (askErrors: 'fail'): fresh state, onRestart(cause), mailbox kept", async (_name, method) => {
    const { system, events, log } = await setup()
    const flaky = await system.spawn(Flaky, { args: ['f', log], placement: { worker: 0 }, askErrors: 'fail' })
    flaky.tell.bump()
    flaky.tell.bump()
    const failing = flaky.ask[method]('boom')
    flaky.tell.bump() // queued behind the failure: the fresh instance processes it
    await expect(failing).rejects.toThrow('boom')
    expect(await flaky.ask.count()).toBe(1)
    await expect.poll(() => log.ask.entries()).toEqual(['start f', 'stop f', 'restart f: boom', 'start f'])
    await expect.poll(() => kinds(events, flaky.id)).toEqual(['failed:restart', 'actor-restarted'])
  })

  it('the decider picks resume, stop or escalate by error code, then name', async () => {
    const { system, events, log } = await setup({ supervision: { decider: { E_KEEP: 'resume', E_QUIT: 'stop', RangeError: 'resume' } } })
    const flaky = await system.spawn(Flaky, { args: ['f', log], askErrors: 'fail' })
    flaky.tell.bump()
    await expect(flaky.ask.crash('keep going', 'E_KEEP')).rejects.toThrow('keep going')
    expect(await flaky.ask.bump()).toBe(2) // resumed: same instance, state kept

    const account = await system.spawn(Account, { askErrors: 'fail' })
    account.tell({ type: 'deposit', amount: 50 })
    await expect(account.ask({ type: 'withdraw', amount: 100 })).rejects.toBeInstanceOf(RangeError)
    expect(await account.ask({ type: 'balance' })).toBe(50) // RangeError → resume

    await expect(flaky.ask.crash('enough', 'E_QUIT')).rejects.toThrow('enough')
    await expect.poll(() => kinds(events, flaky.id)).toEqual(['failed:resume', 'failed:stop', 'actor-stopped'])
    await expect(flaky.ask.count()).rejects.toBeInstanceOf(ActorStoppedError)
  })

  it('a temporary child is stopped, not restarted; a transient child that stops itself is not restarted', async () => {
    const { system, events, log } = await setup()
    const boss = await system.spawn(Boss, { args: [log], placement: { worker: 1 } })
    const [temporary] = await boss.ask.hire(['temp'], 'temporary')
    const [transient] = await boss.ask.hire(['trans'], 'transient')
    temporary!.tell.crash('boom')
    await expect.poll(() => kinds(events, temporary!.id)).toEqual(['failed:stop', 'actor-stopped'])
    transient!.tell.stopSelf()
    await expect.poll(() => kinds(events, transient!.id)).toEqual(['actor-stopped'])
    await expect(transient!.ask.count()).rejects.toBeInstanceOf(ActorStoppedError)
    expect(events.some((e) => e.type === 'actor-restarted')).toBe(false)
  })
})

describe('events', () => {
  it('report each actor start with its thread and name', async () => {
    const { system, events, log } = await setup()
    const flaky = await system.spawn(Flaky, { args: ['f', log], name: 'flaky', placement: { worker: 1 } })
    expect(events.filter((e) => e.type === 'actor-started' && e.actor === flaky.id)).toEqual([{ type: 'actor-started', actor: flaky.id, thread: 2, name: 'flaky' }])
  })
})

describe('failures while stopping', () => {
  it('an onStop that throws still stops the actor, and the error is reported, not hidden', async () => {
    const { system, events, log } = await setup()
    const flaky = await system.spawn(Flaky, { args: ['fails-on-stop', log], placement: { worker: 0 } })
    await system.stop(flaky)
    await expect.poll(() => kinds(events, flaky.id)).toEqual(['failed:stop', 'actor-stopped'])
    const failure = events.find((e) => e.type === 'actor-failed')
    expect(failure?.type === 'actor-failed' && failure.error.message).toBe('cleanup failed')
    await expect(flaky.ask.count()).rejects.toBeInstanceOf(ActorStoppedError)
  })
})

describe('supervision options', () => {
  it('are validated at spawn, naming the option', async () => {
    const { system, log } = await setup()
    await expect(system.spawn(Flaky, { args: ['f', log], restart: 'forever' as never })).rejects.toThrow(/option "restart" must be one of permanent, transient, temporary/)
    await expect(system.spawn(Flaky, { args: ['f', log], supervision: { strategy: 'all' as never } })).rejects.toThrow(/supervision\.strategy/)
    await expect(system.spawn(Flaky, { args: ['f', log], supervision: { decider: { E: 'ignore' as never } } })).rejects.toThrow(/supervision\.decider\.E/)
  })
})

describe('permanent children', () => {
  it('a permanent child that stops itself is restarted under the same ref (OTP)', async () => {
    const { system, events, log } = await setup()
    const boss = await system.spawn(Boss, { args: [log], placement: { worker: 1 } })
    const [permanent] = await boss.ask.hire(['perm'], 'permanent')
    permanent!.tell.bump()
    permanent!.tell.stopSelf()
    await expect.poll(() => kinds(events, permanent!.id)).toEqual(['actor-restarted'])
    expect(await permanent!.ask.count()).toBe(0) // a fresh instance answers the same ref
    await expect.poll(async () => (await log.ask.entries()).slice(-3)).toEqual(['stop perm', expect.stringMatching(/^restart perm: .*exited normally/), 'start perm'])
  })
})

describe('strategies', () => {
  async function crew(strategy: 'one-for-one' | 'one-for-all' | 'rest-for-one') {
    const { system, events, log } = await setup()
    const boss = await system.spawn(Boss, { args: [log], placement: { worker: 1 }, supervision: { strategy } })
    const [a, b, c] = (await boss.ask.hire(['a', 'b', 'c'])) as [ActorRef<Flaky>, ActorRef<Flaky>, ActorRef<Flaky>]
    for (const child of [a, b, c]) child.tell.bump()
    // Each has processed its bump before b fails: a sibling's queued message may otherwise meet its restart first.
    expect(await Promise.all([a, b, c].map((child) => child.ask.count()))).toEqual([1, 1, 1])
    b.tell.crash('b broke')
    await expect.poll(() => events.filter((e) => e.type === 'actor-restarted').length).toBe(strategy === 'one-for-one' ? 1 : strategy === 'one-for-all' ? 3 : 2)
    const counts = [await a.ask.count(), await b.ask.count(), await c.ask.count()]
    // The first four entries are the starts (the boss's comes from another thread); the rest all
    // come from the children's thread, in the order the restarts ran.
    const restartLog = async (): Promise<string[]> => (await log.ask.entries()).slice(4)
    return { counts, restartLog }
  }

  it('one-for-one restarts only the failed child', async () => {
    const { counts, restartLog } = await crew('one-for-one')
    expect(counts).toEqual([1, 0, 1])
    await expect.poll(restartLog).toEqual(['stop b', 'restart b: b broke', 'start b'])
  })

  it('one-for-all restarts every child, in start order', async () => {
    const { counts, restartLog } = await crew('one-for-all')
    expect(counts).toEqual([0, 0, 0])
    await expect.poll(restartLog).toEqual([
      'stop a', 'restart a: b broke', 'start a',
      'stop b', 'restart b: b broke', 'start b',
      'stop c', 'restart c: b broke', 'start c',
    ])
  })

  it('one-for-all: the siblings take no message from the failure until their restart (OTP)', async () => {
    const { system, events, log } = await setup()
    // A backoff holds the restarts for two seconds, so what the siblings do meanwhile is visible.
    const boss = await system.spawn(Boss, { args: [log], placement: { worker: 1 }, supervision: { strategy: 'one-for-all', backoff: { minMs: 2_000, maxMs: 2_000, jitter: 0 } } })
    const [, b, c] = (await boss.ask.hire(['a', 'b', 'c'])) as [ActorRef<Flaky>, ActorRef<Flaky>, ActorRef<Flaky>]
    b.tell.crash('b broke')
    // Once the supervisor has paused c, an ask to it gets no answer (it waits in the mailbox).
    for (;;) {
      const answered = await c.with({ timeoutMs: 300 }).ask.count().then(() => true, (error: unknown) => (error instanceof AskTimeoutError ? false : Promise.reject(error)))
      if (!answered) break
    }
    expect(events.filter((e) => e.type === 'actor-restarted')).toEqual([]) // still in the backoff
    const bumps = 50
    for (let i = 0; i < bumps; i++) c.tell.bump()
    await expect.poll(() => events.filter((e) => e.type === 'actor-restarted').length, { timeout: 10_000 }).toBe(3)
    // The paused instance processed none of them: the fresh one processes every one.
    expect(await c.ask.count()).toBe(bumps)
  })

  it('rest-for-one restarts the failed child and those started after it', async () => {
    const { counts, restartLog } = await crew('rest-for-one')
    expect(counts).toEqual([1, 0, 0])
    await expect.poll(restartLog).toEqual(['stop b', 'restart b: b broke', 'start b', 'stop c', 'restart c: b broke', 'start c'])
  })
})

describe('restart intensity and escalation', () => {
  it('a supervisor past maxRestarts within withinMs stops its children and fails to its own supervisor', async () => {
    const { system, events, log } = await setup()
    const boss = await system.spawn(Boss, { args: [log], placement: { worker: 1 }, supervision: { maxRestarts: 2, withinMs: 60_000 } })
    const [worker] = await boss.ask.hire(['w'])
    for (let i = 1; i <= 3; i++) {
      worker!.tell.crash(`failure ${i}`)
      await expect.poll(() => kinds(events, worker!.id).filter((kind) => kind.startsWith('failed:')).length).toBe(i)
    }
    // Third failure: the boss gives up, stops its child, and the guardian restarts the boss.
    await expect.poll(() => kinds(events, boss.id)).toEqual(['failed:restart', 'actor-restarted'])
    // The third failure is decided "restart" by the decider, then refused by the intensity check.
    expect(kinds(events, worker!.id)).toEqual(['failed:restart', 'actor-restarted', 'failed:restart', 'actor-restarted', 'failed:restart', 'actor-stopped'])
    const bossFailure = events.find((e) => e.type === 'actor-failed' && e.actor === boss.id)
    expect(bossFailure && bossFailure.type === 'actor-failed' && bossFailure.error).toBeInstanceOf(SupervisionError)
    await expect(worker!.ask.count()).rejects.toBeInstanceOf(ActorStoppedError)
    await expect.poll(async () => (await log.ask.entries()).slice(-3)).toEqual([
      'stop boss',
      expect.stringMatching(/^restart boss: actor#\d+: gave up: more than 2 restarts within 60000 ms$/),
      'start boss',
    ])
  })

  it('escalate hands the failure to the grandparent', async () => {
    const { system, events, log } = await setup()
    const top = await system.spawn(Boss, { args: [log], placement: { worker: 0 } })
    const middle = await top.ask.hireSupervisor({ decider: { default: 'escalate' } })
    const [leaf] = await middle.ask.hire(['leaf'])
    leaf!.tell.crash('deep')
    await expect.poll(() => kinds(events, middle.id)).toEqual(['failed:restart', 'actor-restarted'])
    expect(kinds(events, leaf!.id)).toEqual(['failed:escalate', 'actor-stopped']) // stopped with its restarted parent
  })
})

describe('the guardian', () => {
  it('when the guardian gives up, the system shuts down cleanly with a SupervisionError', async () => {
    const { system, events, log } = await setup({ supervision: { maxRestarts: 1, withinMs: 60_000 } })
    const flaky = await system.spawn(Flaky, { args: ['f', log], placement: { worker: 0 }, askErrors: 'fail' })
    await expect(flaky.ask.crash('one')).rejects.toThrow('one')
    await expect(flaky.ask.crash('two')).rejects.toThrow('two')
    const error = await system.whenTerminated().then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(SupervisionError)
    expect((error as Error).message).toBe('system guardian: gave up: more than 1 restarts within 60000 ms')
    expect(((error as Error).cause as Error).message).toBe('two')
    expect(events.filter((e) => e.type === 'fatal')).toHaveLength(1)
    await expect(system.spawn(Flaky, { args: ['g', undefined] })).rejects.toBeInstanceOf(SystemShutdownError)
  })
})

describe('backoff', () => {
  it('delays restarts exponentially on the clock; messages wait in the mailbox meanwhile', async () => {
    // Manual time: the delays are exact, and the test waits for none of them.
    const kit = await TestKit.start({ workers: 2, actors: SUPERVISION_ACTORS, manualTime: true, supervision: { backoff: { minMs: 150, maxMs: 1_000, jitter: 0 }, maxRestarts: 10 } })
    try {
      const clock = kit.clock!
      const events: SystemEvent[] = []
      kit.system.events.subscribe((event) => events.push(event))
      const log = await kit.system.spawn(EventLog, { placement: 'main' })
      const flaky = await kit.system.spawn(Flaky, { args: ['f', log], placement: { worker: 0 }, askErrors: 'fail' })
      for (const delayMs of [150, 300]) {
        await expect(flaky.ask.crash(`boom ${delayMs}`)).rejects.toThrow()
        const bump = flaky.ask.bump() // waits in the mailbox until the restart
        await clock.advance(delayMs - 1)
        expect(kinds(events, flaky.id).at(-1)).toBe('failed:restart')
        await clock.advance(1)
        expect(await bump).toBe(1) // answered by the restarted instance
      }
      await expect.poll(() => kinds(events, flaky.id)).toEqual(['failed:restart', 'actor-restarted', 'failed:restart', 'actor-restarted'])
    } finally {
      await kit.shutdown()
    }
  })
})
