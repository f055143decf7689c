// testkit.deterministic.msgs: what deterministic mode (troupe/testkit) costs. Users run a test once
// per seed (exploreSeeds), so both the message rate of a simulated system and the cost of starting
// and stopping one per seed matter.
import type { ActorRef, SystemEvent } from 'troupe'
import type { TestKit } from 'troupe/testkit'
import type { BenchmarkDefinition, RunFigures } from '../harness.js'
import { CreditSender, Receiver } from './actors.js'
import { BENCH_ACTORS, check, unexpectedFailure } from './system.js'

const id = 'testkit.deterministic.msgs'
const startId = 'testkit.deterministic.start.ms'

/** Any fixed seed: the run is the same interleaving every time, so rounds differ only by the machine. */
const seed = 1
/** Tells per chunk and chunks outstanding: the shape of `tell.cross-thread`, so the figures compare. */
const chunk = 1000
const window = 8
/**
 * Tells in the timed pass: `tell.cross-thread`'s counts. Every thread is simulated on the main
 * thread, and a full run still takes about a second (2 s on a loaded 2-vCPU VM).
 */
const count = { full: 1_000_000, quick: 200_000 }
const expectedSum = (n: number): number => (n * (n - 1)) / 2
// Generous, as in system.ts: a hung run should fail its benchmark, not the whole suite.
const timeoutMs = 60_000

interface Pair {
  readonly sender: ActorRef<CreditSender>
  readonly receiver: ActorRef<Receiver>
}

/**
 * One pass, as `tell.cross-thread`'s: arm the receiver, then time from the start command until its
 * `done()` latch answers; the count and the sum of the hits are checked. Returns msg/s.
 */
async function streamPass({ sender, receiver }: Pair, hits: number): Promise<number> {
  await receiver.ask.arm(hits)
  const started = performance.now()
  const done = receiver.ask.done()
  sender.tell.start(receiver, hits, chunk, window)
  const tally = await done
  const seconds = (performance.now() - started) / 1000
  check('hits received', tally.count, hits)
  check('sum of hits', tally.sum, expectedSum(hits))
  if (!(seconds > 0)) throw new Error(`non-positive duration ${seconds}s`)
  return hits / seconds
}

/**
 * Starts a deterministic test kit (2 simulated workers, the bench actors on its allow-list), runs
 * `body` raced against a timeout and any actor failure or worker crash, fails on dead letters, and
 * shuts the kit down whatever happens, as `withSystem` does for real systems. Also returns how long
 * `TestKit.deterministic` and the shutdown took together, in ms.
 */
async function withDeterministicKit<T>(body: (kit: TestKit) => Promise<T>): Promise<{ result: T; startMs: number }> {
  // Loaded only when this benchmark runs, as the tracing SDK is for tell.cross-thread.traced.
  const { TestKit } = await import('troupe/testkit')
  const startedAt = performance.now()
  const kit = await TestKit.deterministic({ seed, workers: 2, actors: [BENCH_ACTORS], askTimeoutMs: timeoutMs, stopTimeoutMs: 10_000 })
  const startMs = performance.now() - startedAt
  let timer: NodeJS.Timeout | undefined
  let unsubscribe: () => void = () => undefined
  const failure = new Promise<never>((_, reject) => {
    // Real time: the kit's clock is manual and would never fire this.
    timer = setTimeout(() => reject(new Error(`${id}: timed out after ${timeoutMs} ms`)), timeoutMs)
    unsubscribe = kit.system.events.subscribe((event: SystemEvent) => {
      const error = unexpectedFailure(id, event)
      if (error) reject(error)
    })
  })
  failure.catch(() => undefined) // only meaningful while the body runs
  let result: T
  try {
    result = await Promise.race([body(kit), failure])
    const unexpected = Object.entries(kit.system.deadLetters.countsByReason)
    if (unexpected.length > 0) throw new Error(`${id}: unexpected dead letter(s): ${JSON.stringify(Object.fromEntries(unexpected))}`)
  } catch (error) {
    await kit.shutdown().catch(() => undefined)
    throw error
  } finally {
    clearTimeout(timer)
    unsubscribe()
  }
  const stoppingAt = performance.now()
  await kit.shutdown()
  return { result, startMs: startMs + (performance.now() - stoppingAt) }
}

/**
 * A `CreditSender` on simulated worker 0 streams `hit(n)` tells to a `Receiver` on simulated
 * worker 1, credit-paced as in `tell.cross-thread`: an untimed pass of a quarter, then the timed
 * one. The figure is msg/s of the timed pass; its companion is the kit's start + shutdown in ms.
 */
async function run(quick: boolean): Promise<RunFigures> {
  const hits = quick ? count.quick : count.full
  const { result, startMs } = await withDeterministicKit(async (kit) => {
    const { system } = kit
    check('kit mode', kit.mode, 'deterministic')
    const sender = await system.spawn(CreditSender, { placement: { worker: 0 } })
    const receiver = await system.spawn(Receiver, { placement: { worker: 1 } })
    // ctx.thread counts the main thread as 0, so worker i is thread i + 1.
    check('sender thread', await sender.ask.thread(), 1)
    check('receiver thread', await receiver.ask.thread(), 2)
    const pair = { sender, receiver }
    await streamPass(pair, Math.ceil(hits / 4))
    return streamPass(pair, hits)
  })
  return { figure: result, companions: { [startId]: startMs } }
}

export const testkitDeterministicMsgs: BenchmarkDefinition = {
  id,
  unit: 'msg/s',
  companions: [{ id: startId, unit: 'ms' }],
  run,
}
