// The node's side of a cluster example (see node-process.ts for the launcher's side).
import { createInterface } from 'node:readline'
import type { ActorSystem } from 'troupe'

/**
 * Resolves once `node` is a member as this node sees it. A node that was up when this one joined
 * is a member from the start; one that joins later is announced by `node-up`.
 */
export async function waitForMember(system: ActorSystem, node: string, timeoutMs = 10_000): Promise<void> {
  const cluster = system.cluster
  if (!cluster) throw new Error('this system is not a cluster node')
  if (cluster.members().some((member) => member.node === node)) return
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node ${node} did not join within ${timeoutMs} ms`)), timeoutMs)
    const unsubscribe = system.events.subscribe((event) => {
      if (event.type === 'node-up' && event.node === node) {
        clearTimeout(timer)
        unsubscribe()
        resolve()
      }
    })
  })
}

/** Runs the launcher's commands (one per stdin line) in order, each after the previous one settled. */
export async function serveCommands(commands: Readonly<Record<string, () => Promise<void> | void>>): Promise<void> {
  for await (const line of createInterface({ input: process.stdin })) {
    const command = commands[line.trim()]
    if (command) await command()
  }
}
