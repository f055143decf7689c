import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ActorStoppedError,
  ActorSystem,
  InvalidOptionError,
  MessageEncodeError,
  ShutdownTimeoutError,
  SpawnError,
  SpawnTimeoutError,
  StopTimeoutError,
  SystemShutdownError,
  taskType,
  type ActorRef,
  type ActorSystemOptions,
} from '../src/index.js'
import { fingerprint, LookupProbe, Mirror, SlowStart, StubbornStop } from './fixtures/bad-input.js'
import { Counter } from './fixtures/counter.js'
import type { fib } from './fixtures/tasks/math.js'
import { FIXTURE_ACTORS, errorOf, fixture, osThreadCount, startSystem } from './helpers/system.js'

/**
 * Bad input, one table per surface: every value either arrives exactly as sent (checked on the
 * receiving thread) or is refused at the sender with a typed error that names what is wrong.
 * The table of value kinds is documented in docs/messages.md.
 */

let system: ActorSystem
let remote: ActorRef<Mirror> // on a worker: the value crosses a thread
let local: ActorRef<Mirror> // on the main thread, like the sender: same-thread rules must agree

beforeAll(async () => {
  // One system for the tables (not startSystem's, which is shut down after each test).
  system = await ActorSystem.start({ workers: 1, actors: FIXTURE_ACTORS })
  remote = await system.spawn(Mirror, { placement: { worker: 0 } })
  local = await system.spawn(Mirror, { placement: 'main' })
})

afterAll(() => system.shutdown())

class Point {
  constructor(readonly x = 1) {}
}
class MyMap extends Map<string, number> {}
class MyArray extends Array<number> {}
const nullPrototype = (entries: Record<string, unknown>): object => Object.assign(Object.create(null) as object, entries)
const cyclic = (): object => {
  const value: { self?: unknown } = {}
  value.self = value
  return value
}
const withCode = (error: Error, code: string): Error => Object.assign(error, { code })

/** Values that arrive exactly as sent: kind, prototype, keys, holes and contents. */
const exact: [string, () => unknown][] = [
  ['a well-formed string with a surrogate pair', () => 'a😀b'],
  ['numbers, NaN and infinities', () => [1.5, -2, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER]],
  ['bigints within 64 bits', () => [5n, -(2n ** 63n), 2n ** 64n - 1n]],
  ['undefined and null, also as object values', () => [undefined, null, { a: undefined }]],
  ['a Date, and an invalid Date', () => [new Date(1_700_000_000_000), new Date(Number.NaN)]],
  ['a Map with object keys and values', () => new Map<unknown, unknown>([[{ k: 1 }, { v: [1] }], ['s', 2]])],
  ['a Set', () => new Set([1, 'two', { three: 3 }])],
  ['a RegExp with flags', () => /a+b/giu],
  ['typed arrays', () => [new Uint8Array([1, 2]), new Float64Array([1.5]), new BigInt64Array([-1n]), new Uint8ClampedArray([300])]],
  ['a typed array view of part of a buffer', () => new Uint8Array(new Uint8Array([9, 8, 7, 6]).buffer, 1, 2)],
  ['a DataView and an ArrayBuffer', () => [new DataView(new Uint8Array([1, 2, 3]).buffer), new Uint8Array([4, 5]).buffer]],
  ['a Buffer (arrives as a Buffer)', () => Buffer.from('héllo')],
  ['an object without a prototype (arrives without one)', () => nullPrototype({ a: 1, nested: nullPrototype({ b: 2 }) })],
  ['an Error: class, message, code and stack', () => withCode(new RangeError('out of range'), 'E_RANGE')],
  ['a troupe error keeps its class and fields', () => new ActorStoppedError('actor#7')],
  ['the string "__proto__" as a value', () => ['__proto__', { a: '__proto__' }]],
]

describe('values that arrive exactly as sent', () => {
  it.each(exact)('%s', async (_name, make) => {
    const expected = fingerprint(make())
    expect(await remote.ask.inspect(make())).toEqual(expected)
    expect(await local.ask.inspect(make())).toEqual(expected)
    // And back: a reply crosses the thread the other way through the same codec.
    expect(fingerprint(await remote.ask.echo(make()))).toEqual(expected)
  })
})

