/**
 * Internals shared with the `troupe` package (the thread host and the system). Not public API:
 * nothing here is covered by semver.
 */
export { ACTOR_BRAND, constructWithContext } from './actor/actor.js'
export { isActorTypeRef } from './actor/actor-type.js'
export { ActorRefImpl, DETACHED_RUNTIME, PIPE, RECEIVE, STOP, TERMINATED, describeRef } from './ref/actor-ref.js'
export type { RefRuntime, Selector } from './ref/actor-ref.js'
export { toWireError, fromWireError } from './errors/error-wire.js'
export type { WireError } from './errors/error-wire.js'
export * from './protocol/frames.js'
export { createDecoder, createEncoder, decodeValue, decodeWith, encodeValue } from './serialization/codec.js'
export { checkMessage } from './serialization/validate.js'
export { createMailbox, resolveMailbox } from './mailbox/mailbox.js'
export type { Mailbox, MailboxItem, ResolvedMailbox } from './mailbox/mailbox.js'
export { Deque } from './util/deque.js'
export { resolvePlacement, stableHash } from './placement/placement.js'
export type { ResolvedPlacement } from './placement/placement.js'
export { resolveSystemOptions, isModuleAllowed } from './options/system-options.js'
export type { ResolvedSystemOptions } from './options/system-options.js'
export { decide, resolveRestartType, resolveSupervision } from './supervision/supervision-options.js'
export type { ResolvedSupervision } from './supervision/supervision-options.js'
export { RestartIntensity } from './supervision/restart-intensity.js'
export { backoffDelay } from './supervision/backoff.js'
