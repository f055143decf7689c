import type { ActorRef, ActorSystemOptions } from '@troupe/core'
import { InvalidOptionError } from '@troupe/core'
import { ActorSystem, runtimeOf } from '../system/actor-system.js'
import { ManualClock } from '../clock/manual-clock.js'
import { useEngine } from '../system/system-engine.js'
import { ProbeActor } from './probe/probe-actor.js'
import { createTestProbe, type ProbeWaiting, type TestProbe } from './probe/test-probe.js'
import { SimEngine } from './sim/sim-engine.js'
import { SimulatedWorker } from './sim/sim-worker.js'

/** `TestKit.start`'s options: a system's, and whether it runs on manual time. */
export interface TestKitOptions extends Omit<ActorSystemOptions, 'clock'> {
  /** Start the system on a fresh `ManualClock` (`kit.clock`). Default false: real time. */
  readonly manualTime?: boolean
}

/** `TestKit.deterministic`'s options. Workers default to 2, whatever the machine, so a seed means the same everywhere. */
export interface DeterministicOptions extends Omit<ActorSystemOptions, 'clock' | 'threads' | 'offload' | 'spareWorker' | 'typescript' | 'execArgv' | 'resourceLimits'> {
  /** Decides the interleaving: the same seed replays the same run. An integer. */
  readonly seed: number
  /**
   * How long (real time) waiting for the simulation to be idle may last before it rejects with
   * `SimulationBusyError`: `settle()`, a probe's wait, each step of `clock.advance`. Default 10 000.
   */
  readonly settleTimeoutMs?: number
}

const PROBE_MODULE = new URL('./probe/probe-actor.js', import.meta.url).href
let nextProbe = 1

/**
 * Everything a test of actors needs, around one system: probes, manual time, and faults.
 *
 * - `TestKit.start(options)` runs the system on real worker threads, on real time or on a
 *   `ManualClock` (`manualTime: true`).
 * - `TestKit.deterministic({ seed, ... })` runs every "thread" of the system on the calling thread,
 *   under a scheduler driven by the seed, on manual time: the same seed gives the same run.
 *
 * ```ts
 * await using kit = await TestKit.start({ actors, manualTime: true })
 * const probe = await kit.createProbe<string>()
 * ```
 */
export class TestKit implements AsyncDisposable {
  readonly system: ActorSystem
  /** The manual clock, when the system runs on one (always in deterministic mode). */
  readonly clock: ManualClock | undefined
  readonly #sim: SimEngine | undefined

  private constructor(system: ActorSystem, clock: ManualClock | undefined, sim: SimEngine | undefined) {
    this.system = system
    this.clock = clock
    this.#sim = sim
  }