/** Values refused at the sender, before anything is sent: the error names the path and why. */
const refused: [string, () => unknown, RegExp][] = [
  ['a function', () => ({ f: () => 1 }), /message\[0\]\.f: functions cannot be sent/],
  ['a class instance', () => new Point(), /message\[0\]: a Point instance cannot be sent/],
  ['a cyclic object', cyclic, /message\[0\]\.self: the value is cyclic/],
  ['a bigint wider than 64 bits', () => 2n ** 64n, /bigint does not fit in 64 bits/],
  ['a symbol', () => Symbol('s'), /symbols cannot be sent/],
  ['a promise', () => Promise.resolve(1), /a Promise instance cannot be sent/],
  ['a WeakMap', () => new WeakMap(), /a WeakMap instance cannot be sent/],
  ['a lone surrogate in a string', () => '\ud800x', /message\[0\]: the string has a lone surrogate/],
  ['a lone surrogate in a key', () => ({ ['k\udc00']: 1 }), /message\[0\]: the key .* has a lone surrogate/],
  ['a sparse array (a hole)', () => [1, , 3], /message\[0\]\[1\]: a sparse array \(hole\) cannot be sent/], // eslint-disable-line no-sparse-arrays
  ['a symbol-keyed property', () => ({ a: 1, [Symbol('hidden')]: 2 }), /message\[0\]: the symbol key Symbol\(hidden\) cannot be sent/],
  [
    'a getter that throws',
    () => ({
      get boom(): never {
        throw new Error('getter exploded')
      },
    }),
    /message\[0\]\.boom: reading the value threw: getter exploded/,
  ],
  ['a Map subclass (it would lose its class)', () => new MyMap(), /a MyMap instance cannot be sent/],
  ['an Array subclass (it would lose its class)', () => MyArray.from([1]), /a MyArray instance cannot be sent/],
  ['an own "__proto__" key', () => JSON.parse('{"__proto__": 1}') as unknown, /the key "__proto__" cannot be sent/],
  ['a SharedArrayBuffer (it cannot be copied into a batch)', () => new SharedArrayBuffer(8), /a SharedArrayBuffer instance cannot be sent/],
]

describe('values refused at the sender with MessageEncodeError', () => {
  it.each(refused)('%s', async (_name, make, message) => {
    for (const ref of [remote, local]) {
      expect(() => ref.tell.inspect(make())).toThrow(MessageEncodeError)
      expect(() => ref.tell.inspect(make())).toThrow(message)
      const error = await errorOf(ref.ask.inspect(make()))
      expect(error).toBeInstanceOf(MessageEncodeError)
      expect(error.message).toMatch(message)
    }
    // Nothing was sent: the actor is still answering, and saw none of it.
    expect(await remote.ask.inspect(1)).toEqual(['number', '1'])
  })

  it('a getter that throws carries its error as the cause', async () => {
    const thrown = new Error('getter exploded')
    const error = await errorOf(
      remote.ask.inspect({
        get boom(): never {
          throw thrown
        },
      }),
    )
    expect(error).toMatchObject({ code: 'ERR_MESSAGE_ENCODE', path: 'message[0].boom', cause: thrown })
  })
})

describe('handler names that a function has as own properties', () => {
  it.each(['name', 'length', 'call', 'apply', 'bind', 'toString', 'prototype'] as const)('a handler named %s is reached through ask and tell', async (method) => {
    expect(await remote.ask[method]()).toBe(`${method} handler`)
    expect(await local.ask[method]()).toBe(`${method} handler`)
    expect(() => remote.tell[method]()).not.toThrow()
    expect(await remote.with({ timeoutMs: 5000 }).ask[method]()).toBe(`${method} handler`)
  })

  it('`then` is reserved: ref.ask is never a thenable, so awaiting it neither hangs nor sends', async () => {
    const before = (await system.stats()).threads[1]!.processed
    expect(await (remote.ask as unknown as Promise<unknown>)).toBe(remote.ask)
    expect(await (remote.tell as unknown as Promise<unknown>)).toBe(remote.tell)
    expect((remote.ask as unknown as { then?: unknown }).then).toBeUndefined()
    // Calling it is the language's TypeError (not a function), documented: no message can be named `then`.
    expect(() => (remote.ask as unknown as { then(): void }).then()).toThrow(TypeError)
    expect(await remote.ask.inspect('after')).toEqual(fingerprint('after'))
    expect((await system.stats()).threads[1]!.processed).toBe(before + 1)
  })
})

