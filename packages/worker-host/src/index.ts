// troupe: the package applications import. It re-exports the public API of @troupe/core
// (actors, refs, errors, types) and adds the system that runs actors on worker threads.
export {
  Actor,
  ActorNameTakenError,
  ActorNotAllowedError,
  ActorNotFoundError,
  ActorStoppedError,
  AskTimeoutError,
  InvalidOptionError,
  MessageEncodeError,
  MessageTooLargeError,
  OffloadQueueFullError,
  SpawnError,
  SupervisionError,
  SystemShutdownError,
  TaskNotAllowedError,
  TroupeError,
  UnknownMessageError,
  WorkerCrashedError,
  actorType,
  isActorClass,
  taskType,
} from '@troupe/core'
export type {
  ActorClass,
  ActorContext,
  ActorLifecycle,
  ActorRef,
  ActorSystemOptions,
  ActorTypeRef,
  Ask,
  AskMethods,
  AskOptions,
  BackoffOptions,
  DeadLetterReason,
  Directive,
  DeferredReply,
  MessageMethodName,
  MessageOf,
  OffloadOptions,
  OffloadPoolOptions,
  Placement,
  ReplyOf,
  ReplyValue,
  RestartType,
  SpawnOptions,
  SupervisionOptions,
  SupervisionStrategy,
  TaskFunction,
  TaskInput,
  TaskOutput,
  TaskRef,
  Tell,
  TellMethods,
} from '@troupe/core'
export { ActorSystem } from './system/actor-system.js'
export type { SpawnArguments, SystemStats, ThreadStats } from './system/actor-system.js'
export type { DeadLetter, DeadLetters } from './system/dead-letters.js'
export type { SystemEvent } from './system/system-events.js'
export type { Subscribable } from './util/topic.js'
export type { HostStats } from './protocol/control.js'
export type { OffloadStats } from './offload/offload-pool.js'