  /** A system on real worker threads (and real time, unless `manualTime`), with the test kit around it. */
  static async start(options: TestKitOptions): Promise<TestKit> {
    if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'an object', options)
    const { manualTime = false, ...systemOptions } = options
    if (typeof manualTime !== 'boolean') throw new InvalidOptionError('manualTime', 'true or false', manualTime)
    const clock = manualTime ? new ManualClock() : undefined
    const system = await ActorSystem.start({ ...systemOptions, actors: withProbe(systemOptions.actors), ...(clock ? { clock } : {}) })
    return new TestKit(system, clock, undefined)
  }

  /**
   * A system whose threads are simulated on the calling thread, driven by `seed`: the order in
   * which batches of messages reach each thread comes from the seed, so the same seed replays the
   * same interleaving. Time is manual (`kit.clock`). Messages are still encoded and decoded
   * between simulated threads, so what is legal does not change.
   */
  static async deterministic(options: DeterministicOptions): Promise<TestKit> {
    if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'an object', options)
    const { seed, settleTimeoutMs = 10_000, ...systemOptions } = options
    if (!Number.isSafeInteger(seed)) throw new InvalidOptionError('seed', 'a safe integer', seed)
    if (!(Number.isInteger(settleTimeoutMs) && settleTimeoutMs >= 1 && settleTimeoutMs <= 2 ** 31 - 1)) throw new InvalidOptionError('settleTimeoutMs', 'an integer of milliseconds from 1 to 2147483647', settleTimeoutMs)
    for (const key of ['clock', 'threads', 'offload', 'spareWorker', 'typescript', 'execArgv', 'resourceLimits']) {
      if (key in systemOptions) throw new InvalidOptionError(key, 'left out in deterministic mode (every thread is simulated on this one)', (systemOptions as Record<string, unknown>)[key])
    }
    const clock = new ManualClock()
    const workers = systemOptions.workers === undefined || systemOptions.workers === 'auto' ? 2 : systemOptions.workers
    const startOptions: ActorSystemOptions = { ...systemOptions, workers, threads: typeof workers === 'number' && workers > 0 ? workers : 1, actors: withProbe(systemOptions.actors), clock, typescript: false }
    const sim = new SimEngine(seed, clock, settleTimeoutMs)
    useEngine(startOptions, sim)
    await sim.prepare(startOptions)
    const system = await ActorSystem.start(startOptions)
    await sim.network.settled()
    return new TestKit(system, clock, sim)
  }

  /** `'threads'`: real worker threads; `'deterministic'`: simulated ones. */
  get mode(): 'threads' | 'deterministic' {
    return this.#sim ? 'deterministic' : 'threads'
  }

  /** The seed of a deterministic kit. */
  get seed(): number | undefined {
    return this.#sim?.network.seed
  }

  /** Deterministic mode: one line per delivery, drop or fault, in order. The same seed gives the same trace. */
  get trace(): readonly string[] {
    return this.#sim?.network.trace ?? []
  }

  /**
   * A probe: a ref to hand to actors (`probe.ref`), on the main thread, and assertions on what it
   * receives. It is stopped with the system.
   */
  async createProbe<M = unknown>(): Promise<TestProbe<M>> {
    const id = nextProbe++
    const ref = (await this.system.spawn(ProbeActor, { placement: 'main', args: [id] })) as unknown as ActorRef<ProbeActor<M>>
    return createTestProbe<M>(id, ref, this.#waiting(), () => this.system.stop(ref))
  }

  /**
   * Deterministic mode: resolves once nothing is left to deliver and every simulated thread is
   * idle (timers wait for `clock.advance`).
   */
  settle(): Promise<void> {
    return this.#simulation('settle').network.settled()
  }

  /**
   * Kills worker `thread` as a crash would (a real `process.exit(code)` inside the thread; its
   * simulated counterpart in deterministic mode). Resolves once it is gone; the system then
   * recovers as documented: the slot gets a new worker and the supervisors decide about its actors
   * (watch `system.events` for `worker-recovered`).
   */
  async crashWorker(thread: number, code = 1): Promise<void> {
    const worker = this.#worker(thread)
    if (!(Number.isInteger(code) && code >= 0 && code <= 255)) throw new InvalidOptionError('code', 'an exit code from 0 to 255', code)
    if (worker instanceof SimulatedWorker) worker.crash(code)
    else void worker.call((control) => control.crash(code)).catch(() => undefined)
    await worker.exited
  }

  /**
   * Makes worker `thread` hang: it stops processing anything. The watchdog finds it after
   * `handlerHangMs` (real time; manual time in deterministic mode, so `clock.advance` it), emits
   * `worker-hung`, terminates it and recovers the slot as after a crash.
   */
  hangWorker(thread: number): void {
    const worker = this.#worker(thread)
    if (worker instanceof SimulatedWorker) worker.hang(runtimeOf(this.system).options.handlerHangMs)
    else void worker.call((control) => control.hang()).catch(() => undefined)
  }

  /** Deterministic mode: the next batch simulated thread `from` sends to `to` is lost (for at-least-once tests). */
  dropNextBatch(from: number, to: number): void {
    const sim = this.#simulation('dropNextBatch')
    const threads = this.system.workers
    for (const [name, value] of [['from', from], ['to', to]] as const) {
      if (!(Number.isInteger(value) && value >= 0 && value <= threads)) throw new InvalidOptionError(name, `a thread from 0 (main) to ${threads}`, value)
    }
    sim.network.dropNextBatch(from, to)
  }

  /** Shuts the system down. */
  shutdown(): Promise<void> {
    return this.system.shutdown()
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown()
  }

  #worker(thread: number) {
    const workers = this.system.workers
    if (!(Number.isInteger(thread) && thread >= 1 && thread <= workers)) throw new InvalidOptionError('thread', `a worker thread from 1 to ${workers}`, thread)
    return runtimeOf(this.system).workers[thread - 1]!
  }

  #simulation(operation: string): SimEngine {
    if (!this.#sim) throw new InvalidOptionError(operation, 'called on a deterministic test kit (TestKit.deterministic)', 'a test kit on real threads')
    return this.#sim
  }

  #waiting(): ProbeWaiting {
    const sim = this.#sim
    if (sim) return { wait: () => sim.network.settled(), describe: () => 'before the simulation was idle' }
    return {
      wait: (arrived, ms) => {
        let timer: NodeJS.Timeout | undefined
        const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))
        return Promise.race([arrived, late]).finally(() => clearTimeout(timer))
      },
      describe: (ms) => `within ${ms} ms`,
    }
  }
}

function withProbe(actors: ActorSystemOptions['actors']): ActorSystemOptions['actors'] {
  if (!Array.isArray(actors)) return actors // ActorSystem.start names the bad option
  return [...actors, PROBE_MODULE]
}
