import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterTest } from './system.js'

/** A program of test/programs run as its own process (a cluster node), talking JSON lines. */
export class NodeProcess {
  readonly #child: ChildProcess
  /** Every line it printed, parsed, in order. */
  readonly lines: Record<string, unknown>[] = []
  readonly #waiters = new Set<() => void>()
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>

  constructor(program: string, args: readonly string[]) {
    const file = fileURLToPath(new URL(`../programs/${program}`, import.meta.url))
    this.#child = spawn(process.execPath, ['--conditions=troupe-source', '--import', 'tsx', file, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
    let buffered = ''
    this.#child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop()!
      for (const line of lines) if (line.startsWith('{')) this.lines.push(JSON.parse(line) as Record<string, unknown>)
      for (const wake of [...this.#waiters]) wake()
    })
    this.exited = new Promise((resolve) => this.#child.once('exit', (code, signal) => {
      for (const wake of [...this.#waiters]) wake()
      resolve({ code, signal })
    }))
    afterTest(() => this.kill())
  }

  get pid(): number {
    return this.#child.pid!
  }

  /** The first line (from `from` on) that matches, once printed; rejects after `timeoutMs` or if the process exits first. */
  async next<T extends Record<string, unknown>>(match: (line: Record<string, unknown>) => boolean, timeoutMs = 20_000, from = 0): Promise<T> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.lines.slice(from).find(match)
      if (found) return found as T
      if (this.#child.exitCode !== null || this.#child.signalCode !== null) throw new Error(`the process exited (${this.#child.exitCode ?? this.#child.signalCode}) without the line; it printed ${JSON.stringify(this.lines)}`)
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no matching line within ${timeoutMs} ms; it printed ${JSON.stringify(this.lines)}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left)
        function done() {
          clearTimeout(timer)
          waiters.delete(done)
          resolve()
        }
        const waiters = this.#waiters
        waiters.add(done)
      })
    }
  }

  send(command: string): void {
    this.#child.stdin!.write(`${command}\n`)
  }

  signal(signal: NodeJS.Signals): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill(signal)
  }

  /** SIGKILL, and wait for the exit. */
  async kill(): Promise<void> {
    this.signal('SIGKILL')
    await this.exited
  }
}
