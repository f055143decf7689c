// tell.*: streams of small tells from a sender actor to a Receiver actor, timed from the main thread.
import { availableParallelism } from 'node:os'
import type { ActorRef, ActorSystem } from 'troupe'
import type { BenchmarkDefinition } from '../harness.js'
import { CreditSender, Receiver, Sender } from './actors.js'
import type { StreamInstrumentation } from './stream-instrumentation.js'
import { check, withSystem, type SystemSettings } from './system.js'

/** How the sender paces itself: `undefined` for none, else the number of outstanding chunks. */
type Window = number | undefined

export interface Pair {
  readonly sender: ActorRef<Sender> | ActorRef<CreditSender>
  readonly receiver: ActorRef<Receiver>
  /** Sends the start command for a stream of `count` hits. */
  start(count: number): void
}

/** Tells per chunk: per `burst` message (Sender), or per credit (CreditSender). */
const chunk = 1000

/** Sum of n over hit(0) .. hit(count - 1). */
const expectedSum = (count: number): number => (count * (count - 1)) / 2

/**
 * Spawns a pair: the sender pinned to worker `worker`, the receiver on worker `receiverWorker`
 * or, when that is undefined, colocated with the sender. Checks where they landed.
 */
async function spawnPair(system: ActorSystem, worker: number, receiverWorker: number | undefined, window: Window): Promise<Pair> {
  const placement = (sender: ActorRef) => (receiverWorker === undefined ? { colocateWith: sender } : { worker: receiverWorker })
  let pair: Pair
  if (window === undefined) {
    const sender = await system.spawn(Sender, { placement: { worker } })
    const receiver = await system.spawn(Receiver, { placement: placement(sender) })
    pair = { sender, receiver, start: (count) => sender.tell.burst(receiver, 0, count, chunk) }
  } else {
    const sender = await system.spawn(CreditSender, { placement: { worker } })
    const receiver = await system.spawn(Receiver, { placement: placement(sender) })
    pair = { sender, receiver, start: (count) => sender.tell.start(receiver, count, chunk, window) }
  }
  // ctx.thread counts the main thread as 0, so worker i is thread i + 1.
  check('sender thread', await pair.sender.ask.thread(), worker + 1)
  check('receiver thread', await pair.receiver.ask.thread(), (receiverWorker ?? worker) + 1)
  return pair
}

/** Sends the start commands as they are: no instrumentation. */
export const plainStart = (send: () => void): void => send()

/**
 * One pass: arm every receiver, then start every sender at once (through `start`, which may wrap
 * the commands, e.g. in a span), and time from the start commands until the last receiver has
 * processed all `count` of its hits. Returns total msg/s.
 */
export async function streamPass(pairs: readonly Pair[], count: number, start: StreamInstrumentation['start']): Promise<number> {
  await Promise.all(pairs.map((pair) => pair.receiver.ask.arm(count)))
  const started = performance.now()
  const done = pairs.map((pair) => pair.receiver.ask.done())
  start(() => {
    for (const pair of pairs) pair.start(count)
  })
  const tallies = await Promise.all(done)
  const seconds = (performance.now() - started) / 1000
  for (const tally of tallies) {
    check('hits received', tally.count, count)
    check('sum of hits', tally.sum, expectedSum(count))
  }
  if (!(seconds > 0)) throw new Error(`non-positive duration ${seconds}s`)
  return (pairs.length * count) / seconds
}

interface StreamShape {
  readonly workers: number
  /** One entry per pair: [sender worker, receiver worker or undefined to colocate]. */
  readonly pairs: readonly (readonly [number, number | undefined])[]
  /** Tells per pair in the timed pass. */
  readonly count: { readonly full: number; readonly quick: number }
  readonly window?: Window
  /** Further system options, e.g. `metrics: true`. Default: none (the system's defaults). */
  readonly options?: SystemSettings['options']
  /** Set up before each run's system starts and closed after it shut down; given the worker count. */
  readonly instrument?: (workers: number) => Promise<StreamInstrumentation>
}

