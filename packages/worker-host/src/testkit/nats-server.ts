// Starts a real nats-server for tests and examples of troupe clusters: on 127.0.0.1, a free port,
// JetStream in a temporary directory, stopped by PID. troupe never downloads the server: it uses
// the one on PATH (Debian: `apt-get install -y nats-server`) or `TROUPE_NATS_SERVER`.
import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

/** Where to look when `nats-server` is not on PATH (Debian installs it in /usr/sbin). */
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/bin', '/usr/bin']

/**
 * The nats-server binary: `TROUPE_NATS_SERVER` if set (undefined when that is not an executable
 * file), else the first on PATH (or in the sbin folders). Undefined if none.
 */
export function findNatsServer(): string | undefined {
  const fromEnv = process.env['TROUPE_NATS_SERVER']
  if (fromEnv) return executable(fromEnv) ? fromEnv : undefined
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS]
  return dirs.map((dir) => join(dir, 'nats-server')).find(executable)
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the server is retried on a clash). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

export interface NatsServerOptions {
  /** JetStream on, with its store in a temporary directory removed by `stop`. Default true. */
  readonly jetstream?: boolean
  /** The server's name (required by JetStream in a cluster). Default `troupe-<port>`. */
  readonly name?: string
  /** For a cluster of servers: this server's route port and the route URLs of the others. */
  readonly cluster?: {
    readonly name: string
    readonly port: number
    readonly routes: readonly string[]
    /**
     * Whether the server tells its clients the URLs of the other servers (NATS's default: true),
     * so that they fail over to them. `false` keeps a client on the servers it was given: a test
     * can cut one node off by killing its only server.
     */
    readonly advertise?: boolean
  }
  /** How long to wait for the server to accept connections. Default 10 000 ms. */
  readonly readyTimeoutMs?: number
}

/** A running nats-server process. */
export interface NatsServer {
  /** `nats://127.0.0.1:<port>`. */
  readonly url: string
  readonly port: number
  readonly pid: number
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its JetStream directory. Idempotent. */
  stop(): Promise<void>
  /** SIGKILLs the server and waits for it to exit (its directory stays, for a restart on it). */
  kill(): Promise<void>
}

/** Starts nats-server; rejects with the server's own output if it does not become ready. */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const binary = findNatsServer()
  const fromEnv = process.env['TROUPE_NATS_SERVER']
  if (!binary && fromEnv) throw new Error(`TROUPE_NATS_SERVER is ${fromEnv}, which is not an executable file`)
  if (!binary) throw new Error('nats-server is not installed (apt-get install -y nats-server, or set TROUPE_NATS_SERVER)')
  let lastError: unknown
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort()
    try {
      return await launch(binary, port, options)
    } catch (error) {
      lastError = error
      // Another process took the port between freePort and listen: try another.
      if (!/address already in use/i.test(String(error))) throw error
    }
  }
  throw lastError
}

async function launch(binary: string, port: number, options: NatsServerOptions): Promise<NatsServer> {
  const jetstream = options.jetstream ?? true
  const dir = mkdtempSync(join(tmpdir(), 'troupe-nats-'))
  const args = ['-a', '127.0.0.1', '-p', String(port), '-n', options.name ?? `troupe-${port}`]
  if (jetstream) args.push('-js', '-sd', dir)
  if (options.cluster) {
    args.push('--cluster_name', options.cluster.name, '--cluster', `nats://127.0.0.1:${options.cluster.port}`)
    if (options.cluster.routes.length > 0) args.push('--routes', options.cluster.routes.join(','))
    if (options.cluster.advertise === false) args.push('--no_advertise')
  }
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  let output = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    if (output.length < 64 * 1024) output += chunk
  })
  // A binary that cannot be started emits 'error' (and no 'exit'): it is reported, not thrown.
  let spawnError: Error | undefined
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.once('error', (error) => {
      spawnError = error
      resolve()
    })
  })
  const cleanup = () => rmSync(dir, { recursive: true, force: true })
  try {
    await untilListening(child, port, options.readyTimeoutMs ?? 10_000, () => spawnError?.message ?? output)
  } catch (error) {
    child.kill('SIGKILL')
    await exited
    cleanup()
    throw error
  }
  const pid = child.pid!
  let stopped: Promise<void> | undefined
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    pid,
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          process.kill(pid, 'SIGTERM')
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
          await exited
          clearTimeout(timer)
        }
        cleanup()
      })()
      return stopped
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL')
      await exited
    },
  }
}

/** Resolves once the port accepts a TCP connection; rejects if the process exits or time runs out. */
async function untilListening(child: ChildProcess, port: number, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      throw new Error(`nats-server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output()}`)
    }
    if (await accepts(port)) return
    if (Date.now() > deadline) throw new Error(`nats-server did not accept connections on port ${port} within ${timeoutMs} ms:\n${output()}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
