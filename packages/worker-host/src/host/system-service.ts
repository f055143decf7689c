import { SPAWN, SPAWN_REQUEST, STOP_REQUEST } from '@troupe/core/internal'
import type { SpawnOrder, SpawnRequest } from '../protocol/control.js'
import { settle, type Envelope } from './envelope.js'
import type { SystemPort } from './host-options.js'

/** What a thread's system service needs from its host. */
export interface SystemServiceHost {
  readonly thread: number
  spawnHere(order: SpawnOrder): Promise<void>
  replyOk(envelope: Envelope, value: unknown): void
  replyError(envelope: Envelope, error: unknown): void
  undeliverable(recipient: number, envelope: Envelope, reason: 'not-found'): void
}

/**
 * A thread's system service: the messages addressed to its reserved id (`serviceId`), which no actor has.
 * `SPAWN` creates an actor here, as the main thread ordered; `SPAWN_REQUEST` and `STOP_REQUEST`
 * (main thread only) are a worker's spawn on another thread and stop of an actor main records,
 * handed to the system. Both are asks over the data plane:
 * batched with the other messages, answered like any ask, failed at once if a thread dies.
 */
export function serveSystemMessage(host: SystemServiceHost, system: SystemPort, envelope: Envelope): void {
  settle(envelope)
  const answer = (work: Promise<unknown>): void => {
    work.then(
      (value) => host.replyOk(envelope, value),
      (error: unknown) => host.replyError(envelope, error),
    )
  }
  if (envelope.selector === SPAWN) answer(host.spawnHere(envelope.body as SpawnOrder))
  else if (envelope.selector === SPAWN_REQUEST && host.thread === 0) {
    const [parent, request] = envelope.body as [number, SpawnRequest]
    answer(system.spawn(parent, request))
  } else if (envelope.selector === STOP_REQUEST && host.thread === 0) {
    const [id, exit, thread] = envelope.body as [number, boolean, number]
    answer(system.stop(id, exit, thread))
  } else host.undeliverable(host.thread, envelope, 'not-found')
}
