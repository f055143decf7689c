import { describe, expect, it } from 'vitest'
import { WorkerCrashedError, type ActorRef, type SystemEvent } from '../src/index.js'
import { DyingRelay, SlowEcho } from './fixtures/actors.js'
import { Saboteur } from './fixtures/saboteur.js'
import { fixture, startSystem } from './helpers/system.js'

async function setup(options: Parameters<typeof startSystem>[0] = {}) {
  const system = await startSystem({ actors: [fixture('saboteur.ts')], ...options })
  const events: SystemEvent[] = []
  system.events.subscribe((event) => events.push(event))
  // Two victims share worker 2; a bystander lives on worker 1.
  const victim = await system.spawn(Saboteur, { placement: { worker: 1 } })
  const neighbour = await system.spawn(Saboteur, { placement: { worker: 1 } })
  const bystander = await system.spawn(Saboteur, { placement: { worker: 0 } })
  for (const ref of [victim, neighbour, bystander]) ref.tell.bump()
  expect(await Promise.all([victim, neighbour, bystander].map((ref) => ref.ask.count()))).toEqual([1, 1, 1])
  return { system, events, victim, neighbour, bystander }
}

/** Both actors of the dead worker answer again, from a fresh instance on the replacement. */
async function expectRecovered(events: SystemEvent[], victims: ActorRef<Saboteur>[], bystander: ActorRef<Saboteur>, reason: RegExp) {
  await expect.poll(() => events.filter((e) => e.type === 'actor-restarted').length, { timeout: 10_000 }).toBe(victims.length)
  const crash = events.find((e) => e.type === 'worker-crashed')
  expect(crash).toMatchObject({ type: 'worker-crashed', thread: 2 })
  expect(crash && crash.type === 'worker-crashed' && crash.reason).toMatch(reason)
  expect(events.filter((e) => e.type === 'worker-replaced')).toEqual([{ type: 'worker-replaced', thread: 2 }])
  await expect.poll(() => events.filter((e) => e.type === 'worker-recovered')).toEqual([{ type: 'worker-recovered', thread: 2, actors: victims.length }])
  for (const victim of victims) {
    expect(await victim.ask.thread()).toBe(2)
    expect(await victim.ask.count()).toBe(0) // fresh instance
    expect(await victim.ask.cause()).toMatch(/worker 2 died/)
  }
  expect(await bystander.ask.count()).toBe(1) // untouched
  const failed = events.filter((e) => e.type === 'actor-failed')
  expect(failed.map((e) => e.type === 'actor-failed' && [e.actor, e.directive, e.error instanceof WorkerCrashedError])).toEqual(
    victims.map((v) => [v.id, 'restart', true]),
  )
}

describe('a worker that dies is replaced and its actors restarted', () => {
  it('process.exit() inside the worker', async () => {
    const { events, victim, neighbour, bystander } = await setup()
    victim.tell.exitProcess(3)
    await expectRecovered(events, [victim, neighbour], bystander, /exited with code 3/)
  })

  it('an uncaught exception in a timer', async () => {
    const { events, victim, neighbour, bystander } = await setup()
    victim.tell.throwInTimer('timer bomb')
    await expectRecovered(events, [victim, neighbour], bystander, /timer bomb/)
  })

  it('an unhandled promise rejection', async () => {
    const { events, victim, neighbour, bystander } = await setup()
    victim.tell.rejectUnhandled('nobody caught me')
    await expectRecovered(events, [victim, neighbour], bystander, /nobody caught me/)
  })

  it('running out of memory under resourceLimits', async () => {
    const { events, victim, neighbour, bystander } = await setup({ resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 } })
    victim.tell.exhaustMemory()
    await expectRecovered(events, [victim, neighbour], bystander, /memory/i)
  })

  it('an infinite loop: a handler running past handlerHangMs gets the worker terminated, then recovered', async () => {
    const { events, victim, neighbour, bystander } = await setup({ heartbeatIntervalMs: 50, handlerHangMs: 1000 })
    victim.tell.spinForever()
    await expectRecovered(events, [victim, neighbour], bystander, /hung: one handler .* ran for \d+ ms without yielding \(handlerHangMs 1000\)/)
    const hung = events.find((e) => e.type === 'worker-hung')
    expect(hung).toMatchObject({ type: 'worker-hung', thread: 2 })
    expect(hung && hung.type === 'worker-hung' && hung.silentMs).toBeGreaterThan(1000)
  })
})

describe('after a worker is replaced', () => {
  it('stats() keeps answering for every slot across the replacement, which reports its generation', async () => {
    const { system, victim } = await setup()
    victim.tell.exitProcess(1)
    for (let polls = 0; ; polls++) {
      const stats = await system.stats() // never rejects because a worker died during the call
      expect(stats.threads.map((thread) => thread.thread)).toEqual([0, 1, 2])
      if (stats.threads[2]!.generation === 1) {
        expect(stats.threads.map((thread) => thread.generation)).toEqual([0, 0, 1])
        break
      }
      expect(polls).toBeLessThan(10_000)
    }
  })

  it('a reply meant for the dead worker never answers an ask of its replacement', async () => {
    const system = await startSystem({ actors: [fixture('actors.ts')] })
    const events: SystemEvent[] = []
    system.events.subscribe((event) => events.push(event))
    const echo = await system.spawn(SlowEcho, { placement: { worker: 1 } })
    const relay = await system.spawn(DyingRelay, { placement: { worker: 0 } })
    relay.tell.askThenDie(echo, 1_500) // the 'stale' reply reaches thread 1 after its replacement started
    await expect.poll(() => events.some((e) => e.type === 'worker-recovered' && e.thread === 1), { timeout: 10_000 }).toBe(true)
    // The replacement's first ask is pending when the stale reply arrives.
    expect(await relay.ask.relay(echo, 'fresh', 3_000)).toBe('fresh')
  })
})

describe('while a worker is down', () => {
  it('pending asks on its actors reject at once with WorkerCrashedError, long before their timeout', async () => {
    const { events, victim, neighbour } = await setup()
    const pending = neighbour.with({ timeoutMs: 60_000 }).ask.idle(30_000)
    const started = performance.now()
    victim.tell.exitProcess(1)
    const error = await pending.then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(WorkerCrashedError)
    expect(error).toMatchObject({ code: 'ERR_WORKER_CRASHED', thread: 2 })
    expect(performance.now() - started).toBeLessThan(5_000)
    await expect.poll(() => events.filter((e) => e.type === 'actor-restarted').length, { timeout: 10_000 }).toBe(2)
  })

  it('messages sent to its actors are buffered and delivered to the restarted actors, in order', async () => {
    const { events, victim, neighbour } = await setup()
    victim.tell.exitProcess(1)
    await expect.poll(() => events.some((e) => e.type === 'worker-crashed')).toBe(true)
    // The worker is dead and not yet replaced (or replaced, actors not yet re-created): buffered.
    for (let i = 0; i < 100; i++) neighbour.tell.bump()
    await expect.poll(() => events.filter((e) => e.type === 'actor-restarted').length, { timeout: 10_000 }).toBe(2)
    expect(await neighbour.ask.count()).toBe(100)
  })
})
