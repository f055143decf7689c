import { SpawnError, type Actor, type ActorLifecycle } from '@troupe/core'
import { ActorRefImpl, constructWithContext, creditWindow, decodeValue, fromWireError } from '@troupe/core/internal'
import type { SpawnOrder } from '../protocol/control.js'
import { RouterCell } from '../router/router-cell.js'
import { ROUTER_MODULE, RouterActor, type RouterArgs } from '../router/router-actor.js'
import { ActorCell } from './actor-cell.js'
import { HostedActorContext } from './actor-context.js'
import type { Host } from './host.js'
import type { LocalActors } from './local-actors.js'
import { messageHandlersOf } from './message-handlers.js'
import type { LoadedActorClass } from './module-registry.js'

/**
 * Creates an actor on this thread, as ordered by the system: its class (imported from an
 * allow-listed module), cell, context and instance. Resolves once `onStart` has completed;
 * messages sent meanwhile wait in its mailbox.
 */
export async function createActor(host: Host, actors: LocalActors, order: SpawnOrder, workerCount: number): Promise<void> {
  const isRouter = order.module === ROUTER_MODULE
  const actorClass = isRouter ? RouterActor : await host.registry.load(order.module, order.export)
  const args = order.args ? decodeValue(order.args, host) : []
  if (!Array.isArray(args)) throw new SpawnError(order.module, order.export, 'constructor arguments must be an array')
  const self = new ActorRefImpl(order.id, host.thread, order.name, host, undefined, creditWindow(order.mailbox, workerCount + 1), host.node)
  const parent = order.parent && host.refTo(order.parent.id, order.parent.thread, order.parent.name, order.parent.window)
  const handlers = messageHandlersOf(actorClass)
  const cell = isRouter ? new RouterCell(self, parent, handlers, host, order.mailbox, host.routing) : new ActorCell(self, parent, handlers, host, order.mailbox, order)
  const context = new HostedActorContext(cell, host)
  const construct = (constructorArgs: unknown[]): Actor & ActorLifecycle =>
    constructWithContext(context, () =>
      isRouter ? new RouterActor(cell as RouterCell, constructorArgs[0] as RouterArgs) : new (actorClass as LoadedActorClass)(...constructorArgs),
    )
  // Restarts build from the encoded arguments again, so no state leaks from the failed instance.
  const create = (): Actor & ActorLifecycle => construct(order.args ? (decodeValue(order.args, host) as unknown[]) : [])
  let instance: Actor & ActorLifecycle
  try {
    instance = construct(args)
  } catch (error) {
    throw new SpawnError(order.module, order.export, `the constructor threw: ${errorMessage(error)}`, { cause: error })
  }
  cell.attach(instance, context, { create })
  // Restored after its worker died: what was sent meanwhile comes first, in order.
  actors.add(cell)
  try {
    if (order.restartCause) await instance.onRestart?.(fromWireError(order.restartCause))
    await instance.onStart?.()
  } catch (error) {
    host.cellStopped(cell)
    for (const envelope of cell.mailbox.drain()) host.undeliverable(self, envelope, 'stopped')
    throw new SpawnError(order.module, order.export, `onStart failed: ${errorMessage(error)}`, { cause: error })
  }
  cell.started()
  // Re-created after its worker died: a restart by its supervisor, as `actor-restarted` says.
  if (order.restartCause) host.instrument?.restarted(cell)
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
