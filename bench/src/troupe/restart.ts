// restart.latency.p50: how long the actors of a crashed worker are unavailable.
import type { ActorRef, ActorSystem, SystemEvent } from 'troupe'
import { WorkerCrashedError } from 'troupe'
import type { BenchmarkDefinition } from '../harness.js'
import { median } from '../stats.js'
import { Phoenix } from './restart-actors.js'
import { check, unexpectedFailure, withSystem } from './system.js'

const id = 'restart.latency.p50'
const RESTART_ACTORS = new URL('./restart-actors.js', import.meta.url)

/** Actors on the worker that gets killed. */
const actorCount = 10
const workers = 2
/** The actors live on worker 1 (0-based), which `ctx.thread` and the events call thread 2. */
const victimWorker = 1
const victimThread = victimWorker + 1
/** Asks per actor per kill before the run gives up (a retry follows a WorkerCrashedError or an answer from the dying instance). */
const maxAttempts = 1000

/** What a kill must produce, and what it did: the judge fails the run on anything else. */
class Recovery {
  /** Kills so far, this one included: after kill k every actor has been restarted k times. */
  kills = 0
  #crashExpected = false
  #replaced = false
  #recovered = false
  readonly #restarted = new Set<number>()
  readonly #failed = new Set<number>()
  #waiter: (() => void) | undefined
  readonly ids: ReadonlySet<number>

  constructor(ids: ReadonlySet<number>) {
    this.ids = ids
  }

  /** Called just before the kill. */
  expectCrash(): void {
    this.kills++
    this.#crashExpected = true
    this.#replaced = false
    this.#recovered = false
    this.#restarted.clear()
    this.#failed.clear()
  }

