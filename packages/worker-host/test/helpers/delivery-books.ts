// The books of the delivery tests: what each sender sent, what each sink processed (read from the
// files the sinks append to, which outlive a dying worker), what became a dead letter; and the
// checks that compare them. Pure functions over plain data, so the checks are tested themselves
// (ledger.test.ts): a check that cannot fail would make the delivery tests worthless.
import { readFileSync } from 'node:fs'

/** One stream: the messages of one sender (`tag`) to one sink (its actor id). */
export type StreamKey = `${number}>${number}`
export const streamKey = (tag: number, sink: number): StreamKey => `${tag}>${sink}`

/** A message a sink processed, in the order it processed them. */
export interface Processed {
  readonly kind: 't' | 'a'
  readonly tag: number
  readonly seq: number
  /** 0 for the first instance of the sink, 1 after its first restart, ... */
  readonly incarnation: number
}

/**
 * A sink's log: `start` when an instance is constructed, `t <tag> <seq>` per tell processed,
 * `a <tag> <seq>` per ask processed, `i` when `idle` starts. Any other line is an error: a line
 * is written by one synchronous append, so a torn line would itself be a finding.
 */
export function parseSinkLog(text: string): { processed: Processed[]; idles: number; incarnations: number } {
  const processed: Processed[] = []
  let incarnation = -1
  let idles = 0
  for (const line of text.split('\n')) {
    if (line === '') continue
    if (line === 'start') {
      incarnation++
      continue
    }
    if (line === 'i') {
      idles++
      continue
    }
    const match = /^([ta]) (\d+) (\d+)$/.exec(line)
    if (!match || incarnation < 0) throw new Error(`malformed sink log line: ${JSON.stringify(line)}`)
    processed.push({ kind: match[1] as 't' | 'a', tag: Number(match[2]), seq: Number(match[3]), incarnation })
  }
  return { processed, idles, incarnations: incarnation + 1 }
}

export const readSinkLog = (file: string): ReturnType<typeof parseSinkLog> => parseSinkLog(readFileSync(file, 'utf8'))

/** What one sender (main, or one incarnation of a pump) sent, per stream, in order. */
export class SentBook {
  /** Every message (tells and asks) per stream, in send order: the order FIFO is checked against. */
  readonly messages = new Map<StreamKey, { kind: 't' | 'a'; seq: number }[]>()

  record(tag: number, sink: number, kind: 't' | 'a', seq: number): void {
    const key = streamKey(tag, sink)
    let list = this.messages.get(key)
    if (!list) this.messages.set(key, (list = []))
    list.push({ kind, seq })
  }

  tells(key: StreamKey): number[] {
    return (this.messages.get(key) ?? []).filter((m) => m.kind === 't').map((m) => m.seq)
  }
}

/** A pump's log: `start` per instance, `s <tag> <sink> <seq> <t|a>` per message sent, `r <tag> <sink> <seq> <ok|code>` per ask settled. */
export interface PumpLog {
  readonly sent: SentBook
  /** The tags of every incarnation, in order; the last one is the instance alive at the end. */
  readonly tags: number[]
  /** Asks per tag: issued seqs and their outcomes (`ok` or an error code). */
  readonly asks: Map<number, { issued: Map<StreamKey, number[]>; settled: Map<string, string> }>
}

export function parsePumpLog(text: string): PumpLog {
  const sent = new SentBook()
  const tags: number[] = []
  const asks: PumpLog['asks'] = new Map()
  for (const line of text.split('\n')) {
    if (line === '') continue
    const start = /^start (\d+)$/.exec(line)
    if (start) {
      const tag = Number(start[1])
      tags.push(tag)
      asks.set(tag, { issued: new Map(), settled: new Map() })
      continue
    }
    const s = /^s (\d+) (\d+) (\d+) ([ta])$/.exec(line)
    if (s) {
      const [tag, sink, seq] = [Number(s[1]), Number(s[2]), Number(s[3])]
      sent.record(tag, sink, s[4] as 't' | 'a', seq)
      if (s[4] === 'a') {
        const book = asks.get(tag)
        if (!book) throw new Error(`pump log: send before start: ${line}`)
        const key = streamKey(tag, sink)
        book.issued.set(key, [...(book.issued.get(key) ?? []), seq])
      }
      continue
    }
    const r = /^r (\d+) (\d+) (\d+) (\S+)$/.exec(line)
    if (r) {
      const book = asks.get(Number(r[1]))
      if (!book) throw new Error(`pump log: settle before start: ${line}`)
      book.settled.set(`${streamKey(Number(r[1]), Number(r[2]))}#${r[3]}`, r[4]!)
      continue
    }
    throw new Error(`malformed pump log line: ${JSON.stringify(line)}`)
  }
  return { sent, tags, asks }
}

