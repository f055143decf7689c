// The launcher's side of one node process: starts node.ts/node.js, reads its JSON lines, writes
// its commands, kills it.
import { spawn, type ChildProcess } from 'node:child_process'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { NodeLine } from './protocol.js'
import type { NodeName } from './scenario.js'

const extension = extname(fileURLToPath(import.meta.url))
const PROGRAM = fileURLToPath(new URL(`./node${extension}`, import.meta.url))
// Compiled (`pnpm example`), the node is plain `node node.js`. From sources (the test), it needs
// what this process runs under: tsx for TypeScript, and the condition that resolves troupe to its
// sources.
const NODE_ARGS = extension === '.ts' ? ['--conditions=troupe-source', '--import', 'tsx'] : []

export interface Exit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

export class NodeProcess {
  readonly name: NodeName
  /** Every JSON line it printed, in order. */
  readonly lines: NodeLine[] = []
  readonly exited: Promise<Exit>
  #exit: Exit | undefined
  readonly #child: ChildProcess

  /** `onLine` gets each line as it arrives: parsed if JSON, else the text (stray output). */
  constructor(name: NodeName, servers: string, onLine: (line: NodeLine | string) => void, onExit: () => void) {
    this.name = name
    this.#child = spawn(process.execPath, [...NODE_ARGS, PROGRAM, servers, name], { stdio: ['pipe', 'pipe', 'inherit'] })
    // A node that died must not take the launcher down with an EPIPE on its stdin.
    this.#child.stdin!.on('error', () => undefined)
    let buffered = ''
    this.#child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk
      const lines = buffered.split('\n')
      buffered = lines.pop()!
      for (const text of lines) {
        if (text.startsWith('{')) {
          const line = JSON.parse(text) as NodeLine
          this.lines.push(line)
          onLine(line)
        } else if (text.trim() !== '') {
          onLine(text)
        }
      }
    })
    this.exited = new Promise((resolve) =>
      // 'close', not 'exit': by then every line it printed has been read.
      this.#child.once('close', (code, signal) => {
        this.#exit = { code, signal }
        onExit()
        resolve(this.#exit)
      }),
    )
  }

  get pid(): number {
    return this.#child.pid ?? -1
  }

  /** How it ended, once it has. */
  get exit(): Exit | undefined {
    return this.#exit
  }

  send(command: string): void {
    if (this.#exit === undefined) this.#child.stdin!.write(`${command}\n`)
  }

  /** SIGKILL: the process gets no chance to leave the cluster, as when its machine dies. */
  async kill(): Promise<Exit> {
    if (this.#exit === undefined) this.#child.kill('SIGKILL')
    return this.exited
  }
}
