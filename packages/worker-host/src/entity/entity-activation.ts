import type { Actor, ActorContext } from '@troupe/core'
import { constructWithContext, isEventSourcedClass, type RefRuntime } from '@troupe/core/internal'
import type { ActorCell } from '../host/actor-cell.js'
import type { InstanceFactory } from '../host/cell-host.js'
import type { Envelope } from '../host/envelope.js'
import type { LoadedActorClass } from '../host/module-registry.js'
import type { EntityStore } from '../persistence/store/entity-store.js'
import { durableClassOf, KEEPER, type StateKeeper } from './durable-class.js'
import { JournalKeeper } from './journal-keeper.js'
import { SnapshotKeeper } from './snapshot-keeper.js'

/** Where an activation is in its life (see `EntityShard`). */
export type ActivationPhase = 'loading' | 'active' | 'passivating'

/** How an entity's durable state is kept: a state snapshot per message, or a journal of events. */
export interface Keeper extends StateKeeper {
  /** Reads what the store holds (once per activation: after a passivation it is current already). */
  load(): Promise<void>
  /** Gives a fresh instance the committed state (replaying the journal the first time). */
  restore(instance: object): void
}

/** One entity type on a thread, found once and shared by all its activations. */
export interface EntityKind {
  readonly store: EntityStore
  /** Where refs inside a decoded state attach. */
  readonly runtime: RefRuntime
  readonly maxMessageBytes: number
  readonly entityClass: LoadedActorClass
  /** What it is instantiated as (see `durableClassOf`). */
  readonly durableClass: LoadedActorClass
  readonly eventSourced: boolean
  readonly idleTimeoutMs: number
}

/** Makes the kind of `entityClass` (once per type and thread). */
export function entityKind(entityClass: LoadedActorClass, store: EntityStore, runtime: RefRuntime, maxMessageBytes: number, idleTimeoutMs: number): EntityKind {
  return { store, runtime, maxMessageBytes, entityClass, durableClass: durableClassOf(entityClass), eventSourced: isEventSourcedClass(entityClass), idleTimeoutMs }
}

/**
 * One entity's activation on this thread: its cell while it is active, the messages that wait
 * while it loads or passivates, and its keeper, which holds the durable state as last committed.
 * It makes the instances (`InstanceFactory`): a restart after a failure gets a fresh instance
 * with the committed state, never the failed message's half.
 */
export class EntityActivation implements InstanceFactory {
  phase: ActivationPhase = 'loading'
  cell: ActorCell | undefined
  /** The revision of its cluster lease while this node holds it (sharded entities only). */
  lease: number | undefined
  /** Set when it passivates because it belongs to another node now: what waits then goes there. */
  handOver = false
  /** Messages that arrived while it was loading or passivating, in order. */
  waiting: Envelope[] = []
  /** The shard's sweep count when the last message was handed to it (see `EntityShard`). */
  lastActive = 0
  /** Set once its class is known (see `useKind`). */
  durableClass: LoadedActorClass | undefined
  keeper: Keeper | undefined
  idleTimeoutMs = 0
  /** A restart after a failure is under way (a failure meanwhile stops it instead). */
  restarting = false

  constructor(
    readonly entityName: string,
    readonly key: string,
    /** `<entityName>/<key>`: its id in the store. */
    readonly storeId: string,
  ) {}

  /** Its type is known: the keeper that suits it (a journal for an event-sourced entity). */
  useKind(kind: EntityKind): void {
    this.durableClass = kind.durableClass
    this.idleTimeoutMs = kind.idleTimeoutMs
    this.keeper = kind.eventSourced ? new JournalKeeper(kind, this.storeId) : new SnapshotKeeper(kind, this.storeId)
  }

  create(context: ActorContext): Actor {
    const durable = this.durableClass!
    const instance = constructWithContext(context, () => new durable()) as Actor & Record<PropertyKey, unknown>
    this.keeper!.restore(instance)
    instance[KEEPER] = this.keeper!
    return instance
  }
}
