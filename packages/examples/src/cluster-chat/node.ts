// One node of `pnpm example cluster-chat`, run as its own process by the launcher:
//   node node.js <nats-url> <node-name>
// It joins the cluster, hosts the room (node a) or looks it up on node a, spawns its users, joins
// them to the room, and prints JSON lines (protocol.ts). Commands on stdin: `join`,
// `chat <posts> <everyMs>`, `report`, `shutdown`.
import { createInterface } from 'node:readline'
import { ActorSystem, type ActorRef } from 'troupe'
import { CLUSTER_CHAT_ACTOR_MODULES } from './actor-modules.js'
import { ClusterChatRoom } from './chat-room.js'
import { ClusterChatUser } from './chat-user.js'
import { exitAfterOutput, printLine } from './protocol.js'
import { Reporter } from './reporter.js'
import { DOWN_AFTER_MS, HEARTBEAT_MS, HISTORY, NODES, ROOM_NAME, ROOM_NODE, usersOf, type NodeName } from './scenario.js'

/** How long a node waits for the room's node to appear among the members. */
const MEMBER_TIMEOUT_MS = 10_000

const isNodeName = (name: string | undefined): name is NodeName => NODES.some((n) => n.node === name)
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** Resolves once `name` is a live member as this node sees it (its first heartbeat can still be on its way). */
function untilMember(system: ActorSystem, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe()
      reject(new Error(`node ${name} did not join within ${MEMBER_TIMEOUT_MS} ms`))
    }, MEMBER_TIMEOUT_MS)
    // Subscribed before looking at members(), so that a node-up in between is not missed.
    const unsubscribe = system.events.subscribe((event) => {
      if (event.type === 'node-up' && event.node === name) done()
    })
    function done(): void {
      clearTimeout(timer)
      unsubscribe()
      resolve()
    }
    if (system.cluster!.members().some((m) => m.node === name)) done()
  })
}

/** Runs the node until `shutdown` (or until stdin closes); resolves with the exit code. */
async function run(servers: string, node: NodeName): Promise<number> {
  let system: ActorSystem
  try {
    system = await ActorSystem.start({
      // One worker per node: the point here is nodes. With one worker each, the room, its members
      // and the printers are still on different threads of different processes.
      workers: 1,
      actors: CLUSTER_CHAT_ACTOR_MODULES,
      cluster: { servers, node, heartbeatMs: HEARTBEAT_MS, downAfterMs: DOWN_AFTER_MS },
    })
  } catch (error) {
    printLine({ error: { message: messageOf(error) } })
    return 1
  }
  let closing = false
  try {
    // The room is named, so that the other nodes find it with `lookup(name, { node })`.
    const hosted = node === ROOM_NODE ? await system.spawn(ClusterChatRoom, { name: ROOM_NAME, placement: { worker: 0 }, args: ['lobby', HISTORY] }) : undefined

    system.events.subscribe((event) => {
      if (event.type === 'node-up') printLine({ event: { type: event.type, node: event.node, id: event.id } })
      if (event.type !== 'node-down') return
      printLine({ event: { type: event.type, node: event.node, id: event.id, reason: event.reason } })
      // `system.events` is this process's main program, and the room an actor on a worker: the
      // node that hosts it forwards each node-down to it as a message.
      if (hosted === undefined || event.self || closing) return
      hosted.ask.nodeDown(event.id).then(
        (dropped) => printLine({ dropped: { node: event.node, id: event.id, ...dropped } }),
        (error: unknown) => {
          // While shutting down the room may be gone already: expected, not worth a line.
          if (!closing) printLine({ error: { message: `nodeDown(${event.node}): ${messageOf(error)}` } })
        },
      )
    })

    const reporter = await system.spawn(Reporter, { placement: 'main' })
    const users: ActorRef<ClusterChatUser>[] = []
    for (const name of usersOf(node)) users.push(await system.spawn(ClusterChatUser, { name: `user:${name}`, placement: { worker: 0 }, args: [name] }))
    // Up, with the room if it is ours. The nodes start at the same time; the launcher says `join`
    // once every node is up, so the room is there to be looked up.
    printLine({ up: { node, id: system.cluster!.id } })

    for await (const line of createInterface({ input: process.stdin })) {
      const [verb, ...args] = line.trim().split(/\s+/)
      if (verb === 'join') {
        // The room's node may not be among the members yet as this node sees it (its first heartbeat can still be on its way).
        await untilMember(system, ROOM_NODE)
        // The same call on every node: on the room's own node it is a local lookup.
        const room = await system.lookup<ClusterChatRoom>(ROOM_NAME, { node: ROOM_NODE })
        if (room === undefined) throw new Error(`no actor named ${ROOM_NAME} on node ${ROOM_NODE}`)
        await Promise.all(users.map((user) => user.ask.join(room, reporter)))
        printLine({ ready: { node, id: system.cluster!.id, users: usersOf(node) } })
      } else if (verb === 'chat') {
        const [posts = 0, everyMs = 0] = args.map(Number)
        for (const user of users) user.tell.chatter(posts, everyMs)
      } else if (verb === 'report') {
        const roomState = hosted === undefined ? undefined : await hosted.ask.state()
        printLine({ report: { deadLetters: { ...system.deadLetters.countsByReason }, ...(roomState === undefined ? {} : { room: roomState }) } })
      } else if (verb === 'shutdown') {
        break
      }
    }
    // `shutdown`, or the launcher went away (stdin closed): leave the cluster at once rather than
    // be found dead by the others after `downAfterMs`.
    closing = true
    await system.shutdown()
    printLine({ stopped: true })
    return 0
  } catch (error) {
    printLine({ error: { message: messageOf(error) } })
    closing = true
    await system.shutdown().catch(() => undefined)
    return 1
  }
}

const [servers, node] = process.argv.slice(2)
if (servers === undefined || !isNodeName(node)) {
  printLine({ error: { message: `usage: node.js <nats-url> <${NODES.map((n) => n.node).join('|')}>` } })
  exitAfterOutput(2)
} else {
  exitAfterOutput(await run(servers, node))
}
