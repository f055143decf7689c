// Two troupe nodes for one run of a cluster.* benchmark: a nats-server of the run's own (no
// JetStream, unless the pair shards entities over the NATS store), node 'b' as a child process
// (cluster-node-child.ts, compiled, run with plain node) and node 'a', the bench process's own
// system, both with one worker. Everything is stopped whatever happens: node a shut down, node b
// killed and waited for, the server stopped.
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import type { ActorRef, ActorSystem, DeadLetterReason } from 'troupe'
import { withNatsServer } from '../baselines/nats.js'
import type { Incrementer, Receiver } from './actors.js'
import { clusterBenchActors } from './cluster-actor-modules.js'
import { CHILD_NODE, INCREMENTER_NAME, PARENT_NODE, RECEIVER_NAME, type ChildMessage, type ClusterTiming, type ParentMessage } from './cluster-protocol.js'
import { withSystem, type SystemSettings } from './system.js'

const CHILD = new URL('./cluster-node-child.js', import.meta.url)
/** Starting node b (a process, a system, a NATS connection per thread) and seeing it join. */
const startTimeoutMs = 20_000

/** troupe's defaults (cluster.md): what cluster.tell and cluster.ask.latency.p50 run with. */
export const DEFAULT_TIMING: ClusterTiming = { heartbeatMs: 500, downAfterMs: 3000 }

/** Node b as node a sees it. */
export interface RemoteNode {
  /** Node b's id for this run (the `node` of its actors' addresses). */
  readonly id: number
  /** Node b's process id: what its entities answer with (cluster-entities.ts). */
  readonly pid: number
  readonly receiver: ActorRef<Receiver>
  readonly incrementer: ActorRef<Incrementer>
  /** SIGKILLs node b; resolves once the process has exited. */
  kill(): Promise<void>
}

/** The child process, with its messages turned into promises. */
class ChildNode {
  readonly process: ChildProcess
  readonly ready: Promise<number>
  /** Rejects when node b reports a failure or exits while it is not being killed. */
  readonly failed: Promise<never>
  readonly exited: Promise<void>
  #killing = false
  #reportWaiters: ((deadLetters: Readonly<Record<string, number>>) => void)[] = []

  constructor(servers: string, timing: ClusterTiming, bucket: string | undefined) {
    const args = [servers, String(timing.heartbeatMs), String(timing.downAfterMs), ...(bucket !== undefined ? [bucket] : [])]
    this.process = fork(fileURLToPath(CHILD), args, {
      execArgv: [],
      // Anything node b prints goes to stderr: the bench's stdout carries only the tables.
      stdio: ['ignore', 2, 2, 'ipc'],
    })
    this.exited = once(this.process, 'exit').then(() => undefined)
    let ready: (id: number) => void = () => undefined
    let fail: (error: Error) => void = () => undefined
    this.ready = new Promise((resolve) => (ready = resolve))
    this.failed = new Promise((_, reject) => (fail = reject))
    this.failed.catch(() => undefined) // raced by whoever waits on node b
    this.process.on('message', (raw) => {
      const message = raw as ChildMessage
      if (message.type === 'ready') ready(message.id)
      else if (message.type === 'failed') fail(new Error(message.reason))
      else for (const waiter of this.#reportWaiters.splice(0)) waiter(message.deadLetters)
    })
    this.process.on('error', (error) => fail(new Error(`node b: ${error.message}`)))
    this.process.on('exit', (code, signal) => {
      if (!this.#killing) fail(new Error(`node b exited (${signal ?? `code ${code}`}) while in use`))
    })
  }

  async kill(): Promise<void> {
    this.#killing = true
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL')
    await this.exited
  }

  report(): Promise<Readonly<Record<string, number>>> {
    const answer = new Promise<Readonly<Record<string, number>>>((resolve) => this.#reportWaiters.push(resolve))
    this.process.send({ type: 'report' } satisfies ParentMessage)
    return Promise.race([answer, this.failed])
  }
}

/** Rejects after `ms` with `what`; the timer is cleared by `clear`. */
function deadline(ms: number, what: string): { readonly expired: Promise<never>; clear(): void } {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)))
  expired.catch(() => undefined)
  return { expired, clear: () => clearTimeout(timer) }
}