/** Everything needed to check one run's delivery. */
export interface Books {
  /** Every sender's messages, per stream. */
  readonly sent: Map<StreamKey, { kind: 't' | 'a'; seq: number }[]>
  /** Every sink's processed messages (file order), keyed by the sink's actor id. */
  readonly processed: Map<number, Processed[]>
  /** Dead-lettered tells (reason worker-died), per stream, in the order they were reported. */
  readonly dead: Map<StreamKey, number[]>
  /**
   * False for a sender that died during the run (a pump incarnation that was not the last):
   * what it had not flushed when its thread died was lost with it, so it is not accounted.
   */
  senderSurvived(tag: number): boolean
}

/** Merges the send books of main and the pumps into one map of streams. */
export function mergeSent(...books: SentBook[]): Map<StreamKey, { kind: 't' | 'a'; seq: number }[]> {
  const merged = new Map<StreamKey, { kind: 't' | 'a'; seq: number }[]>()
  for (const book of books) {
    for (const [key, list] of book.messages) merged.set(key, [...(merged.get(key) ?? []), ...list])
  }
  return merged
}

const tagOf = (key: StreamKey): number => Number(key.split('>')[0])
const sinkOf = (key: StreamKey): number => Number(key.split('>')[1])

/** The processed messages of one stream, in processing order (duplicates kept). */
function processedOf(books: Books, key: StreamKey): Processed[] {
  const tag = tagOf(key)
  return (books.processed.get(sinkOf(key)) ?? []).filter((p) => p.tag === tag)
}

function allKeys(books: Books): StreamKey[] {
  const keys = new Set<StreamKey>([...books.sent.keys(), ...books.dead.keys()])
  for (const [sink, list] of books.processed) for (const p of list) keys.add(streamKey(p.tag, sink))
  return [...keys].sort()
}

/** The values that occur more than once, each once, in order of their second occurrence. */
function repeated(seqs: readonly number[]): number[] {
  const seen = new Set<number>()
  const again = new Set<number>()
  for (const seq of seqs) {
    if (seen.has(seq)) again.add(seq)
    seen.add(seq)
  }
  return [...again]
}

const preview = (seqs: readonly number[]): string => (seqs.length > 8 ? `${seqs.slice(0, 8).join(',')},… (${seqs.length})` : seqs.join(','))

/**
 * Default delivery: every tell is processed at most once, and a tell to a worker that died is
 * either processed or a dead letter — never both, never neither.
 *
 * For a sender alive at the end: sent tells = processed ⊎ dead letters, exactly.
 * For a sender that died: the accounted tells (processed ⊎ dead) are a prefix of what it sent;
 * the rest was still in its own thread when it died.
 */
