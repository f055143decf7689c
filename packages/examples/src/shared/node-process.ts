// The launcher's side of a cluster example: one troupe node as its own OS process, talking JSON
// lines (node → launcher on stdout, commands launcher → node on stdin). Used by cluster-tasks
// and cluster-pipeline.
import { spawn, type ChildProcess } from 'node:child_process'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findNatsServer } from 'troupe/testkit'

/** One JSON line a node printed; every line has a `type`. */
export interface NodeLine {
  readonly type: string
  readonly [field: string]: unknown
}

/** How to install the server the cluster examples need, for the message when it is missing. */
export const NATS_INSTALL_HINT = 'install it with `apt-get install -y nats-server` (Debian/Ubuntu), or set TROUPE_NATS_SERVER to its path'

/** The nats-server binary, or undefined after explaining how to install one. */
export function natsServerOrExplain(example: string, log: (line: string) => void): string | undefined {
  const binary = findNatsServer()
  if (!binary) {
    log(`${example}: nats-server was not found; the cluster examples run a local one.`)
    log(`  ${NATS_INSTALL_HINT}`)
  }
  return binary
}

/**
 * `node <module>` for a compiled example; from sources (vitest, tsx) the same module as `.ts`,
 * loaded through tsx with the `troupe-source` condition, like the workspace's own test programs.
 */
function nodeArguments(module: URL): string[] {
  const file = fileURLToPath(module)
  return extname(file) === '.ts' ? ['--conditions=troupe-source', '--import', 'tsx', file] : [file]
}

export class NodeProcess {
  readonly #child: ChildProcess
  /** Every line it printed, parsed, in order. */
  readonly lines: NodeLine[] = []
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>
  #gone = false

  constructor(
    readonly name: string,
    module: URL,
    args: readonly string[],
    /** Called for every line, and once more (without a line) when the process has exited. */
    onLine: (line: NodeLine | undefined) => void,
  ) {
    // stderr is inherited: a node's crash or warning reaches the person running the example.
    this.#child = spawn(process.execPath, [...nodeArguments(module), ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
    let buffered = ''
    this.#child.stdout!.setEncoding('utf8')
    this.#child.stdout!.on('data', (chunk: string) => {
      buffered += chunk
      const parts = buffered.split('\n')
      buffered = parts.pop()!
      for (const part of parts) {
        if (!part.startsWith('{')) continue
        const line = JSON.parse(part) as NodeLine
        this.lines.push(line)
        onLine(line)
      }
    })
    // A node that died must not fail the launcher with EPIPE on its next command.
    this.#child.stdin!.on('error', () => undefined)
    // 'close', not 'exit': by then every line the process printed has been read.
    this.exited = new Promise((resolve) =>
      this.#child.once('close', (code, signal) => {
        this.#gone = true
        onLine(undefined)
        resolve({ code, signal })
      }),
    )
  }

  get pid(): number {
    return this.#child.pid ?? -1
  }

  get gone(): boolean {
    return this.#gone
  }

  send(command: string): void {
    if (!this.#gone) this.#child.stdin!.write(`${command}\n`)
  }

  /** Sends a signal (SIGKILL by default) and waits for the exit. Does nothing to a node already gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.#gone) this.#child.kill(signal)
    await this.exited
  }
}

/** The launcher's node processes, and waiting on what they print. */
export class Fleet {
  readonly #nodes = new Map<string, NodeProcess>()
  readonly #waiters = new Set<() => void>()

  /** Starts a node process; `onLine` sees each of its lines as it arrives. */
  start(name: string, module: URL, args: readonly string[], onLine: (line: NodeLine) => void): NodeProcess {
    const node = new NodeProcess(name, module, args, (line) => {
      if (line) onLine(line)
      for (const wake of [...this.#waiters]) wake()
    })
    this.#nodes.set(name, node)
    return node
  }

  node(name: string): NodeProcess {
    const node = this.#nodes.get(name)
    if (!node) throw new Error(`no node ${name}`)
    return node
  }

  get nodes(): NodeProcess[] {
    return [...this.#nodes.values()]
  }

  /**
   * Resolves with `check`'s value once it is not undefined. It is tried again after every line
   * any node prints (and when one exits), not on a timer; rejects after `timeoutMs` with `what`.
   */
  async until<T>(check: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const value = check()
      if (value !== undefined) return value
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`not within ${timeoutMs} ms: ${what}`)
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer)
          this.#waiters.delete(done)
          resolve()
        }
        const timer = setTimeout(done, left)
        this.#waiters.add(done)
      })
    }
  }

  /** The first line of `type` from node `name` (matching `match`), once printed; rejects if the node exits first. */
  line(name: string, type: string, match: (line: NodeLine) => boolean = () => true, timeoutMs?: number): Promise<NodeLine> {
    const node = this.node(name)
    return this.until(() => {
      const found = node.lines.find((line) => line.type === type && match(line))
      if (!found && node.gone) throw new Error(`node ${name} exited before printing a "${type}" line`)
      return found
    }, `node ${name} prints "${type}"`, timeoutMs)
  }

  /** SIGKILLs every node still running (after a failure) and waits for them. */
  async killAll(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.kill()))
  }
}

/** For a node process: prints one JSON line. Pipes are synchronous on Linux, so a line printed is not lost if the node is SIGKILLed later. */
export function printLine(line: NodeLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`)
}