/**
 * Resolves once node b is a member as node a sees it (its first heartbeat may still be on its
 * way); gives up after `startTimeoutMs`, so the poll never outlives the run.
 */
async function joined(system: ActorSystem, id: number): Promise<void> {
  const giveUpAt = performance.now() + startTimeoutMs
  while (!system.cluster!.members().some((member) => member.node === CHILD_NODE && member.id === id)) {
    if (performance.now() > giveUpAt) throw new Error(`node b (id ${id}) did not join within ${startTimeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

async function lookupOnB<A>(system: ActorSystem, name: string): Promise<ActorRef<A>> {
  const ref = await system.lookup<A>(name, { node: CHILD_NODE })
  if (ref === undefined) throw new Error(`no actor named ${name} on node ${CHILD_NODE}`)
  return ref
}

export interface ClusterPairSettings {
  readonly timing: ClusterTiming
  /** Dead-letter reasons node a may record (a killed node's `node-down`); any other fails the run. */
  readonly expectedDeadLetters?: readonly DeadLetterReason[]
  /** node b is killed by the body on purpose: no dead-letter report is asked of it afterwards. */
  readonly killsNodeB?: boolean
  /**
   * Both nodes shard entities (cluster-entities.ts) over the NATS store with this bucket prefix;
   * the server then runs JetStream. Absent: no persistence, as the other cluster.* benchmarks.
   */
  readonly entities?: { readonly bucket: string }
}

/**
 * Runs `body` with node a's system (withSystem's guards: failures, dead letters, 60 s) and node b
 * as seen from it, once node b is a member and its actors are looked up. Node b's failures (an
 * actor, its worker, an exit) fail the run at once; afterwards node b must have recorded no dead
 * letter, unless the body killed it.
 */
export async function withClusterPair<T>(what: string, settings: ClusterPairSettings, body: (system: ActorSystem, b: RemoteNode) => Promise<T>): Promise<T> {
  const bucket = settings.entities?.bucket
  return withNatsServer(bucket !== undefined, async (servers) => {
    // Node b starts while node a does: both are a process's worth of module loading and threads.
    const child = new ChildNode(servers, settings.timing, bucket)
    try {
      const options: SystemSettings['options'] = {
        cluster: { servers, node: PARENT_NODE, ...settings.timing },
        ...(bucket !== undefined ? { persistence: { store: 'nats', servers, bucket } } : {}),
      }
      return await withSystem(
        1,
        what,
        async (system) => {
          const started = deadline(startTimeoutMs, `${what}: node b ready and joined`)
          const [id, receiver, incrementer] = await Promise.race([
            (async () => {
              const id = await child.ready
              await joined(system, id)
              return [id, await lookupOnB<Receiver>(system, RECEIVER_NAME), await lookupOnB<Incrementer>(system, INCREMENTER_NAME)] as const
            })(),
            child.failed,
            started.expired,
          ]).finally(() => started.clear())
          const node: RemoteNode = { id, pid: child.process.pid!, receiver, incrementer, kill: () => child.kill() }
          // A body that kills node b on purpose sees its death through node a's events instead.
          const result = await (settings.killsNodeB ? body(system, node) : Promise.race([body(system, node), child.failed]))
          if (!settings.killsNodeB) {
            const letters = await child.report()
            if (Object.keys(letters).length > 0) throw new Error(`${what}: node b recorded dead letter(s): ${JSON.stringify(letters)}`)
          }
          return result
        },
        { actors: clusterBenchActors(bucket !== undefined), options, expectedDeadLetters: settings.expectedDeadLetters },
      )
    } finally {
      await child.kill()
    }
  })
}
