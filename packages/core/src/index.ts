export { Actor, isActorClass } from './actor/actor.js'
export type { ActorLifecycle } from './actor/actor.js'
export { Entity, entityType, isEntityClass } from './actor/entity.js'
export { EventSourcedEntity } from './actor/event-sourced-entity.js'
export type { SubscriberMethod, Subscription, Topic, TopicPublisher } from './pubsub/topic.js'
export type { EntityClass, EntityContext, EntityLifecycle, EntityTypeRef, ReminderSchedule } from './actor/entity.js'
export type { ActorContext, Cancellable, DeferredReply } from './actor/context.js'
export { actorType } from './actor/actor-type.js'
export type { ActorClass, ActorTypeRef } from './actor/actor-type.js'
export type {
  Ask,
  AskMethods,
  MessageMethodName,
  Send,
  SendMethods,
  MessageOf,
  ReplyFor,
  ReplyOf,
  ReplyValue,
  Tell,
  TellMethods,
} from './actor/message-types.js'
export type { ActorAddress, ActorRef, MessageOptions, UntypedActorRef } from './ref/actor-ref.js'
export type { Placement } from './placement/placement.js'
export type { AskErrorPolicy, LocalSpawnOptions, ReentrancyMode, RemoteSpawnOptions, SpawnOptions } from './options/spawn-options.js'
export type {
  GroupRouter,
  HashKeyPath,
  PoolRouter,
  PoolRouterOptions,
  RoutedMessage,
  RouteeOptions,
  RouterOptions,
  RouterRef,
  RoutingStrategy,
} from './router/router-options.js'
export type { MailboxOptions, MessagePriority, OverflowPolicy } from './mailbox/mailbox.js'
export type { ActorSystemOptions, OffloadPoolOptions, DeliveryGuarantee, MetricsOptions } from './options/system-options.js'
export type { EntityOptions, PersistenceOptions } from './options/persistence-options.js'
export type { ClusterOptions } from './options/cluster-options.js'
export type { ActorSystemClock } from './options/system-clock.js'
export { taskType } from './offload/task-ref.js'
export type { OffloadOptions, TaskFunction, TaskInput, TaskName, TaskOutput, TaskRef } from './offload/task-ref.js'
export type { DeadLetterReason } from './protocol/dead-letter-reason.js'
export type { BackoffOptions, Directive, RestartType, SupervisionOptions, SupervisionStrategy } from './supervision/supervision-options.js'
export {
  ActorNameTakenError,
  ActorNotAllowedError,
  ActorNotFoundError,
  ActorStoppedError,
  AskTimeoutError,
  ControlTimeoutError,
  HandlerTimeoutError,
  InvalidOptionError,
  MailboxFullError,
  MessageEncodeError,
  MessageTooLargeError,
  NoRouteeError,
  OffloadQueueFullError,
  OffloadTimeoutError,
  ShutdownTimeoutError,
  SpawnError,
  SpawnTimeoutError,
  StopTimeoutError,
  SupervisionError,
  SystemShutdownError,
  TaskNotAllowedError,
  TaskNotFoundError,
  TroupeError,
  UnknownMessageError,
  WorkerCrashedError,
} from './errors/errors.js'
export { StateEncodeError, StoreConflictError, StoreError } from './errors/persistence-errors.js'
export { ClusterError, NodeDownError } from './errors/cluster-errors.js'
export { registerErrorClass } from './errors/error-wire.js'
export type {
  ActorHandlerOptions,
  ActorOptionsFor,
  DeadLetterEvent,
  DeadLetterError,
  DurableHandler,
  DurableMiddleware,
  DurableStream,
  EntityHandlerOptions,
  HandlerOptions,
  HandlerStats,
  JobContext,
  JobInfo,
  JobMethodName,
  JobOutcome,
  JobPriority,
  PublishOptions,
  PublishReceipt,
  ReadOptions,
  StoredEvent,
  TaskExecution,
  TaskFits,
  TaskHandlerOptions,
} from './durable/durable-types.js'
export { AttemptsExhaustedError, EventDecodeError, JobProcessExitedError, JobTimeoutError } from './durable/durable-errors.js'