  /** Resolves once every actor's restart was reported and the system reported the recovery done. */
  complete(): Promise<void> {
    if (this.#done()) return Promise.resolve()
    return new Promise((resolve) => (this.#waiter = resolve))
  }

  /** A benchmark's crashes are planned: the first on the victim's thread per kill, nothing else. */
  readonly judge = (event: SystemEvent): Error | undefined => {
    const unexpected = (detail: string) => new Error(`${id}: unexpected ${event.type} (kill ${this.kills}): ${detail}`)
    switch (event.type) {
      case 'worker-crashed':
        if (!this.#crashExpected || event.thread !== victimThread || !/exited with code 1/.test(event.reason)) {
          return unexpected(`thread ${event.thread}: ${event.reason}`)
        }
        this.#crashExpected = false
        return undefined
      case 'worker-replaced':
        if (event.thread !== victimThread || this.#replaced) return unexpected(`thread ${event.thread}`)
        this.#replaced = true
        return undefined
      case 'actor-failed': {
        const planned = event.directive === 'restart' && event.error instanceof WorkerCrashedError
        if (!this.ids.has(event.actor) || !planned || this.#failed.has(event.actor)) {
          return unexpected(`actor#${event.actor}, ${event.directive}: ${event.error.message}`)
        }
        this.#failed.add(event.actor)
        return undefined
      }
      case 'actor-restarted':
        // One restart per kill: after kill k the actor's k-th, reported after its failure.
        if (!this.ids.has(event.actor) || event.thread !== victimThread || event.restarts !== this.kills || !this.#failed.has(event.actor)) {
          return unexpected(`actor#${event.actor} on thread ${event.thread}, restart ${event.restarts}`)
        }
        this.#restarted.add(event.actor)
        if (this.#done()) this.#waiter?.()
        return undefined
      case 'worker-recovered':
        // Published after every lost actor was handled, so all restarts came before it.
        if (event.thread !== victimThread || event.actors !== this.ids.size || this.#restarted.size !== this.ids.size || this.#recovered) {
          return unexpected(`thread ${event.thread}, ${event.actors} actors`)
        }
        this.#recovered = true
        if (this.#done()) this.#waiter?.()
        return undefined
      default:
        return unexpectedFailure(id, event) ?? unexpected(JSON.stringify(event))
    }
  }

  #done(): boolean {
    return this.#replaced && this.#recovered && this.#restarted.size === this.ids.size
  }
}

/**
 * Asks `ping` until a restarted instance answers. An ask that was on its way when the worker
 * died rejects with WorkerCrashedError (asks sent after main noticed the crash are buffered for
 * the restarted actor instead), and the dying instance may still answer one sent just before
 * it exited: both are asked again.
 */
async function untilRestarted(actor: ActorRef<Phoenix>, index: number): Promise<void> {
  for (let n = 0; n < maxAttempts; n++) {
    let reply
    try {
      reply = await actor.ask.ping(n)
    } catch (error) {
      if (error instanceof WorkerCrashedError && error.thread === victimThread) continue
      throw error
    }
    check(`${id}: ping index`, reply.index, index)
    check(`${id}: ping echo`, reply.n, n)
    if (reply.armed) continue // the instance that is about to die
    check(`${id}: answered by a restarted instance (onRestart ran)`, reply.restarted, true)
    check(`${id}: thread of the restarted actor`, reply.thread, victimThread)
    return
  }
  throw new Error(`${id}: actor ${index} did not answer from a restarted instance after ${maxAttempts} asks`)
}

/** How long the untimed wait for a loaded spare may take before the run fails. */
const spareReadyTimeoutMs = 30_000

/**
 * Waits (untimed) until the spare worker has loaded: the figure is a crash met by a system in
 * its steady state. Without the wait, each kill met the spare the last replacement had just
 * started, and measured its boot instead (about 250 ms here, P7's earlier figure).
 */
async function untilSpareReady(system: ActorSystem): Promise<void> {
  const deadline = performance.now() + spareReadyTimeoutMs
  while ((await system.stats()).spareWorker !== 'ready') {
    if (performance.now() > deadline) throw new Error(`${id}: the spare worker was not ready within ${spareReadyTimeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/**
 * One kill: wait for a loaded spare and arm every instance (untimed), then take t0, tell one
 * actor to exit its worker and at once ask all of them until each has answered from a restarted
 * instance. Afterwards (untimed) waits until the system has reported the whole recovery, so kills
 * never overlap.
 */
async function killOnce(system: ActorSystem, actors: readonly ActorRef<Phoenix>[], recovery: Recovery): Promise<number> {
  await untilSpareReady(system)
  const indices = await Promise.all(actors.map((actor) => actor.ask.arm()))
  indices.forEach((index, i) => check(`${id}: armed index`, index, i))
  recovery.expectCrash()
  const victim = actors[(recovery.kills - 1) % actors.length]!
  const started = performance.now()
  victim.tell.exitProcess(1)
  await Promise.all(actors.map((actor, index) => untilRestarted(actor, index)))
  const ms = performance.now() - started
  await recovery.complete()
  return ms
}

async function spawnActors(system: ActorSystem): Promise<ActorRef<Phoenix>[]> {
  const actors: ActorRef<Phoenix>[] = []
  for (let index = 0; index < actorCount; index++) {
    actors.push(await system.spawn(Phoenix, { args: [index], placement: { worker: victimWorker } }))
  }
  for (const [index, actor] of actors.entries()) {
    const reply = await actor.ask.ping(0)
    check(`${id}: fresh actor index`, reply.index, index)
    check(`${id}: fresh actor thread`, reply.thread, victimThread)
    check(`${id}: fresh actor restarted`, reply.restarted, false)
  }
  return actors
}

/**
 * One run: a system whose guardian tolerates every kill of the run (the default, 3 restarts in
 * 5 s, would give up after the fourth), default heartbeat settings, K actors on worker 1 and
 * nothing else there. A quarter of the kills are untimed; the figure is the median of the rest.
 */
async function run(quick: boolean): Promise<number> {
  const kills = quick ? 8 : 20
  let recovery: Recovery | undefined
  return withSystem(
    workers,
    id,
    async (system) => {
      const actors = await spawnActors(system)
      recovery = new Recovery(new Set(actors.map((actor) => actor.id)))
      for (let i = 0; i < kills / 4; i++) await killOnce(system, actors, recovery)
      const times: number[] = []
      for (let i = 0; i < kills; i++) times.push(await killOnce(system, actors, recovery))
      return median(times)
    },
    {
      actors: [RESTART_ACTORS],
      // With the spare worker on: this measures the restart path a user who cares about it gets.
      options: { supervision: { maxRestarts: 1000, withinMs: 60_000 }, spareWorker: true },
      // Before the actors exist nothing may fail; afterwards the recovery judges.
      judge: (event) => (recovery ? recovery.judge(event) : unexpectedFailure(id, event)),
      // Each kill's own message was running when its worker died: it is a dead letter, by design.
      expectedDeadLetters: ['worker-died'],
    },
  )
}

export const restartLatencyP50: BenchmarkDefinition = { id, unit: 'ms', run }
