// Chaos (issue 10): workers die, one after another, in every way a worker can (exit, a throw in a
// timer, an unhandled rejection, a hang ended by the watchdog, out of memory), while tells and
// asks stream from every thread: from main, and from a Pump actor on each worker to sinks on
// every worker. The schedule is drawn from a seeded generator (TROUPE_CHAOS_SEED to replay one).
//
// Asserted, from the books (helpers/delivery-books.ts) and the sinks' logs (fixtures/durable.ts: every
// effect is a synchronous append that outlives its thread):
// - No hung ask: every ask from main settles within its deadline plus slack; every ask of a pump
//   that is alive at the end has settled.
// - No resolved ask without its effect: the sink appends before it replies, so every ask that
//   resolved has its line in the sink's log.
// - Per-sender FIFO: each sender's messages are processed in the order sent (gaps allowed).
// - Nothing lost silently: for every sender alive at the end, sent tells = processed + worker-died
//   dead letters, exactly; for a pump that died, what is accounted is a prefix of what it sent
//   (its unflushed tail died with it).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { seededRandom, type ActorRef, type SystemEvent } from '../src/index.js'
import { DurableSink, Pump } from './fixtures/durable.js'
import { DEATHS, Killer, type Death } from './fixtures/killer.js'
import { collectDeadLetters, logDir, MainSender, stream } from './helpers/delivery.js'
import { atMostOnceProblems, fifoProblems, mergeSent, parsePumpLog, readSinkLog, type Books, type PumpLog } from './helpers/delivery-books.js'
import { fixture, startSystem } from './helpers/system.js'

const SEED = Number(process.env.TROUPE_CHAOS_SEED ?? 0x5eed)
const WORKERS = 2
const SINKS_PER_WORKER = 2
const EVERY_MS = 10
const ASK_TIMEOUT_MS = 2_000
/** How late past its deadline an ask may settle on a loaded machine and still count as not hung. */
const ASK_SLACK_MS = 5_000
const HANG_MS = 500
const TEST_LIMIT_MS = 90_000


/** Every kind of death once, in a seeded order, plus one more; each on a seeded worker. */
function schedule(next: () => number): { death: Death; worker: number }[] {
  const deaths: Death[] = [...DEATHS, DEATHS[Math.floor(next() * DEATHS.length)]!]
  for (let i = deaths.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[deaths[i], deaths[j]] = [deaths[j]!, deaths[i]!]
  }
  return deaths.map((death) => ({ death, worker: Math.floor(next() * WORKERS) }))
}

const SETTLED = new Set(['ok', 'ERR_WORKER_CRASHED', 'ERR_ASK_TIMEOUT'])

