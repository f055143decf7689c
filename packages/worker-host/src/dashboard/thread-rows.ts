import type { SystemEvent } from '../system/system-events.js'
import { utilizationBetween } from '../system/scheduler.js'
import type { ThreadRow, ThreadStatus, TypeRow } from './feed-types.js'
import type { ThreadSnapshot } from '../metrics/thread-snapshot.js'
import type { Readings } from '../metrics/thread-reader.js'

interface ThreadMemory {
  /** The last answer: the window for utilisation and throughput starts with it. */
  last: ThreadSnapshot | undefined
  /** Set by a `worker-hung` or `worker-crashed` event, cleared by `worker-replaced`: samples cannot see a death. */
  incident: 'hung' | 'crashed' | undefined
  crashes: number
}

/**
 * Turns each sample's readings into the rows the page shows: rates over the window since the
 * previous answer of the same worker (a replacement counts from zero), the last known figures
 * of a thread that did not answer, and each worker's state as the system's events tell it.
 */
export class ThreadRows {
  readonly #memory: ThreadMemory[]

  constructor(workers: number) {
    this.#memory = Array.from({ length: workers + 1 }, () => ({ last: undefined, incident: undefined, crashes: 0 }))
  }

  /** A system event: a worker's death or replacement changes its state. */
  onEvent(event: SystemEvent): void {
    if (event.type !== 'worker-hung' && event.type !== 'worker-crashed' && event.type !== 'worker-replaced') return
    const memory = this.#memory[event.thread]
    if (!memory) return
    if (event.type === 'worker-hung') memory.incident = 'hung'
    else if (event.type === 'worker-crashed') {
      memory.incident = 'crashed'
      memory.crashes++
    } else memory.incident = undefined
  }

  /** The rows of one sample. */
  rows(readings: Readings): ThreadRow[] {
    return this.#memory.map((memory, thread) => {
      const reading = readings.get(thread)
      if (reading === undefined || typeof reading === 'string') {
        const status: ThreadStatus = memory.incident ?? (reading === 'down' ? 'crashed' : 'not-answering')
        return this.#row(thread, memory, status, null, null)
      }
      const previous = memory.last?.generation === reading.generation ? memory.last : undefined
      const utilization = utilizationBetween(previous?.eventLoop ?? { active: 0, idle: 0 }, reading.eventLoop)
      // Between the thread's own answers: one sample may wait on a silent thread while the others answered.
      const seconds = previous ? (reading.sampledAt - previous.sampledAt) / 1000 : 0
      const throughput = previous && seconds > 0 ? Math.max(0, reading.processed - previous.processed) / seconds : null
      memory.last = reading
      return this.#row(thread, memory, memory.incident ?? 'up', utilization, throughput)
    })
  }

  #row(thread: number, memory: ThreadMemory, status: ThreadStatus, utilization: number | null, throughput: number | null): ThreadRow {
    const last = memory.last
    return {
      thread,
      status,
      generation: last?.generation ?? 0,
      crashes: memory.crashes,
      actors: last?.actors,
      mailboxDepth: last?.mailboxDepth,
      processed: last?.processed,
      utilization,
      throughput,
      types: last?.types.map((figures): TypeRow => ({ type: figures.type, actors: figures.actors, mailboxDepth: figures.mailboxDepth, processed: figures.processed })),
      largestMailboxes: last?.largestMailboxes,
    }
  }
}