export function atMostOnceProblems(books: Books): string[] {
  const problems: string[] = []
  for (const key of allKeys(books)) {
    const sent = (books.sent.get(key) ?? []).filter((m) => m.kind === 't').map((m) => m.seq)
    const sentSet = new Set(sent)
    const processed = processedOf(books, key).filter((p) => p.kind === 't').map((p) => p.seq)
    const processedSet = new Set(processed)
    const dead = books.dead.get(key) ?? []
    const deadSet = new Set(dead)
    const twice = repeated(processed)
    if (twice.length > 0) problems.push(`${key}: processed twice: ${preview(twice)}`)
    const deadTwice = repeated(dead)
    if (deadTwice.length > 0) problems.push(`${key}: dead-lettered twice: ${preview(deadTwice)}`)
    const both = [...processedSet].filter((seq) => deadSet.has(seq))
    if (both.length > 0) problems.push(`${key}: both processed and dead-lettered: ${preview(both)}`)
    const unsent = [...new Set([...processed, ...dead])].filter((seq) => !sentSet.has(seq))
    if (unsent.length > 0) problems.push(`${key}: accounted but never sent: ${preview(unsent)}`)
    const missing = sent.filter((seq) => !processedSet.has(seq) && !deadSet.has(seq))
    if (books.senderSurvived(tagOf(key))) {
      if (missing.length > 0) problems.push(`${key}: lost (neither processed nor dead-lettered): ${preview(missing)} of ${sent.length}`)
    } else if (missing.length > 0) {
      const firstMissing = sent.indexOf(missing[0]!)
      const accountedAfter = sent.slice(firstMissing).filter((seq) => processedSet.has(seq) || deadSet.has(seq))
      if (accountedAfter.length > 0) problems.push(`${key}: lost ${preview(missing)} before accounted ${preview(accountedAfter)} (not a prefix)`)
    }
  }
  return problems
}

/**
 * Per-sender FIFO without redelivery: in every sink's log, each sender's messages (tells and asks
 * together) appear in strictly increasing sequence order, across restarts of the sink. Gaps are
 * allowed (dead letters, failed asks); going back is not.
 */
export function fifoProblems(books: Books): string[] {
  const problems: string[] = []
  for (const [sink, list] of books.processed) {
    const last = new Map<number, number>()
    for (const p of list) {
      const before = last.get(p.tag)
      if (before !== undefined && p.seq <= before) problems.push(`${streamKey(p.tag, sink)}: ${p.kind} ${p.seq} processed after ${before}`)
      last.set(p.tag, p.seq)
    }
  }
  return problems
}

/**
 * `delivery: 'at-least-once'`, in order. Per stream (one sender, one sink), with the sink's log
 * split into incarnations (a restart starts a new one):
 *
 * 1. No gap: every tell sent is processed at least once, and none is a dead letter.
 * 2. In order: the sequence of *first* processings is strictly increasing, i.e. message n+1 is never
 *    processed before message n has been processed once.
 * 3. Duplicates only across a death: within one incarnation the processed sequence numbers are
 *    strictly increasing. A new incarnation may start again from an earlier message (the ones the
 *    dead worker had processed but not yet acknowledged), and then goes forward again.
 *
 * Asks are in the order checks (they share the stream's sequence numbers) but not in the
 * completeness check: a failed ask is rejected, not redelivered.
 */
export function atLeastOnceProblems(books: Books): string[] {
  const problems: string[] = []
  for (const key of allKeys(books)) {
    const sent = (books.sent.get(key) ?? []).filter((m) => m.kind === 't').map((m) => m.seq)
    const processed = processedOf(books, key)
    const processedTells = new Set(processed.filter((p) => p.kind === 't').map((p) => p.seq))
    const dead = books.dead.get(key) ?? []
    if (dead.length > 0) problems.push(`${key}: dead-lettered despite at-least-once: ${preview(dead)}`)
    const missing = sent.filter((seq) => !processedTells.has(seq))
    if (missing.length > 0) problems.push(`${key}: never processed: ${preview(missing)} of ${sent.length}`)
    const sentSet = new Set(sent)
    const unsent = [...processedTells].filter((seq) => !sentSet.has(seq))
    if (unsent.length > 0) problems.push(`${key}: processed but never sent: ${preview(unsent)}`)
    const seen = new Set<number>()
    let lastFirst = -1
    let previous: Processed | undefined
    for (const p of processed) {
      if (!seen.has(p.seq)) {
        if (p.seq <= lastFirst) problems.push(`${key}: ${p.seq} first processed after ${lastFirst}`)
        lastFirst = Math.max(lastFirst, p.seq)
        seen.add(p.seq)
      }
      if (previous && previous.incarnation === p.incarnation && p.seq <= previous.seq) {
        problems.push(`${key}: ${p.seq} processed after ${previous.seq} by the same instance (incarnation ${p.incarnation})`)
      }
      previous = p
    }
  }
  return problems
}