it(
  `seed ${SEED}: random deaths of every kind under tells and asks from every thread`,
  async () => {
    const next = seededRandom(SEED)
    const plan = schedule(next)
    const dir = logDir()
    const system = await startSystem(
      ({
        workers: WORKERS,
        actors: [fixture('durable.ts'), fixture('killer.ts')],
        supervision: { maxRestarts: 1_000, withinMs: 60_000 },
        handlerHangMs: HANG_MS,
        resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 },
        stopTimeoutMs: 5_000,
      }),
    )
    const events: SystemEvent[] = []
    system.events.subscribe((event) => events.push(event))
    const letters = collectDeadLetters(system)

    const sinkLogs = new Map<number, string>()
    const sinks: ActorRef<DurableSink>[] = []
    for (let worker = 0; worker < WORKERS; worker++) {
      for (let i = 0; i < SINKS_PER_WORKER; i++) {
        const file = join(dir, `sink-${worker}-${i}.log`)
        const sink = await system.spawn(DurableSink, { args: [file], placement: { worker } })
        sinkLogs.set(sink.id, file)
        sinks.push(sink)
      }
    }
    const pumpLogs = Array.from({ length: WORKERS }, (_, worker) => join(dir, `pump-${worker}.log`))
    const pumps = await Promise.all(pumpLogs.map((file, worker) => system.spawn(Pump, { args: [file, worker], placement: { worker } })))
    const killers = await Promise.all(Array.from({ length: WORKERS }, (_, worker) => system.spawn(Killer, { placement: { worker } })))

    const main = new MainSender()
    const mainAsks: Promise<void>[] = []
    const round = () => {
      for (const sink of sinks) {
        main.tells(sink, 3)
        mainAsks.push(main.ask(sink, ASK_TIMEOUT_MS))
      }
      for (const pump of pumps) pump.tell.burst(sinks, 4, 4, ASK_TIMEOUT_MS)
    }
    const recoveries = (thread: number) => events.filter((e) => e.type === 'worker-recovered' && e.thread === thread).length

    let warm = 0
    await stream(round, () => ++warm >= 10, { everyMs: EVERY_MS, limitMs: 10_000, what: 'warm-up' })
    for (const [step, { death, worker }] of plan.entries()) {
      const thread = worker + 1
      const before = recoveries(thread)
      killers[worker]!.tell.die(death)
      await stream(round, () => recoveries(thread) > before, { everyMs: EVERY_MS, limitMs: 20_000, what: `death ${step} (${death} on thread ${thread})` })
      let after = 0
      await stream(round, () => ++after >= 5, { everyMs: EVERY_MS, limitMs: 5_000, what: `after death ${step}` })
    }

    // Drain: main's asks settle by their deadlines at the latest; the pumps' barriers put an ask
    // behind each pump's streams; then the books must balance (dead letters reach main
    // asynchronously, hence the poll).
    await expect.poll(() => main.pendingAsks, { timeout: ASK_TIMEOUT_MS + ASK_SLACK_MS }).toBe(0)
    await Promise.all(mainAsks)
    await Promise.all(pumps.map((pump) => pump.ask.barrier(sinks)))
    await Promise.allSettled(sinks.map((sink) => sink.ask.thread()))

    const readPumps = (): PumpLog[] => pumpLogs.map((file) => parsePumpLog(readFileSync(file, 'utf8')))
    const books = (pumpBooks: PumpLog[]): Books => {
      const alive = new Set([0, ...pumpBooks.map((p) => p.tags.at(-1)!)])
      return {
        sent: mergeSent(main.book, ...pumpBooks.map((p) => p.sent)),
        processed: new Map([...sinkLogs].map(([id, file]) => [id, readSinkLog(file).processed])),
        dead: letters.dead,
        senderSurvived: (tag) => alive.has(tag),
      }
    }
    // Every ask a live pump issued has settled (they are bounded by their deadline too).
    const unsettledPumpAsks = (pumpBooks: PumpLog[]) =>
      pumpBooks.flatMap((p) => {
        const book = p.asks.get(p.tags.at(-1)!)!
        return [...book.issued].flatMap(([key, seqs]) => seqs.filter((seq) => !book.settled.has(`${key}#${seq}`)).map((seq) => `${key}#${seq}`))
      })
    await expect.poll(() => unsettledPumpAsks(readPumps()), { timeout: ASK_TIMEOUT_MS + ASK_SLACK_MS, interval: 200 }).toEqual([])
    const lost = () => atMostOnceProblems(books(readPumps())).filter((p) => p.includes('lost'))
    await expect.poll(lost, { timeout: 10_000, interval: 200 }).toEqual([])

    const pumpBooks = readPumps()
    const final = books(pumpBooks)
    expect(atMostOnceProblems(final)).toEqual([])
    expect(fifoProblems(final)).toEqual([])

    // Asks from main: none hung, every outcome a typed one, every success with its effect on disk.
    const effects = new Set([...final.processed].flatMap(([sink, list]) => list.filter((p) => p.kind === 'a').map((p) => `${p.tag}>${sink}#${p.seq}`)))
    const overdue = main.asks.filter((a) => a.settledAt! - a.issuedAt > a.timeoutMs + ASK_SLACK_MS)
    expect(overdue).toEqual([])
    expect(main.asks.filter((a) => !SETTLED.has(a.outcome!))).toEqual([])
    expect(main.asks.filter((a) => a.outcome === 'ok' && !effects.has(`0>${a.sink}#${a.seq}`))).toEqual([])
    // Asks from pumps, every incarnation: the same, for what each logged before it died.
    const pumpOutcomes = pumpBooks.flatMap((p) => [...p.asks.values()].flatMap((book) => [...book.settled]))
    expect(pumpOutcomes.filter(([, outcome]) => !SETTLED.has(outcome))).toEqual([])
    expect(pumpOutcomes.filter(([key, outcome]) => outcome === 'ok' && !effects.has(key))).toEqual([])

    // The deaths were the planned ones and nothing else gave up.
    expect(events.filter((e) => e.type === 'worker-crashed').map((e) => e.type === 'worker-crashed' && e.thread)).toEqual(plan.map((p) => p.worker + 1))
    expect(events.filter((e) => e.type === 'fatal')).toEqual([])
    expect(letters.malformed).toEqual([])
    // Dead letters other than the streams' own are messages to pumps and killers on a dying worker.
    expect(letters.others.filter((l) => l.reason !== 'worker-died')).toEqual([])
    // Something happened: each sender streamed, each sink was processing, the asks mostly succeeded.
    expect(main.asks.filter((a) => a.outcome === 'ok').length).toBeGreaterThan(main.asks.length / 2)
    expect(pumpBooks.map((p) => p.tags.length)).toEqual(pumpBooks.map((_, worker) => 1 + plan.filter((p) => p.worker === worker).length))
  },
  TEST_LIMIT_MS,
)
