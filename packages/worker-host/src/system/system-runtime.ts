import { ActorNotFoundError, ActorStoppedError, SystemShutdownError, type SupervisionError } from '@troupe/core'
import { STOP, fromWireError, toWireError, type ResolvedSystemOptions, type WireError } from '@troupe/core/internal'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import * as Comlink from 'comlink'
import { Host, type SystemPort } from '../host/host.js'
import type { ControlResult, HostStats, RefInfo, SpawnOrder, SpawnRequest, SystemControlApi } from '../protocol/control.js'
import { Topic } from '../util/topic.js'
import { DeadLetterOffice } from './dead-letters.js'
import { Directory, type ActorRecord } from './directory.js'
import { Supervisor } from './supervisor.js'
import { Scheduler } from './scheduler.js'
import type { SystemEvent } from './system-events.js'
import { WorkerHandle, type WorkerLaunch } from './worker-handle.js'

type State = 'running' | 'stopping' | 'stopped'

async function settle<T>(work: () => Promise<T>): Promise<ControlResult<T>> {
  try {
    return { ok: true, value: await work() }
  } catch (error) {
    return { ok: false, error: toWireError(error) }
  }
}

/**
 * The private engine behind `ActorSystem`, on the main thread: it owns the workers, the
 * directory (router), the scheduler and the main thread's own host, and answers the control
 * requests of every host.
 */
export class SystemRuntime implements SystemPort {
  readonly options: ResolvedSystemOptions
  readonly directory = new Directory()
  readonly scheduler: Scheduler
  readonly deadLetters = new DeadLetterOffice()
  readonly events = new Topic<SystemEvent>()
  readonly mainHost: Host
  readonly workers: WorkerHandle[] = []
  readonly supervisor: Supervisor
  readonly #connected = new Set<string>()
  #state: State = 'running'
  #shutdown: Promise<void> | undefined
  #fatalError: SupervisionError | undefined
  readonly #terminated: Promise<void>
  #settleTerminated!: (error: Error | undefined) => void

