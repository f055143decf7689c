import { StoreError } from '@troupe/core'
import { ENTITY, PUBLISH, SPAWN, SPAWNED, SPAWN_AT, SPAWN_REQUEST, STOP_CHILDREN_REQUEST, STOP_REQUEST, SUBSCRIBE, WATCH } from '@troupe/core/internal'
import type { ThreadEntities } from '../entity/thread-entities.js'
import type { ThreadTopics } from '../pubsub/thread-topics.js'
import type { SpawnOrder, SpawnRequest } from '../protocol/control.js'
import type { SpawnAtBody, SpawnAtReply, SpawnedBody } from '../protocol/spawn-wire.js'
import { settle, type Envelope } from './envelope.js'
import type { SystemPort } from './host-options.js'

/** What a thread's system service needs from its host. */
export interface SystemServiceHost {
  readonly thread: number
  spawnHere(order: SpawnOrder): Promise<void>
  readonly lifecycle: { spawnAt(body: SpawnAtBody, from: number): Promise<SpawnAtReply> }
  replyOk(envelope: Envelope, value: unknown): void
  replyError(envelope: Envelope, error: unknown): void
  undeliverable(recipient: number, envelope: Envelope, reason: 'not-found', error?: Error): void
  readonly topics: ThreadTopics
  readonly entities: ThreadEntities | undefined
}

const noPersistence = (): StoreError => new StoreError("entities need a store: start the system with the `persistence` option (e.g. { store: 'lmdb', path: './data' })")

/**
 * A thread's system service: the messages addressed to its reserved id (`serviceId`), which no actor has.
 * `SPAWN` creates an actor here, as the main thread ordered; `SPAWN_AT` (workers only) creates a
 * child another worker spawned here straight over the link. `SPAWN_REQUEST`, `STOP_REQUEST`,
 * `STOP_CHILDREN_REQUEST` and `SPAWNED` (main thread only) are a worker's spawn through main, stop
 * of an actor main records, stop of the children main records for an actor of its local tree, and
 * record of a child it spawned on another worker, handed to the system. They travel the data
 * plane: batched with the other messages, in order on each link, answered like any ask (`SPAWNED`
 * is a tell), failed at once if a thread dies. `ENTITY` (a message for an entity that lives here)
 * and `PUBLISH`/`SUBSCRIBE` (pub/sub) are handed to this thread's entities and topics.
 */
export function serveSystemMessage(host: SystemServiceHost, system: SystemPort, envelope: Envelope): void {
  const { selector } = envelope
  // Handed on, not answered here: settled (or answered) by whoever processes them.
  if (selector === PUBLISH || selector === SUBSCRIBE) return host.topics.received(envelope)
  if (selector === ENTITY) {
    if (host.entities !== undefined) host.entities.deliver(envelope)
    else host.undeliverable(host.thread, envelope, 'not-found', noPersistence())
    return
  }
  settle(envelope)
  const answer = (work: Promise<unknown>): void => {
    work.then(
      (value) => host.replyOk(envelope, value),
      (error: unknown) => host.replyError(envelope, error),
    )
  }
  if (envelope.selector === SPAWN) answer(host.spawnHere(envelope.body as SpawnOrder))
  else if (envelope.selector === SPAWN_AT && host.thread !== 0) answer(host.lifecycle.spawnAt(envelope.body as SpawnAtBody, envelope.senderThread))
  else if (envelope.selector === SPAWNED && host.thread === 0) system.spawned(envelope.body as SpawnedBody)
  else if (envelope.selector === STOP_CHILDREN_REQUEST && host.thread === 0) answer(system.stopChildren(envelope.body as number))
  else if (envelope.selector === SPAWN_REQUEST && host.thread === 0) {
    const [parent, request] = envelope.body as [number, SpawnRequest]
    answer(system.spawn(parent, request))
  } else if (envelope.selector === WATCH && host.thread === 0) {
    // From another node: its watcher is on the sender's thread there (a remote link number here).
    const [watcher, watched, watchedThread, on] = envelope.body as [number, number, number, boolean]
    answer(system.watch(watcher, envelope.senderThread, watched, watchedThread, on))
  } else if (envelope.selector === STOP_REQUEST && host.thread === 0) {
    const [id, exit, thread] = envelope.body as [number, boolean, number]
    answer(system.stop(id, exit, thread))
  } else host.undeliverable(host.thread, envelope, 'not-found')
}
