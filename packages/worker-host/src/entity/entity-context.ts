import type { ActorRef, EntityContext, ReminderSchedule } from '@troupe/core'
import type { EntityRefImpl } from '@troupe/core/internal'
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
  readonly #self: EntityRefImpl
  readonly #activation: EntityActivation
  readonly #owner: EntityContextOwner

  constructor(cell: ActorCell, host: Host, self: EntityRefImpl, activation: EntityActivation, owner: EntityContextOwner) {
    super(cell, host)
    this.#self = self
    this.#activation = activation
    this.#owner = owner
  }

  override get self(): ActorRef {
    return this.#self
  }

  get key(): string {
    return this.#activation.key
  }

  override stop(ref?: ActorRef): void {
    if (ref === undefined || ref === this.#self || (ref as { equals?: (other: unknown) => boolean }).equals?.(this.#self) === true) {
      this.#owner.passivate(this.#activation)
      return
    }
    super.stop(ref)
  }

  remind(name: string, schedule: ReminderSchedule): Promise<void> {
    return this.#owner.remind(this.#activation, name, schedule)
  }

  cancelReminder(name: string): Promise<void> {
    return this.#owner.cancelReminder(this.#activation, name)
  }
}
