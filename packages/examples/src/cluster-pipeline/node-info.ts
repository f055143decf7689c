import type { ActorRef } from 'troupe'
import type { Directory } from './directory.js'
import type { Outbox } from './outbox.js'

export interface NodeInfo {
  readonly directory: ActorRef<Directory>
  readonly node: string
  /** The outbox on node a: a ref of another node (except on a), passed on in a message. */
  readonly outbox: ActorRef<Outbox>
}

/** A handler actor's way to its node's directory (by name, on its own node), asked once. */
export async function findNode(lookup: (name: string) => Promise<ActorRef<Directory> | undefined>): Promise<NodeInfo> {
  const directory = await lookup('directory')
  if (!directory) throw new Error('no directory on this node')
  return { directory, ...(await directory.ask.info()) }
}
