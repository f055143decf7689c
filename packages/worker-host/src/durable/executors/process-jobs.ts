import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { JobProcessExitedError, JobTimeoutError, SpawnError, type JobInfo, type TaskRef } from '@troupe/core'
import { isTypeScriptModule, sourceModuleHref } from '../../host/module-source.js'
import { decodeEvent, encodeEvent } from '../../protocol/durable-wire.js'
import type { JobExecutor } from './job-executor.js'

/** A child that has not loaded its task module within this is killed, and the job fails. */
const START_TIMEOUT_MS = 30_000
const RUNNER = fileURLToPath(new URL('./process-runner.mjs', import.meta.url))

type Answer = [id: number, status: 0, bytes: Uint8Array] | [id: number, status: 1, error: { name: string; message: string; code?: string; stack?: string }]

/** One child process and the job it runs (at most one). */
class Child {
  readonly process: ChildProcess
  readonly ready: Promise<void>
  readonly exited: Promise<void>
  #job: { id: number; resolve(value: unknown): void; reject(error: Error): void } | undefined
  #nextId = 1
  #exit: { code: number | null; signal: string | null } | undefined

  constructor(task: TaskRef, execArgv: string[]) {
    const href = sourceModuleHref(task.module)
    const args = [href, task.export, ...(isTypeScriptModule(href) ? ['tsx'] : [])]
    this.process = fork(RUNNER, args, { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    this.exited = new Promise((resolve) =>
      this.process.once('exit', (code, signal) => {
        this.#exit = { code, signal }
        this.#job?.reject(new JobProcessExitedError(code, signal))
        this.#job = undefined
        resolve()
      }),
    )
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.process.kill('SIGKILL')
        reject(new SpawnError(task.module, task.export, `the child process did not load the task within ${START_TIMEOUT_MS} ms`))
      }, START_TIMEOUT_MS)
      const ready = (message: unknown) => {
        if (!Array.isArray(message) || message[0] !== 'ready') return
        clearTimeout(timer)
        this.process.off('message', ready)
        resolve()
      }
      this.process.on('message', ready)
      void this.exited.then(() => {
        clearTimeout(timer)
        reject(new SpawnError(task.module, task.export, `the child process exited (${this.#exit?.signal ?? `code ${this.#exit?.code}`}) before it loaded the task`))
      })
    })
    this.ready.catch(() => undefined)
    this.process.on('message', (message: unknown) => this.#answer(message as Answer))
  }

  get alive(): boolean {
    return this.#exit === undefined
  }

  run(event: unknown): Promise<unknown> {
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      this.#job = { id, resolve, reject }
      this.process.send([id, encodeEvent(event)], (error) => {
        if (error && this.#job?.id === id) {
          this.#job = undefined
          reject(error)
        }
      })
    })
  }

  kill(): Promise<void> {
    if (this.alive) this.process.kill('SIGKILL')
    return this.exited
  }

  #answer(message: Answer): void {
    const job = this.#job
    if (!Array.isArray(message) || !job || message[0] !== job.id) return
    this.#job = undefined
    if (message[1] === 0) {
      job.resolve(decodeEvent(message[2]))
    } else {
      const wire = message[2]
      const error = new Error(wire.message)
      error.name = wire.name
      if (wire.code !== undefined) Object.assign(error, { code: wire.code })
      if (wire.stack !== undefined) error.stack = wire.stack
      job.reject(error)
    }
  }
}

/**
 * Jobs run by a pool of up to `size` child processes (`node:child_process` fork), one job per
 * child at a time: the event and the result cross as msgpack over IPC. A child that crashes or
 * exits mid-job fails that attempt (`JobProcessExitedError`); one past `timeoutMs` is killed
 * (`JobTimeoutError`). Either way a fresh child takes its place for the next job. The first
 * child starts at `handle`, so a module that cannot load fails there.
 */
export class ProcessJobs implements JobExecutor {
  readonly #task: TaskRef
  readonly #handler: string
  readonly #size: number
  readonly #execArgv: string[]
  readonly #idle: Child[] = []
  readonly #all = new Set<Child>()
  readonly #waiting: ((child: Child) => void)[] = []
  #closed = false

  private constructor(task: TaskRef, handler: string, size: number, execArgv: string[]) {
    this.#task = task
    this.#handler = handler
    this.#size = size
    this.#execArgv = execArgv
  }

  static async start(task: TaskRef, handler: string, size: number, execArgv: string[]): Promise<ProcessJobs> {
    const pool = new ProcessJobs(task, handler, size, execArgv)
    const first = pool.#fork()
    try {
      await first.ready
    } catch (error) {
      await pool.close()
      throw error
    }
    pool.#idle.push(first)
    return pool
  }

  async run(event: unknown, _job: JobInfo, timeoutMs: number): Promise<unknown> {
    const deadline = Date.now() + timeoutMs
    const child = await this.#take()
    let timer: NodeJS.Timeout | undefined
    try {
      await child.ready
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          void child.kill()
          reject(new JobTimeoutError(this.#handler, timeoutMs))
        }, Math.max(1, deadline - Date.now()))
      })
      return await Promise.race([child.run(event), late])
    } finally {
      clearTimeout(timer)
      this.#give(child)
    }
  }

  async close(): Promise<void> {
    this.#closed = true
    const children = [...this.#all]
    this.#all.clear()
    this.#idle.length = 0
    await Promise.all(children.map((child) => child.kill()))
  }

  #fork(): Child {
    const child = new Child(this.#task, this.#execArgv)
    this.#all.add(child)
    void child.exited.then(() => this.#all.delete(child))
    return child
  }

  #take(): Promise<Child> {
    const idle = this.#idle.pop()
    if (idle) return Promise.resolve(idle)
    if (this.#all.size < this.#size) return Promise.resolve(this.#fork())
    return new Promise((resolve) => this.#waiting.push(resolve))
  }

  /** A child is free again; a dead one is replaced by a fresh fork for whoever waits. */
  #give(child: Child): void {
    if (this.#closed) {
      void child.kill()
      return
    }
    const next = this.#waiting.shift()
    if (!child.alive) {
      this.#all.delete(child)
      if (next) next(this.#fork())
      return
    }
    if (next) next(child)
    else this.#idle.push(child)
  }
}