async function streamRun(id: string, shape: StreamShape, quick: boolean): Promise<number> {
  const count = quick ? shape.count.quick : shape.count.full
  const warmup = Math.ceil(count / 4)
  const instrumentation = await shape.instrument?.(shape.workers)
  const start = instrumentation === undefined ? plainStart : (send: () => void) => instrumentation.start(send)
  try {
    const options = { ...shape.options, ...instrumentation?.options }
    return await withSystem(
      shape.workers,
      id,
      async (system) => {
        const pairs: Pair[] = []
        for (const [worker, receiverWorker] of shape.pairs) pairs.push(await spawnPair(system, worker, receiverWorker, shape.window))
        // Untimed pass: sets up the worker-to-worker channel and lets fresh workers optimise the path.
        await streamPass(pairs, warmup, start)
        await instrumentation?.check(pairs.length * warmup)
        const figure = await streamPass(pairs, count, start)
        await instrumentation?.check(pairs.length * (warmup + count))
        return figure
      },
      { options },
    )
  } finally {
    // After the shutdown: nothing registered for this run may reach the next one.
    await instrumentation?.close()
  }
}

function streamBenchmark(id: string, shape: StreamShape): BenchmarkDefinition {
  return { id, unit: 'msg/s', run: (quick) => streamRun(id, shape, quick) }
}

const streamCount = { full: 1_000_000, quick: 200_000 }

/**
 * The ratio ids measure sustained streams with credit-based flow control (CreditSender): the
 * receiver's backlog stays under `window` chunks, as in Akka's and Savina's throughput
 * benchmarks, so the figure is the per-message cost and not the cost of a deep mailbox.
 */
const crossThread: StreamShape = { workers: 2, pairs: [[0, 1]], count: streamCount, window: 8 }

export const tellCrossThread = streamBenchmark('tell.cross-thread', crossThread)

/** The same stream with per-type counting on every thread: P17 is what counting costs. */
export const tellCrossThreadMetrics = streamBenchmark('tell.cross-thread.metrics', { ...crossThread, options: { metrics: true } })

/**
 * The same stream with a tracer provider on every thread, sampling everything, each pass started
 * inside a root span: every message carries a span context and every handler runs in a span.
 * P18 is what tracing costs. The OpenTelemetry SDK is loaded only when this benchmark runs.
 */
export const tellCrossThreadTraced = streamBenchmark('tell.cross-thread.traced', {
  ...crossThread,
  instrument: async (workers) => (await import('./tracing.js')).traceEveryThread(workers),
})

export const tellSameThread = streamBenchmark('tell.same-thread', { workers: 2, pairs: [[0, undefined]], count: streamCount, window: 2 })

/**
 * The same streams with no flow control (Sender): the sender never waits, and the receiver's
 * mailbox absorbs the backlog. Reported for transparency; in no ratio.
 */
export const tellFloodCrossThread = streamBenchmark('tell.flood.cross-thread', { workers: 2, pairs: [[0, 1]], count: streamCount })

export const tellFloodSameThread = streamBenchmark('tell.flood.same-thread', { workers: 2, pairs: [[0, undefined]], count: streamCount })

/**
 * throughput.w1 .. wN (N = os.availableParallelism()): a system with k workers and k
 * independent colocated sender->receiver pairs, one per worker; total msg/s over all pairs.
 * Each pair moves the same count whatever k, so perfect scaling multiplies the figure by k.
 */
export function tellThroughputScaling(maxWorkers = availableParallelism()): BenchmarkDefinition[] {
  const definitions: BenchmarkDefinition[] = []
  for (let k = 1; k <= maxWorkers; k++) {
    definitions.push(
      streamBenchmark(`throughput.w${k}`, {
        workers: k,
        pairs: Array.from({ length: k }, (_, worker) => [worker, undefined] as const),
        count: streamCount,
        window: 2,
      }),
    )
  }
  return definitions
}
