// memory.per-actor: how much the process grows per idle actor.
import { fork } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import type { ActorRef, ActorSystem } from 'troupe'
import type { BenchmarkDefinition } from '../harness.js'
import { SPAWN_ACTORS, localSpawners, spawnLocally } from './idle-spawning.js'
import { HeapProbe, IdleActor, sampleHeap, type HeapSample } from './memory-actors.js'
import { check, hostedActors, withSystem } from './system.js'

const id = 'memory.per-actor'

const workers = 2
/** Idle actors measured: full and quick. */
export const memoryCounts = { full: 1_000_000, quick: 10_000 }
/** Spawns in flight from the main thread, and the size of the untimed first batch. */
const inFlight = 1000

/**
 * How the measured actors are spawned. `'local'` (the figure's): by a spawner actor on each
 * worker, on its own thread, so the main thread records none of them. `'round-robin'` and
 * `'main'`: from the main thread with that placement, kept to compare what an actor costs there.
 */
export type MemorySpawning = 'local' | 'round-robin' | 'main'
/** Without an exposed gc, how long to let the threads settle before a sample. */
const settleMs = 1000

/** What the whole process and each thread's heap held at one moment. */
export interface Footprint {
  readonly rss: number
  /** Thread 0 (main) first, then the workers. */
  readonly heaps: readonly HeapSample[]
}

/** Per-actor growth between two footprints, in bytes. */
export interface PerActor {
  readonly rss: number
  readonly mainHeapUsed: number
  readonly workerHeapUsed: number
  readonly mainHeapTotal: number
  readonly workerHeapTotal: number
  readonly collected: boolean
}

async function footprint(probes: readonly ActorRef<HeapProbe>[]): Promise<Footprint> {
  const collected = (globalThis as { gc?: unknown }).gc !== undefined
  if (!collected) await sleep(settleMs)
  // Workers first: their collections run in parallel with nothing of ours; main's last, just before RSS.
  const workerHeaps = await Promise.all(probes.map((probe) => probe.ask.sample()))
  const main = sampleHeap(0)
  return { rss: process.memoryUsage().rss, heaps: [main, ...workerHeaps] }
}

export function perActor(before: Footprint, after: Footprint, count: number): PerActor {
  const delta = (pick: (sample: HeapSample) => number, threads: (thread: number) => boolean): number => {
    let sum = 0
    after.heaps.forEach((sample, i) => {
      if (threads(sample.thread)) sum += pick(sample) - pick(before.heaps[i]!)
    })
    return sum / count
  }
  const isMain = (thread: number) => thread === 0
  const isWorker = (thread: number) => thread !== 0
  return {
    rss: (after.rss - before.rss) / count,
    mainHeapUsed: delta((s) => s.heapUsed, isMain),
    workerHeapUsed: delta((s) => s.heapUsed, isWorker),
    mainHeapTotal: delta((s) => s.heapTotal, isMain),
    workerHeapTotal: delta((s) => s.heapTotal, isWorker),
    collected: after.heaps.every((sample) => sample.collected),
  }
}

/** Spawns `count` IdleActors from the main thread, `inFlight` at a time, keeping no refs. */
export async function spawnIdle(system: ActorSystem, count: number, placement: 'round-robin' | 'main'): Promise<void> {
  for (let started = 0; started < count; started += inFlight) {
    const batch: Promise<unknown>[] = []
    for (let i = started; i < Math.min(started + inFlight, count); i++) batch.push(system.spawn(IdleActor, { placement }))
    await Promise.all(batch)
  }
}

/** How to spawn n idle actors in `system` the given way (the spawner actors of `'local'` are spawned here, before any footprint). */
async function idleSpawning(system: ActorSystem, spawning: MemorySpawning): Promise<(count: number) => Promise<void>> {
  if (spawning !== 'local') return (count) => spawnIdle(system, count, spawning)
  const spawners = await localSpawners(system)
  return (count) => spawnLocally(spawners, count)
}

