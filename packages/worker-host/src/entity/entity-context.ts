import type { ActorRef, EntityContext, ReminderSchedule, TopicPublisher } from '@troupe/core'
import { cellState } from '../host/cell-state.js'
import { afterCommit } from './durable-class.js'
import { EntityRefImpl } from '@troupe/core/internal'
import { HostedActorContext } from '../host/actor-context.js'
import type { ActorCell } from '../host/actor-cell.js'
import type { Host } from '../host/host.js'
import type { EntityActivation } from './entity-activation.js'

/** What an entity's context needs from its thread's entity shard. */
export interface EntityContextOwner {
  passivate(activation: EntityActivation): void
  remind(activation: EntityActivation, name: string, schedule: ReminderSchedule): Promise<void>
  cancelReminder(activation: EntityActivation, name: string): Promise<void>
}

/**
 * `this.ctx` of an entity: an actor's context whose `self` is the entity's own ref (type and key,
 * valid across passivation), with its key and its durable reminders. `stop()` of itself
 * passivates it: the entity exists logically, and its next message activates it again.
 */
export class HostedEntityContext extends HostedActorContext implements EntityContext {
  #self: EntityRefImpl | undefined
  readonly #activation: EntityActivation
  readonly #owner: EntityContextOwner
  readonly #cell: ActorCell
  readonly #host: Host

  constructor(cell: ActorCell, host: Host, activation: EntityActivation, owner: EntityContextOwner) {
    super(cell, host)
    this.#cell = cell
    this.#host = host
    this.#activation = activation
    this.#owner = owner
  }

  /** Made on first use: most entities never read it. */
  override get self(): ActorRef {
    return (this.#self ??= new EntityRefImpl(this.#activation.entityName, this.#activation.key, this.#host, undefined))
  }

  get key(): string {
    return this.#activation.key
  }

  override stop(ref?: ActorRef): void {
    if (ref === undefined || (ref instanceof EntityRefImpl && ref.entityName === this.#activation.entityName && ref.key === this.#activation.key)) {
      this.#owner.passivate(this.#activation)
      return
    }
    super.stop(ref)
  }

  /**
   * A topic whose publishes, made while the entity handles a message, leave once that message's
   * state is committed, and not at all if it fails: subscribers only hear of stored changes.
   */
  override topic<T>(name: string): TopicPublisher<T> {
    const publisher = super.topic<T>(name)
    const cell = this.#cell
    return {
      name: publisher.name,
      publish: (message: T) => {
        this.#host.topics.check(message)
        const instance = cellState.instance(cell)
        if (instance === undefined) publisher.publish(message)
        else afterCommit(instance, () => publisher.publish(message))
      },
    }
  }

  remind(name: string, schedule: ReminderSchedule): Promise<void> {
    return this.#owner.remind(this.#activation, name, schedule)
  }

  cancelReminder(name: string): Promise<void> {
    return this.#owner.cancelReminder(this.#activation, name)
  }
}
