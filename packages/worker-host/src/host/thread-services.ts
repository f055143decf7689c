import { ThreadEntities } from '../entity/thread-entities.js'
import { ThreadTopics } from '../pubsub/thread-topics.js'
import { serviceId } from './actor-ids.js'
import type { Host } from './host.js'
import type { HostOptions } from './host-options.js'
import type { LocalActors } from './local-actors.js'

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)))

/**
 * The services a thread runs beside its actors: pub/sub topics (always: they cost nothing until
 * used), and entities with their reminders (only with the system's `persistence`). Failures they
 * see are reported as `actor-failed` events, like an actor's.
 */
export function threadServices(host: Host, actors: LocalActors, options: HostOptions): { topics: ThreadTopics; entities: ThreadEntities | undefined } {
  const topics = new ThreadTopics({
    thread: options.thread,
    actors,
    maxMessageBytes: options.maxMessageBytes,
    service: (thread) => host.refTo(serviceId(thread), thread),
    tell: (ref, selector, body) => host.tell(ref, selector, body),
    listenerFailed: (error) => host.lifecycle.publish({ type: 'actor-failed', actor: 0, error: asError(error), directive: 'resume' }),
  })
  // On a node of a cluster, main's topics span the nodes.
  if (topics.directory && host.cluster) host.cluster.bridgeTopics(topics.directory, host)
  const entities =
    options.entities &&
    new ThreadEntities(host, actors, options.entities, options.workerCount, options.maxMessageBytes, (actor, error) => host.lifecycle.publish({ type: 'actor-failed', actor, error, directive: 'restart' }))
  return { topics, entities }
}