describe('ref.with options', () => {
  const bad: [string, unknown, RegExp][] = [
    ['an unknown priority', { priority: 'urgent' }, /option "priority" must be 'high', 'normal' or 'low'; received "urgent"/],
    ['a zero timeout', { timeoutMs: 0 }, /option "timeoutMs" must be an integer from 1 to 2147483647; received 0/],
    ['a fractional timeout', { timeoutMs: 1.5 }, /option "timeoutMs"/],
    ['a string timeout', { timeoutMs: '100' }, /option "timeoutMs".*received "100"/],
    ['an infinite timeout', { timeoutMs: Number.POSITIVE_INFINITY }, /option "timeoutMs"/],
    ['an unknown option (a typo)', { timeout: 100 }, /option "timeout" must be a known option of ref.with \(timeoutMs, priority\)/],
    ['not an object', 100, /option "options" must be an object/],
    ['null', null, /option "options" must be an object/],
  ]
  it.each(bad)('%s is refused with InvalidOptionError', (_name, options, message) => {
    const error = (() => {
      try {
        remote.with(options as never)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(InvalidOptionError)
    expect((error as Error).message).toMatch(message)
  })
})

describe('nothing settles never: spawn, stop and shutdown have deadlines', () => {
  it('a spawn past spawnTimeoutMs rejects with SpawnTimeoutError; the actor, once started, is stopped', async () => {
    const system = await startSystem({ workers: 1, spawnTimeoutMs: 200 })
    for (const placement of [{ worker: 0 }, 'main'] as const) {
      const error = await errorOf<SpawnTimeoutError>(system.spawn(SlowStart, { args: [1_000], name: `slow-${String(placement)}`, placement }))
      expect(error).toBeInstanceOf(SpawnTimeoutError)
      expect(error).toBeInstanceOf(SpawnError)
      expect(error).toMatchObject({ code: 'ERR_SPAWN_TIMEOUT', exportName: 'SlowStart', timeoutMs: 200 })
      expect(error.message).toMatch(/did not start within spawnTimeoutMs \(200 ms\)/)
    }
    // No actor runs that its spawner was told had failed: both are stopped once they start.
    await expect.poll(async () => (await system.stats()).registry.actors, { timeout: 5_000 }).toBe(0)
    expect(await system.lookup('slow-main')).toBeUndefined()
    // The deadline is per spawn: a quick one still succeeds.
    expect(await (await system.spawn(SlowStart, { args: [1] })).ask.ping()).toBe('pong')
  })

  it('a stop past stopTimeoutMs rejects with StopTimeoutError, and the actor is forgotten', async () => {
    const system = await startSystem({ workers: 1, stopTimeoutMs: 200, shutdownTimeoutMs: 2_000 })
    const stubborn = await system.spawn(StubbornStop, { name: 'stubborn' })
    const error = await errorOf(system.stop(stubborn))
    expect(error).toBeInstanceOf(StopTimeoutError)
    expect(error).toMatchObject({ code: 'ERR_STOP_TIMEOUT', timeoutMs: 200 })
    expect(error.message).toMatch(/actor#\d+\(stubborn\) did not stop within stopTimeoutMs \(200 ms\)/)
    expect(await system.lookup('stubborn')).toBeUndefined()
  })

  it('a shutdown past shutdownTimeoutMs terminates the workers anyway and rejects with ShutdownTimeoutError', async () => {
    const threadsBefore = osThreadCount()
    const system = await ActorSystem.start({ workers: 2, actors: FIXTURE_ACTORS, stopTimeoutMs: 60_000, shutdownTimeoutMs: 300 })
    await system.spawn(StubbornStop, { placement: { worker: 1 } })
    const error = await errorOf(system.shutdown())
    expect(error).toBeInstanceOf(ShutdownTimeoutError)
    expect(error).toMatchObject({ code: 'ERR_SHUTDOWN_TIMEOUT', timeoutMs: 300, actorsLeft: 1 })
    await expect(system.whenTerminated()).resolves.toBeUndefined()
    await expect.poll(osThreadCount).toBeLessThanOrEqual(threadsBefore)
    // Shutting down again answers the same way, at once.
    await expect(system.shutdown()).rejects.toBe(error)
  })
})

describe("a worker's calls to a main thread that does not answer", () => {
  it('a lookup from a worker rejects with ControlTimeoutError while the main thread is blocked', async () => {
    const system = await startSystem({ workers: 1, askTimeoutMs: 200 })
    const probe = (await system.spawn(LookupProbe, { placement: { worker: 0 } })).with({ timeoutMs: 10_000 })
    expect(await probe.ask.tryLookup('nobody')).toBe('answered')
    const outcome = probe.ask.tryLookup('nobody')
    // One microtask: the batch holding the ask is flushed (queued first), and the main thread
    // blocks before its event loop turns again, so it cannot answer the worker's lookup.
    await Promise.resolve()
    // The main thread is blocked (the condition under test), far past the worker's 200 ms deadline.
    const until = performance.now() + 2_000
    while (performance.now() < until) {
      // busy on purpose
    }
    expect(await outcome).toBe('ControlTimeoutError: lookup "nobody": no answer from the main thread within 200 ms')
  })
})

describe('after shutdown every call rejects with SystemShutdownError', () => {
  it.each([
    ['spawn', (system: ActorSystem) => system.spawn(Counter)],
    ['router', (system: ActorSystem) => system.router(Counter, { strategy: 'round-robin', size: 1 })],
    ['lookup', (system: ActorSystem) => system.lookup('anything')],
    ['stop', (system: ActorSystem, ref: ActorRef) => system.stop(ref)],
    ['stats', (system: ActorSystem) => system.stats()],
    ['offload', (system: ActorSystem) => system.offload(taskType<typeof fib>(fixture('tasks/math.ts'), 'fib'), 3)],
  ] as const)('%s', async (what, call) => {
    const system = await ActorSystem.start({ workers: 1, actors: FIXTURE_ACTORS, offload: { tasks: [fixture('tasks/')], maxThreads: 1 } })
    const ref = await system.spawn(Counter)
    await system.shutdown()
    const error = await errorOf(call(system, ref as ActorRef))
    expect(error).toBeInstanceOf(SystemShutdownError)
    expect(error.message).toBe(`${what}: the actor system is shut down`)
    // A ref outlives the system: its asks reject the same way.
    await expect(ref.ask.get()).rejects.toBeInstanceOf(SystemShutdownError)
  })
})

/** Every option is checked where it is written, and the error names it. */
describe('options are validated, naming the option', () => {
  const startCases: [string, Partial<ActorSystemOptions>, RegExp][] = [
    ['spawnTimeoutMs zero', { spawnTimeoutMs: 0 }, /option "spawnTimeoutMs" must be an integer from 1/],
    ['spawnTimeoutMs a string', { spawnTimeoutMs: '5' as never }, /option "spawnTimeoutMs"/],
    ['shutdownTimeoutMs negative', { shutdownTimeoutMs: -1 }, /option "shutdownTimeoutMs"/],
    ['shutdownTimeoutMs infinite', { shutdownTimeoutMs: Number.POSITIVE_INFINITY }, /option "shutdownTimeoutMs"/],
    ['threads zero', { threads: 0 }, /option "threads"/],
    ['offload not an object', { offload: 5 as never }, /option "offload" must be an object/],
    ['offload.tasks missing', { offload: {} as never }, /option "offload.tasks"/],
    ['offload.maxQueue zero', { offload: { tasks: [], maxQueue: 0 } }, /option "offload.maxQueue"/],
    ['offload.idleTimeoutMs fractional', { offload: { tasks: [], idleTimeoutMs: 1.5 } }, /option "offload.idleTimeoutMs"/],
    ['resourceLimits not an object', { resourceLimits: 5 as never }, /option "resourceLimits" must be an object/],
    ['an unknown option (a typo)', { askTimeout: 5 } as never, /option "askTimeout" must be one of the known options \(actors, threads/],
    ['an unknown offload option', { offload: { tasks: [], threads: 2 } as never }, /option "offload.threads" must be one of the known options \(tasks, maxThreads/],
    ['an unknown resource limit', { resourceLimits: { heapMb: 5 } as never }, /option "resourceLimits.heapMb"/],
  ]
  it.each(startCases)('ActorSystem.start: %s', async (_name, overrides, message) => {
    const error = await errorOf(ActorSystem.start({ actors: FIXTURE_ACTORS, ...overrides }))
    expect(error).toBeInstanceOf(InvalidOptionError)
    expect(error.message).toMatch(message)
  })

  const spawnCases: [string, unknown, RegExp][] = [
    ['options not an object', 5, /option "options" must be an object/],
    ['an empty name', { name: '' }, /option "name" must be a non-empty string/],
    ['an unknown placement', { placement: 'anywhere' }, /option "placement"/],
    ['a worker out of range', { placement: { worker: 7 } }, /option "placement.worker"/],
    ['args not an array', { args: 5 }, /option "args" must be an array/],
    ['an unknown restart type', { restart: 'sometimes' }, /option "restart"/],
    ['an unknown supervision strategy', { supervision: { strategy: 'all-for-none' } }, /option "supervision.strategy"/],
    ['a zero mailbox capacity', { mailbox: { capacity: 0 } }, /option "mailbox.capacity"/],
    ['a zero handlerTimeoutMs', { handlerTimeoutMs: 0 }, /option "handlerTimeoutMs"/],
    ['args that cannot be sent', { args: [() => 1] }, /message\[0\]: functions cannot be sent/],
    ['an unknown option (a typo)', { nmae: 'x' }, /option "nmae" must be one of the known options \(name, placement/],
  ]
  it.each(spawnCases)('spawn: %s', async (_name, options, message) => {
    const error = await errorOf(system.spawn(Counter, options as never))
    expect([InvalidOptionError, MessageEncodeError].some((kind) => error instanceof kind)).toBe(true)
    expect(error.message).toMatch(message)
  })

  it.each([
    ['a zero timeout', { timeoutMs: 0 }, /option "timeoutMs"/],
    ['a signal that is not an AbortSignal', { signal: 'stop' }, /option "signal" must be an AbortSignal/],
    ['an unknown option (a typo)', { timeout: 5 }, /option "timeout" must be one of the known options \(signal, timeoutMs, transferList\)/],
  ])('offload: %s', async (_name, options, message) => {
    const system = await startSystem({ workers: 1, offload: { tasks: [fixture('tasks/')], maxThreads: 1 } })
    const error = await errorOf(system.offload(taskType<typeof fib>(fixture('tasks/math.ts'), 'fib'), 3, options as never))
    expect(error).toBeInstanceOf(InvalidOptionError)
    expect(error.message).toMatch(message)
  })
})

/** Runs a test program as its own process (its entry module is the program's, not vitest's) and returns its JSON line. */
async function runProgram(name: string): Promise<Record<string, unknown>> {
  const file = fileURLToPath(new URL(`./programs/${name}`, import.meta.url))
  // The timeout is a guard against the hang this checks for, not a wait for a condition.
  const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=development', '--import', 'tsx', file], { timeout: 60_000 })
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>
}

describe("the program's entry module is never an actor module", () => {
  it('allow-listing the entry module itself fails ActorSystem.start with InvalidOptionError naming actors[0]', async () => {
    const result = await runProgram('entry-listed.ts')
    expect(result).toMatchObject({ name: 'InvalidOptionError', code: 'ERR_INVALID_OPTION' })
    expect(result.message).toMatch(/option "actors\[0\]" must be a module other than the program's entry module/)
    expect(result.message).toMatch(/move the actor class into its own module/)
  })

  it('a class of the entry module in an allow-listed folder: every spawn rejects at once with SpawnError saying why and what to do', async () => {
    const results = await runProgram('entry-folder/main.ts')
    const refused = { name: 'SpawnError', code: 'ERR_SPAWN', message: expect.stringMatching(/the module is the program's entry module: .* move the actor class into its own module/) }
    expect(results).toEqual({
      byClass: { name: 'SpawnError', code: 'ERR_SPAWN', message: expect.stringMatching(/not exported by any module file .* if the class is defined in the program's entry module .*main\.ts/) },
      onWorker: refused,
      onMain: refused,
      asJs: refused, // a `.js` URL that tsx maps to the entry's `.ts` source
      ownModule: { answered: 'hi from its own module' },
    })
  })
})