/**
 * One measurement: a probe per worker, one untimed batch of `inFlight` idle actors (loads and
 * warms the spawn path; kept small, since the heap it grows and leaves partly free would absorb
 * some of the measured actors), then a footprint, `count` more idle actors, and a footprint.
 */
export async function measureIdle(system: ActorSystem, count: number, spawning: MemorySpawning): Promise<PerActor> {
  const probes: ActorRef<HeapProbe>[] = []
  for (let worker = 0; worker < system.workers; worker++) probes.push(await system.spawn(HeapProbe, { placement: { worker } }))
  const spawn = await idleSpawning(system, spawning)
  await spawn(inFlight)
  const hosted = await hostedActors(system)
  const before = await footprint(probes)
  await spawn(count)
  const after = await footprint(probes)
  check(`${id}: actors hosted`, await hostedActors(system), hosted + count)
  return perActor(before, after, count)
}

/** What the child process sends back: the per-actor growth, or why it failed. */
export type ChildReport = { readonly ok: true; readonly perActor: PerActor } | { readonly ok: false; readonly error: string }

/** The measurement in the current process, on a fresh system: what `memory-child.ts` runs. */
export function measureInThisProcess(count: number, spawning: MemorySpawning): Promise<PerActor> {
  // Stopping 10^5 actors one by one through main at shutdown took longer than the default deadline (2 × stopTimeoutMs).
  return withSystem(workers, id, (system) => measureIdle(system, count, spawning), {
    actors: SPAWN_ACTORS,
    options: { shutdownTimeoutMs: 600_000 },
    timeoutMs: 300_000,
  })
}

const MEMORY_CHILD = new URL('./memory-child.js', import.meta.url)
/** Generous, like withSystem's: a hung child fails the run, not the suite. */
const childTimeoutMs = 600_000

/**
 * Runs one measurement in a fresh child process and returns its report. A fresh process because
 * this one's main heap still holds the garbage of earlier runs (a previous run's 100 k actors
 * leave ~200 MB of bookkeeping to collect), and a major GC landing between the two samples then
 * shrinks the heap and RSS: in-process runs without an exposed gc measured from +4 KB down to
 * -650 B per actor. The child inherits this process's Node flags (`fork`'s default execArgv), so
 * it can collect before sampling exactly when this process was started with --expose-gc.
 */
export function measureInChild(count: number, spawning: MemorySpawning): Promise<PerActor> {
  return new Promise<PerActor>((resolve, reject) => {
    const child = fork(fileURLToPath(MEMORY_CHILD), [String(count), spawning], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    let report: ChildReport | undefined
    const timer = setTimeout(() => {
      child.kill()
      reject(new Error(`${id}: child timed out after ${childTimeoutMs} ms`))
    }, childTimeoutMs)
    child.on('message', (message) => (report = message as ChildReport))
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (report?.ok === true && code === 0) resolve(report.perActor)
      else if (report?.ok === false) reject(new Error(`${id}: ${report.error}`))
      else reject(new Error(`${id}: child exited with code ${code}${signal ? ` (${signal})` : ''} without a report`))
    })
  })
}

const bytes = (value: number): string => `${Math.round(value)} B`

/** The figure: RSS growth per idle actor, measured in a fresh process; the split goes to stderr. */
async function run(quick: boolean): Promise<number> {
  const count = quick ? memoryCounts.quick : memoryCounts.full
  const result = await measureInChild(count, 'local')
  process.stderr.write(
    `  ${id} split per actor: main heapUsed ${bytes(result.mainHeapUsed)}, workers heapUsed ${bytes(result.workerHeapUsed)}` +
      ` (heapTotal main ${bytes(result.mainHeapTotal)}, workers ${bytes(result.workerHeapTotal)}), RSS ${bytes(result.rss)}` +
      `${result.collected ? ' (after gc)' : ' (no gc exposed: sampled after a settle)'}\n`,
  )
  return result.rss
}

export const memoryPerActor: BenchmarkDefinition = { id, unit: 'bytes', run }
