// troupe: the package applications import. It re-exports the whole public API of @troupe/core
// (actors, refs, errors, types) and adds the system that runs actors on worker threads.
export * from '@troupe/core'
export { ActorSystem } from './system/actor-system.js'
export type { SpawnArguments, SystemStats, ThreadStats } from './system/actor-system.js'
export type { DeadLetter, DeadLetters } from './system/dead-letters.js'
export type { SystemEvent } from './system/system-events.js'
export type { Subscribable } from './util/topic.js'
export type { HostStats } from './protocol/control.js'
