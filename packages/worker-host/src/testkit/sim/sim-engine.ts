import { manualClockParts, type ClockDriver, type ManualClock } from '../../clock/manual-clock.js'
import type { ActorSystemOptions } from '@troupe/core'
import { resolveSystemOptions } from '@troupe/core/internal'
import { ModuleRegistry } from '../../host/module-registry.js'
import { resolveModuleSources } from '../../system/launch.js'
import type { SystemEngine, WorkerStart } from '../../system/system-engine.js'
import type { SystemRuntime } from '../../system/system-runtime.js'
import { SimNetwork } from './sim-network.js'
import { hungReason } from '../../system/heartbeat-watchdog.js'
import { SimulatedWorker } from './sim-worker.js'

/**
 * The engine of deterministic mode: every worker is a `SimulatedWorker` on the calling thread,
 * every channel a simulated one whose deliveries the seeded `SimNetwork` orders, every timer on
 * the `ManualClock`. Hosts share one module registry, loaded before the first step, so that no
 * module import (real I/O) lands between two steps in a different place from one run to the next.
 */
export class SimEngine implements SystemEngine {
  readonly realThreads = false
  readonly network: SimNetwork
  registry: ModuleRegistry
  readonly clock: ManualClock
  readonly #live = new Set<SimulatedWorker>()
  /** Backoff jitter and random routing draw from the seed too. */
  readonly random = (): number => this.network.random()
  /** Which ready actor a simulated thread runs next comes from the seed too. */
  readonly chooseNext = (n: number): number => this.network.choose(n)
  #runtime: SystemRuntime | undefined

  constructor(seed: number, clock: ManualClock, settleTimeoutMs: number) {
    this.network = new SimNetwork(seed, settleTimeoutMs)
    this.clock = clock
    this.registry = new ModuleRegistry([])
    this.network.watchBusy(() => this.#busy())
  }

  /** Loads every allow-listed module once, before the system starts (see the class comment). */
  async prepare(options: ActorSystemOptions): Promise<void> {
    this.registry = new ModuleRegistry(resolveModuleSources(resolveSystemOptions(options)).actors)
    await this.registry.locate(null)
  }

  get runtime(): SystemRuntime {
    return this.#runtime!
  }

  attached(runtime: SystemRuntime): void {
    this.#runtime = runtime
  }

  startWorker(start: WorkerStart): SimulatedWorker {
    const worker = new SimulatedWorker(start, this)
    this.#live.add(worker)
    return worker
  }

  channel(from: number, to: number): readonly [SimulatedEnd, SimulatedEnd] {
    return this.network.channel(from, to)
  }

  /** A simulated worker ended (crash, kill, shutdown): its timers and work no longer count. */
  workerEnded(worker: SimulatedWorker): void {
    this.#live.delete(worker)
  }

  /** The live simulated worker of `thread`. */
  worker(thread: number): SimulatedWorker | undefined {
    for (const worker of this.#live) if (worker.thread === thread) return worker
    return undefined
  }

  #busy(): boolean {
    if (this.#runtime?.mainHost.dispatcher.busy) return true
    for (const worker of this.#live) if (worker.hungUntil === Number.POSITIVE_INFINITY && worker.host.dispatcher.busy) return true
    return false
  }

  /**
   * Manual time across the simulated threads: each live worker's timers, and for a hung one
   * the moment the watchdog (`handlerHangMs`) finds it, when it is killed like a real hung thread.
   */
  clockDriver(): ClockDriver {
    return {
      nextDue: async () => {
        const dues = [{ thread: 0, due: manualClockParts(this.clock).main.nextDue() }]
        for (const worker of [...this.#live].sort((a, b) => a.thread - b.thread)) {
          dues.push({ thread: worker.thread, due: Math.min(worker.hungUntil, worker.hungUntil === Number.POSITIVE_INFINITY ? worker.clock.nextDue() : Number.POSITIVE_INFINITY) })
        }
        return dues
      },
      fire: async (threads) => {
        for (const thread of threads) {
          if (thread === 0) {
            manualClockParts(this.clock).main.fireDue()
            continue
          }
          const worker = this.worker(thread)
          if (worker === undefined) continue
          if (worker.hungUntil <= this.clock.now()) this.#hungFound(worker)
          else worker.clock.fireDue()
        }
      },
      settle: () => this.network.settled(),
    }
  }

  #hungFound(worker: SimulatedWorker): void {
    const runtime = this.#runtime!
    const silentMs = runtime.options.handlerHangMs
    runtime.events.publish({ type: 'worker-hung', thread: worker.thread, silentMs })
    worker.kill(hungReason(silentMs, silentMs))
  }
}

type SimulatedEnd = ReturnType<SimNetwork['channel']>[number]
