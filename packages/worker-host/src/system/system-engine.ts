import type { Host } from '../host/host.js'
import type { HostOptions } from '../host/host-options.js'
import type { SystemRuntime } from './system-runtime.js'
import type { ClockDriver } from '../clock/manual-clock.js'
import type { ModuleRegistry } from '../host/module-registry.js'
import { createThreadChannel, type ChannelEnd } from '../link/thread-channel.js'
import type { SystemControlApi } from '../protocol/control.js'
import { ThreadWorker, type WorkerHandle, type WorkerLaunch } from './worker-handle.js'

/** What starting a worker slot's occupant needs. */
export interface WorkerStart {
  readonly thread: number
  readonly launch: WorkerLaunch
  readonly board: SharedArrayBuffer
  readonly systemApi: SystemControlApi
  readonly mainHost: Host
  readonly restoring: number[]
  readonly generation: number
}

/**
 * What a system runs its workers on. Real worker threads (`threadEngine`) unless the test kit's
 * deterministic mode gives it simulated ones, all on the calling thread; everything above this
 * seam (directory, supervision, recovery, hosts, links) is the same code either way.
 */
export interface SystemEngine {
  startWorker(start: WorkerStart): WorkerHandle
  /** The two ends of a new data channel between threads `from` and `to`. */
  channel(from: number, to: number): readonly [ChannelEnd, ChannelEnd]
  /** Real threads run the time-slice ticker and the hang watchdog; simulated ones do neither. */
  readonly realThreads: boolean
  /** One registry for every host (simulated threads load each module once); default: one per host. */
  readonly registry?: ModuleRegistry
  /** 0..1 for every host and supervisor (deterministic mode: from the seed); default `Math.random`. */
  readonly random?: () => number
  /** Which of `n` ready actors a thread runs next (deterministic mode: from the seed); default the oldest. */
  readonly chooseNext?: (n: number) => number
  /** Told of the system it runs, once its runtime exists (before any worker starts). */
  attached?(runtime: SystemRuntime): void
  /** How a manual clock reaches this engine's threads; default: over the control plane. */
  clockDriver?(): ClockDriver
}

/** What an engine gives every host it runs (the main thread's included): a shared registry, seeded choices. */
export function engineHostOptions(engine: SystemEngine): Pick<HostOptions, 'random' | 'chooseNext' | 'registry'> {
  return {
    ...(engine.random ? { random: engine.random } : {}),
    ...(engine.chooseNext ? { chooseNext: engine.chooseNext } : {}),
    ...(engine.registry ? { registry: engine.registry } : {}),
  }
}

export const threadEngine: SystemEngine = {
  startWorker: ({ thread, launch, board, systemApi, mainHost, restoring, generation }) => new ThreadWorker(thread, launch, board, systemApi, mainHost, restoring, generation),
  channel() {
    const { port1, port2 } = createThreadChannel()
    return [port1, port2]
  },
  realThreads: true,
}

/** Engines handed to `ActorSystem.start` by the test kit, keyed by the options object. */
const engines = new WeakMap<object, SystemEngine>()

/** Makes `ActorSystem.start(options)` run on `engine` (the test kit's deterministic mode). */
export function useEngine(options: object, engine: SystemEngine): void {
  engines.set(options, engine)
}

export function engineFor(options: object): SystemEngine {
  return engines.get(options) ?? threadEngine
}
