// troupe: the package applications import. It re-exports the public API of @troupe/core
// (actors, refs, errors, types) and adds the system that runs actors on worker threads.
export {
  Actor,
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
  StateEncodeError,
  StopTimeoutError,
  StoreConflictError,
  StoreError,
  ClusterError,
  NodeDownError,
  SupervisionError,
  SystemShutdownError,
  TaskNotAllowedError,
  TaskNotFoundError,
  TroupeError,
  UnknownMessageError,
  WorkerCrashedError,
  actorType,
  Entity,
  EventSourcedEntity,
  entityType,
  isActorClass,
  isEntityClass,
  registerErrorClass,
  taskType,
} from '@troupe/core'
export type {
  ActorClass,
  ActorContext,
  ActorLifecycle,
  ActorAddress,
  ActorRef,
  UntypedActorRef,
  ActorSystemOptions,
  ActorTypeRef,
  Ask,
  AskErrorPolicy,
  Cancellable,
  AskMethods,
  BackoffOptions,
  DeadLetterReason,
  DeliveryGuarantee,
  Directive,
  EntityClass,
  EntityOptions,
  PersistenceOptions,
  ClusterOptions,
  EntityContext,
  EntityLifecycle,
  EntityTypeRef,
  ReminderSchedule,
  SubscriberMethod,
  Subscription,
  Topic,
  TopicPublisher,
  MetricsOptions,
  ActorSystemClock,
  MailboxOptions,
  DeferredReply,
  GroupRouter,
  HashKeyPath,
  MessageMethodName,
  MessageOf,
  MessageOptions,
  MessagePriority,
  OffloadOptions,
  OffloadPoolOptions,
  OverflowPolicy,
  Placement,
  PoolRouter,
  PoolRouterOptions,
  ReentrancyMode,
  ReplyFor,
  ReplyOf,
  ReplyValue,
  RestartType,
  RoutedMessage,
  RouteeOptions,
  RouterOptions,
  RouterRef,
  RoutingStrategy,
  Send,
  SendMethods,
  SpawnOptions,
  SupervisionOptions,
  SupervisionStrategy,
  TaskFunction,
  TaskName,
  TaskInput,
  TaskOutput,
  TaskRef,
  Tell,
  TellMethods,
} from '@troupe/core'
export { ActorSystem } from './system/actor-system.js'
export type { SpawnArguments, SystemStats, ThreadStats } from './system/actor-system.js'
export type { SpareWorkerState } from './system/spare-worker.js'
export type { RegistryStats } from './system/system-runtime.js'
export type { DeadLetter, DeadLetters } from './system/dead-letters.js'
export type { SystemEvent } from './system/system-events.js'
export type { Cluster, ClusterMember, MemberState } from './cluster/cluster-node.js'
export type { Subscribable } from './util/topic.js'
export type { HostStats } from './protocol/control.js'
export type { OffloadStats } from './offload/offload-pool.js'
// Metrics (`system.metrics()`, `system.serveMetrics()`; see docs/observability.md).
export type { MetricsServer, MetricsServerOptions } from './metrics/metrics-server.js'
export type { ListenOptions } from './util/listen-options.js'
export type { MetricsSnapshot, WorkerFigures } from './metrics/system-metrics.js'
export type { ActorTypeFigures, HistogramData, MailboxFigure, ThreadSnapshot } from './metrics/thread-snapshot.js'
// diagnostics_channel names and the context objects their events carry.
export { TROUPE_CHANNELS } from './diagnostics/channels.js'
export type { MessageHandlingContext, RestartContext, SpawnContext } from './diagnostics/channels.js'
// The live dashboard (`system.serveDashboard`).
export type { DashboardHandle, DashboardOptions } from './dashboard/start-dashboard.js'
// Benchmarking users' own workloads (`troupe bench`), and the statistics the harness judges with.
export * from './bench/index.js'
// Durable handlers on NATS JetStream (`system.stream(name)`; see docs/durable-handlers.md).
export { AttemptsExhaustedError, EventDecodeError, JobProcessExitedError, JobTimeoutError } from '@troupe/core'
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
} from '@troupe/core'