  constructor(options: ResolvedSystemOptions) {
    this.options = options
    this.scheduler = new Scheduler(options.workers, this.directory)
    this.#terminated = new Promise<void>((resolve, reject) => {
      this.#settleTerminated = (error) => (error ? reject(error) : resolve())
    })
    this.#terminated.catch(() => undefined) // observed through whenTerminated(), if at all
    this.supervisor = new Supervisor({
      directory: this.directory,
      events: this.events,
      guardian: options.supervision,
      directive: (record, directive, cause) => this.#directive(record, directive, cause),
      stop: (id) => this.stop(id),
      fatal: (error) => this.#fatal(error),
      now: () => performance.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
    })
    this.mainHost = new Host({
      thread: 0,
      workerCount: options.workers,
      allowList: options.actors,
      askTimeoutMs: options.askTimeoutMs,
      maxMessageBytes: options.maxMessageBytes,
      throughput: options.throughput,
      system: this,
      deadLetters: this.deadLetters.post,
    })
  }

  async startWorkers(launch: WorkerLaunch): Promise<void> {
    for (let thread = 1; thread <= this.options.workers; thread++) {
      const handle = new WorkerHandle(thread, launch, this.#controlFor(thread), this.mainHost)
      this.workers.push(handle)
      void handle.exited.then((exit) => {
        if (!exit.expected) this.#workerDied(handle)
      })
    }
    try {
      await Promise.all(this.workers.map((worker) => worker.ready()))
    } catch (error) {
      await this.#terminateWorkers()
      this.mainHost.close()
      throw error
    }
  }

  get state(): State {
    return this.#state
  }

  // ---- SystemPort (what hosts ask of the system) ---------------------------------------------

  async spawn(parent: number, request: SpawnRequest): Promise<RefInfo> {
    if (this.#state !== 'running') throw new SystemShutdownError(`spawn ${request.export}`)
    const parentRecord = parent === 0 ? undefined : this.directory.get(parent)
    if (parent !== 0 && (!parentRecord || parentRecord.stopping)) throw new ActorStoppedError(`actor#${parent} (the parent)`)
    const thread = this.scheduler.place(request.placement)
    const id = this.directory.allocateId()
    this.directory.add(id, thread, request.name, parent, {
      module: request.module,
      export: request.export,
      args: request.args,
      restart: request.restart,
      supervision: request.supervision,
    })
    const order: SpawnOrder = {
      id,
      name: request.name,
      parent: parentRecord && { id: parentRecord.id, thread: parentRecord.thread, name: parentRecord.name },
      module: request.module,
      export: request.export,
      args: request.args,
    }
    try {
      if (thread === 0) await this.mainHost.spawnHere(order)
      else await this.#worker(thread).call(async (control) => unwrapResult(await control.spawn(order)))
    } catch (error) {
      this.directory.remove(id)
      throw error
    }
    this.scheduler.placed(thread)
    return { id, thread, name: request.name }
  }

  /** Stops an actor and its subtree: children first, in reverse start order (as OTP does). */
  stop(id: number): Promise<void> {
    const record = this.directory.get(id)
    if (!record) return Promise.resolve()
    return (record.stopping ??= this.#stopTree(id))
  }

  async #stopTree(id: number): Promise<void> {
    const record = this.directory.get(id)!
    try {
      for (const child of [...record.children].reverse()) await this.stop(child)
      // The stop message travels the data plane, behind everything main sent the actor before.
      const ref = this.mainHost.refTo(id, record.thread, record.name)
      await this.mainHost.ask(ref, STOP, undefined, { timeoutMs: this.options.stopTimeoutMs })
    } catch (error) {
      if (!(error instanceof ActorStoppedError || error instanceof ActorNotFoundError)) throw error
    } finally {
      this.directory.remove(id)
      this.supervisor.forget(id)
      this.events.publish({ type: 'actor-stopped', actor: id })
    }
  }

  async lookup(name: string): Promise<RefInfo | undefined> {
    const record = this.directory.byName(name)
    return record && { id: record.id, thread: record.thread, name: record.name }
  }

  /** Sets up the direct channel between two threads, once, and hands each end its port. */
  connect(from: number, to: number): void {
    const key = from < to ? `${from}:${to}` : `${to}:${from}`
    if (this.#connected.has(key) || this.#state === 'stopped') return
    this.#connected.add(key)
    const channel = new MessageChannel()
    this.#attach(from, to, channel.port1)
    this.#attach(to, from, channel.port2)
  }

  actorFailed(id: number, error: WireError): void {
    void this.supervisor.childFailed(id, fromWireError(error))
  }

  /** Resolves when the system has shut down; rejects with the error if the guardian gave up. */
  whenTerminated(): Promise<void> {
    return this.#terminated
  }

  #fatal(error: SupervisionError): void {
    this.#fatalError ??= error
    void this.shutdown().catch(() => undefined)
  }

  /** Carries out a supervisor's directive on the thread hosting the actor. */
  async #directive(record: ActorRecord, directive: 'resume' | 'restart', cause: Error): Promise<void> {
    if (record.thread === 0) return this.mainHost.supervise(record.id, directive, cause)
    const wire = toWireError(cause)
    await this.#worker(record.thread).call(async (control) => unwrapResult(await control.supervise(record.id, directive, wire)))
  }

  // ---- Shutdown ------------------------------------------------------------------------------

  shutdown(): Promise<void> {
    return (this.#shutdown ??= this.#shutdownOnce())
  }

  async #shutdownOnce(): Promise<void> {
    this.#state = 'stopping'
    const failures: unknown[] = []
    for (const id of [...this.directory.topLevel()].reverse()) {
      await this.stop(id).catch((error: unknown) => failures.push(error))
    }
    await Promise.all(this.workers.filter((w) => w.alive).map((w) => w.call((control) => control.close()).catch(() => undefined)))
    await this.#terminateWorkers()
    this.mainHost.close()
    this.#state = 'stopped'
    this.#settleTerminated(this.#fatalError)
    if (failures.length > 0) throw new AggregateError(failures, `${failures.length} actor(s) failed to stop cleanly`)
  }

  async #terminateWorkers(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()))
  }

  // ---- internals -----------------------------------------------------------------------------

  #worker(thread: number): WorkerHandle {
    const worker = this.workers[thread - 1]
    if (!worker) throw new Error(`no worker ${thread}`)
    return worker
  }

  #attach(thread: number, peer: number, port: MessagePort): void {
    if (thread === 0) {
      this.mainHost.attachLink(peer, port)
      return
    }
    this.#worker(thread)
      .call((control) => control.attachPeer(peer, Comlink.transfer(port, [port])))
      .catch(() => port.close())
  }

  #workerDied(handle: WorkerHandle): void {
    const reason = handle.exitReason
    this.mainHost.threadDied(handle.thread, reason)
    for (const other of this.workers) if (other !== handle && other.alive) void other.call((control) => control.peerDied(handle.thread, reason)).catch(() => undefined)
    for (const record of this.directory.onThread(handle.thread)) this.directory.remove(record.id)
    this.events.publish({ type: 'worker-crashed', thread: handle.thread, reason })
  }

  #controlFor(thread: number): SystemControlApi {
    return {
      spawn: (parent, request) => settle(() => this.spawn(parent, request)),
      stop: (id) => settle(() => this.stop(id)),
      lookup: (name) => {
        const record = this.directory.byName(name)
        return record && { id: record.id, thread: record.thread, name: record.name }
      },
      connect: (from, to) => this.connect(from === thread ? from : thread, to),
      actorFailed: (id, error) => this.actorFailed(id, error),
      reportLoad: (stats: HostStats) => this.scheduler.report(stats),
    }
  }
}

function unwrapResult<T>(result: ControlResult<T>): T {
  if (result.ok) return result.value
  throw fromWireError(result.error)
}
