import { WorkerCrashedError } from '@troupe/core'
import type * as Comlink from 'comlink'
import type { VirtualClock } from '../../clock/virtual-clock.js'
import type { Host } from '../../host/host.js'
import type { HostControlApi } from '../../protocol/control.js'
import type { WorkerStart } from '../../system/system-engine.js'
import type { WorkerExit, WorkerHandle } from '../../system/worker-handle.js'
import { createWorkerHost } from '../../worker/worker-host.js'
import { asRemote } from './as-remote.js'
import { ControlCalls, describeExit } from '../../system/control-calls.js'
import type { SimEngine } from './sim-engine.js'

/**
 * A worker slot's occupant in deterministic mode: a host on the calling thread instead of a
 * worker thread, built by the same `createWorkerHost` a real worker runs, wired to the main host
 * by a simulated channel and to the system by direct calls. A crash or a kill ends it as a
 * thread's exit would: its channels close, its calls fail, its dispatcher stops.
 */
export class SimulatedWorker implements WorkerHandle {
  readonly thread: number
  readonly generation: number
  readonly exited: Promise<WorkerExit>
  readonly spares = undefined
  readonly host: Host
  readonly clock: VirtualClock
  lastSeen = 0
  lastProgress = 0
  started = false
  /** Manual time at which the simulated watchdog finds it hung (see `hang`); Infinity while it is not. */
  hungUntil = Number.POSITIVE_INFINITY
  readonly #calls: ControlCalls
  readonly #engine: SimEngine
  #exit: WorkerExit | undefined
  #killedBecause: string | undefined
  #resolveExit!: (exit: WorkerExit) => void
  #ready: Promise<void> | undefined

  constructor(start: WorkerStart, engine: SimEngine) {
    this.thread = start.thread
    this.generation = start.generation
    this.#engine = engine
    this.exited = new Promise((resolve) => (this.#resolveExit = resolve))
    const [mainEnd, workerEnd] = engine.network.channel(0, start.thread)
    const refuse = (): Error | undefined => (this.alive ? undefined : new WorkerCrashedError(this.thread, this.exitReason))
    const system = asRemote(start.systemApi, refuse)
    const init = { ...start.launch.init, thread: start.thread, restoring: start.restoring, generation: start.generation, board: start.board, clock: engine.clock.buffer, persistence: start.launch.store?.forWorker().persistence }
    const { host, control, clock } = createWorkerHost(init, system, workerEnd, { registry: engine.registry, random: engine.random, chooseNext: engine.chooseNext })
    this.host = host
    this.clock = clock!
    this.#calls = new ControlCalls(asRemote(control, refuse))
    start.mainHost.attachLink(start.thread, mainEnd)
  }

  get alive(): boolean {
    return this.#exit === undefined
  }

  get killed(): boolean {
    return this.#killedBecause !== undefined
  }

  get exitReason(): string {
    return describeExit(this.#exit, this.#killedBecause)
  }

  get pendingCalls(): number {
    return this.#calls.size
  }

  touch(): void {}

  call<T>(invoke: (control: Comlink.Remote<HostControlApi>) => Promise<T>): Promise<T> {
    if (!this.alive) return Promise.reject(new WorkerCrashedError(this.thread, this.exitReason))
    return this.#calls.call(invoke)
  }

  ready(): Promise<void> {
    return (this.#ready ??= this.call((control) => control.stats()).then(() => {
      this.started = true
    }))
  }

  /** The watchdog found it hung: it is ended, and its exit counts as a crash. */
  kill(reason: string): void {
    if (!this.alive || this.#killedBecause) return
    this.#killedBecause = reason
    this.#end({ code: 1, error: undefined, expected: false })
  }

  /** The test kit's `crashWorker`: the thread exits with `code`, as `process.exit(code)` inside it would. */
  crash(code: number): void {
    if (this.alive) this.#end({ code, error: undefined, expected: false })
  }

  /** The test kit's `hangWorker`: from now on it does nothing, until the simulated watchdog kills it. */
  hang(hangMs: number): void {
    if (!this.alive || this.hungUntil !== Number.POSITIVE_INFINITY) return
    this.hungUntil = this.#engine.clock.now() + hangMs
    this.#engine.network.freeze(this.thread)
    this.host.dispatcher.halt()
  }

  async terminate(): Promise<void> {
    if (this.alive) this.#end({ code: 1, error: undefined, expected: true })
    await this.exited
  }

  #end(exit: WorkerExit): void {
    this.#exit = exit
    this.#engine.workerEnded(this)
    this.#engine.network.threadDied(this.thread)
    this.host.dispatcher.halt()
    this.host.close()
    this.#calls.failAll(() => new WorkerCrashedError(this.thread, this.exitReason))
    this.#resolveExit(exit)
  }
}
