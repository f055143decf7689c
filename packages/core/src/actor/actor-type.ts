import type { Actor } from './actor.js'

/** Any concrete actor class. Constructor arguments are typed per class through `ConstructorParameters`. */
export type ActorClass<A extends Actor = Actor> = new (...args: never[]) => A

/**
 * A reference to an actor class by module URL and export name, for spawning a class that this
 * thread has not imported. Create one with `actorType<typeof MyActor>(url, 'MyActor')`.
 */
export interface ActorTypeRef<C extends ActorClass = ActorClass> {
  readonly module: string
  readonly export: string
  /** Phantom: carries the class type for inference. Never set at run time. */
  readonly __class?: C
}

export function actorType<C extends ActorClass>(module: string | URL, exportName: string): ActorTypeRef<C> {
  return { module: module instanceof URL ? module.href : module, export: exportName }
}

export function isActorTypeRef(value: unknown): value is ActorTypeRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ActorTypeRef).module === 'string' &&
    typeof (value as ActorTypeRef).export === 'string'
  )
}
