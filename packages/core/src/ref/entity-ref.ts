import type { Ask, Send, Tell } from '../actor/message-types.js'
import { ActorRefImpl, ENTITY, messageFunction, type ActorAddress, type ActorRef, type MessageOptions, type RefRuntime, type Selector } from './actor-ref.js'
import { checkMessageOptions } from './message-options.js'

/**
 * @internal A ref to an entity: its type's name and its key, nothing that depends on where or
 * whether it is active, so it stays valid across passivation, worker replacement and process
 * restarts, and can be stored. Its messages go to the system service of the thread the entity
 * hashes to (`RefRuntime.entityTarget`), wrapped as `ENTITY` messages, which hand them on.
 */
export class EntityRefImpl<A = unknown> implements ActorRef<A> {
  #target: ActorRefImpl | undefined
  /** The runtime's placement epoch when `#target` was found. */
  #epoch: number | undefined
  #tell: Tell<A> | undefined
  #ask: Ask<A> | undefined
  #send: Send<A> | undefined

  constructor(
    readonly entityName: string,
    readonly key: string,
    readonly runtime: RefRuntime,
    readonly options: MessageOptions | undefined,
  ) {}

  /**
   * The system service its messages go to, found once (a thread slot keeps its service id), and
   * again when the placement changes (a cluster's members changed: the entity may live elsewhere).
   */
  get target(): ActorRefImpl {
    const epoch = this.runtime.placementEpoch
    if (this.#target !== undefined && this.#epoch === epoch) return this.#target
    if (this.runtime.entityTarget === undefined) throw new Error(`${this.toString()} is not attached to a running actor system`)
    this.#epoch = epoch
    const target = this.runtime.entityTarget(this.entityName, this.key)
    this.#target = this.options === undefined ? target : new ActorRefImpl(target.id, target.home, target.name, target.runtime, this.options, 0, target.node)
    return this.#target
  }

  /** The id of the service that activates it: entities have no id of their own that lasts. */
  get id(): number {
    return this.target.id
  }

  get address(): ActorAddress {
    return this.target.address
  }

  get name(): string | undefined {
    return undefined
  }

  #wrap(selector: Selector, body: unknown): [string, string, Selector, unknown] {
    return [this.entityName, this.key, selector, body]
  }

  get tell(): Tell<A> {
    return (this.#tell ??= messageFunction<Tell<A>>((selector, body) => this.runtime.tell(this.target, ENTITY, this.#wrap(selector, body))))
  }

  get ask(): Ask<A> {
    return (this.#ask ??= messageFunction<Ask<A>>((selector, body) => this.runtime.ask(this.target, ENTITY, this.#wrap(selector, body), this.options)))
  }

  get send(): Send<A> {
    return (this.#send ??= messageFunction<Send<A>>((selector, body) => this.runtime.send(this.target, ENTITY, this.#wrap(selector, body))))
  }

  with(options: MessageOptions): ActorRef<A> {
    return new EntityRefImpl<A>(this.entityName, this.key, this.runtime, { ...this.options, ...checkMessageOptions(options) })
  }

  /** Same entity: same type name and key (refs to it made anywhere are interchangeable). */
  equals(other: unknown): boolean {
    return other instanceof EntityRefImpl && other.entityName === this.entityName && other.key === this.key
  }

  toString(): string {
    return `entity ${this.entityName}/${this.key}`
  }
}
