import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ActorSystem, ActorSystemOptions } from '../../src/index.js'
import type { NatsServer } from '../../src/testkit/nats-server.js'
import { afterTest, fixture, startSystem } from '../helpers/system.js'

export const DURABLE_ACTORS = fixture('durable-handlers.ts')
export const TASKS_DIR = fixture('tasks/')

/** A one-worker node of a cluster on `server` (one worker: the fixtures' per-thread counters see every job). */
export function clusterSystem(server: NatsServer, node: string, options: Partial<ActorSystemOptions> = {}): Promise<ActorSystem> {
  return startSystem({ workers: 1, actors: [DURABLE_ACTORS], cluster: { servers: server.url, node }, ...options })
}

/** A fresh directory for a test's files, removed after it. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'troupe-durable-'))
  afterTest(async () => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** The lines of a file (none when it does not exist yet). */
export function linesOf(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter(Boolean)
  } catch {
    return []
  }
}

/** Polls `check` every 10 ms until it holds; fails after `ms` with `what`. */
export async function eventuallyTrue(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** A test program run under tsx, with the JSON lines it prints. SIGKILLed after the test if still running. */
export interface NodeProcess {
  readonly child: ChildProcess
  readonly lines: Record<string, unknown>[]
  waitFor(predicate: (line: Record<string, unknown>) => boolean, what: string, ms?: number): Promise<Record<string, unknown>>
  kill(): Promise<void>
}

export function runProgram(name: string, args: string[]): NodeProcess {
  const file = fileURLToPath(new URL(`../programs/${name}`, import.meta.url))
  const child = spawn(process.execPath, ['--conditions=troupe-source', '--import', 'tsx', file, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const lines: Record<string, unknown>[] = []
  let buffered = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    const parts = buffered.split('\n')
    buffered = parts.pop()!
    for (const part of parts) {
      try {
        lines.push(JSON.parse(part) as Record<string, unknown>)
      } catch {
        // not one of the program's lines
      }
    }
  })
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  }
  afterTest(kill)
  return {
    child,
    lines,
    kill,
    async waitFor(predicate, what, ms = 30_000) {
      await eventuallyTrue(() => lines.some(predicate) || child.exitCode !== null, what, ms)
      const line = lines.find(predicate)
      if (!line) throw new Error(`the program exited (${child.exitCode}) before: ${what}`)
      return line
    },
  }
}
