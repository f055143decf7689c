// What the delivery tests share: main's own sender book, the dead letters of the streams, temp
// dirs for the sinks' logs, and the pacing of a stream.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { afterEach } from 'vitest'
import type { ActorRef, ActorSystem, DeadLetter } from '../../src/index.js'
import type { DurableSink } from '../fixtures/durable.js'
import { SentBook, streamKey, type StreamKey } from './delivery-books.js'

const dirs: string[] = []
afterEach(() => {
  while (dirs.length > 0) rmSync(dirs.pop()!, { recursive: true, force: true })
})

/** A fresh directory for one test's logs, removed after the test. */
export function logDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'troupe-delivery-'))
  dirs.push(dir)
  return dir
}

/** The main thread as a sender: tag 0, its own sequence per sink, its asks and how they settled. */
export class MainSender {
  static readonly TAG = 0
  readonly book = new SentBook()
  readonly asks: { sink: number; seq: number; issuedAt: number; settledAt?: number; outcome?: string; timeoutMs: number }[] = []
  readonly #next = new Map<number, number>()

  #seq(sink: ActorRef<DurableSink>): number {
    const seq = this.#next.get(sink.id) ?? 0
    this.#next.set(sink.id, seq + 1)
    return seq
  }

  tells(sink: ActorRef<DurableSink>, count: number): void {
    for (let i = 0; i < count; i++) {
      const seq = this.#seq(sink)
      this.book.record(MainSender.TAG, sink.id, 't', seq)
      sink.tell.take(MainSender.TAG, seq)
    }
  }

  /** An ask whose effect the sink records before replying; its outcome is kept here. */
  ask(sink: ActorRef<DurableSink>, timeoutMs: number): Promise<void> {
    const seq = this.#seq(sink)
    this.book.record(MainSender.TAG, sink.id, 'a', seq)
    const entry: (typeof this.asks)[number] = { sink: sink.id, seq, issuedAt: performance.now(), timeoutMs }
    this.asks.push(entry)
    return sink
      .with({ timeoutMs })
      .ask.apply(MainSender.TAG, seq)
      .then(
        (value) => (value === seq ? 'ok' : `wrong-reply-${String(value)}`),
        (error: unknown) => (error as { code?: string }).code ?? `no-code: ${String(error)}`,
      )
      .then((outcome) => {
        entry.outcome = outcome
        entry.settledAt = performance.now()
      })
  }

  get pendingAsks(): number {
    return this.asks.filter((a) => a.outcome === undefined).length
  }
}

/**
 * Collects the dead letters of `take` tells with reason worker-died, per stream, and every other
 * dead letter apart, so a test can require there be none.
 */
export function collectDeadLetters(system: ActorSystem): { dead: Map<StreamKey, number[]>; others: DeadLetter[]; count(): number; malformed: DeadLetter[] } {
  const dead = new Map<StreamKey, number[]>()
  const others: DeadLetter[] = []
  const malformed: DeadLetter[] = []
  let count = 0
  system.deadLetters.subscribe((letter) => {
    if (letter.reason !== 'worker-died' || letter.method !== 'take') {
      others.push(letter)
      return
    }
    const body = letter.message
    if (!Array.isArray(body) || typeof body[0] !== 'number' || typeof body[1] !== 'number') {
      malformed.push(letter)
      return
    }
    const [tag, seq] = body as [number, number]
    // A tell from main has no sender; one from a pump names it.
    if ((tag === MainSender.TAG) !== (letter.sender === undefined)) malformed.push(letter)
    const key = streamKey(tag, letter.recipient)
    let list = dead.get(key)
    if (!list) dead.set(key, (list = []))
    list.push(seq)
    count++
  })
  return { dead, others, malformed, count: () => count }
}

/**
 * Runs `round` every `everyMs` until `done()` (checked after each round), failing after
 * `limitMs`. The pause paces a stream (a steady rate of traffic while workers die and come back);
 * it stands in for no condition: every wait on a condition is `done()`.
 */
export async function stream(round: () => void, done: () => boolean, options: { everyMs: number; limitMs: number; what: string }): Promise<number> {
  const started = performance.now()
  let rounds = 0
  for (;;) {
    round()
    rounds++
    if (done()) return rounds
    if (performance.now() - started > options.limitMs) throw new Error(`${options.what}: not done after ${options.limitMs} ms (${rounds} rounds)`)
    await delay(options.everyMs)
  }
}
