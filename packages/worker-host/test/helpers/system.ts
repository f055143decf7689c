import { readdirSync } from 'node:fs'
import { afterEach } from 'vitest'
import { ActorSystem, type ActorSystemOptions } from '../../src/index.js'

/** Module URLs of the test fixtures. */
export const fixture = (name: string): URL => new URL(`../fixtures/${name}`, import.meta.url)
export const FIXTURES_DIR = new URL('../fixtures/', import.meta.url)

/** The allow-list most tests use: the fixture files (for class spawns) and the fixture folder. */
export const FIXTURE_ACTORS = [fixture('counter.ts'), fixture('actors.ts'), FIXTURES_DIR]

const cleanups: (() => Promise<unknown>)[] = []

/** Every system a test starts is shut down after it, pass or fail, so no test leaks a worker. */
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined)
})

/** Runs `cleanup` after the current test, pass or fail (as every system `startSystem` starts). */
export function afterTest(cleanup: () => Promise<unknown>): void {
  cleanups.push(cleanup)
}

/**
 * Tests that do not test hang detection give a worker 10 s, not the default 2 s, before it counts
 * as hung: under CI's load (two test files, each with threads or node processes, on 2 cores), a
 * worker loading a TypeScript module through tsx (Node 22 and later wait for the loader thread
 * synchronously) can go that long without running its own timers, and is not hung.
 */
const TEST_HANG_MS = 10_000

export async function startSystem(options: Partial<ActorSystemOptions> = {}): Promise<ActorSystem> {
  const hang = options.handlerHangMs === undefined && options.heartbeatTimeoutMs === undefined ? { handlerHangMs: TEST_HANG_MS } : {}
  const system = await ActorSystem.start({ workers: 2, actors: FIXTURE_ACTORS, ...hang, ...options })
  cleanups.push(() => system.shutdown())
  return system
}

/** OS threads of this process: each worker thread is one. */
export function osThreadCount(): number {
  return readdirSync('/proc/self/task').length
}

/** The error a promise rejects with; fails the test if it resolves instead. */
export async function errorOf<E extends Error = Error>(promise: Promise<unknown>): Promise<E> {
  let value: unknown
  try {
    value = await promise
  } catch (error) {
    return error as E
  }
  throw new Error(`expected a rejection, got ${String(value)}`)
}

/** Resolves once `check` holds, asking again every 10 ms (a condition, not a sleep); fails after `ms`. */
export async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/**
 * The first answer of `call` that is not a rejection, calling it again meanwhile (a worker
 * being replaced turns messages away until its successor is in place); rejects as `call` did
 * once `ms` have passed.
 */
export async function eventually<T>(call: () => Promise<T>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    try {
      return await call()
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
}
