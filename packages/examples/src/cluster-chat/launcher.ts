// The launcher of `pnpm example cluster-chat`: a nats-server, three node processes, the
// conversation in three phases with a SIGKILL in the middle, then the checks.
import { accessSync, constants } from 'node:fs'
import { findNatsServer, startNatsServer } from 'troupe/testkit'
import { checkClusterChat, SURVIVOR_POSTS, SURVIVORS, VICTIMS, type Check } from './checks.js'
import { NodeProcess, type Exit } from './node-process.js'
import { command, type NodeLine } from './protocol.js'
import { ALL_USERS, DOWN_AFTER_MS, HEARTBEAT_MS, HISTORY, KILL_AFTER_VICTIM_POSTS, NODES, PHASES, ROOM_NODE, VICTIM, type NodeName } from './scenario.js'
import { Changes } from './until.js'
import { HeardDisplay, Transcripts } from './transcripts.js'

export interface ClusterChatOptions {
  /** Where the example's lines go. */
  readonly log: (line: string) => void
  /** Also log every line the nodes print, as `raw <node> <json>` (the test reads them). */
  readonly raw?: boolean
}

export interface ClusterChatResult {
  readonly ok: boolean
  readonly checks: readonly Check[]
  /** No nats-server on this machine: nothing was run. */
  readonly missingNatsServer: boolean
}

/** A cold start under tsx compiles TypeScript in the process and in its worker: be generous. */
const READY_TIMEOUT_MS = 30_000
/** Slack for any wait on the nodes, beyond the time the wait is expected to take. */
const SLACK_MS = 10_000

const INSTALL_HELP = [
  'cluster-chat needs a NATS server, and troupe never downloads one. Install it, then run again:',
  '  Debian/Ubuntu: sudo apt-get install -y nats-server',
  '  macOS:         brew install nats-server',
  '  elsewhere:     https://docs.nats.io/running-a-nats-service/introduction/installation',
  'or point TROUPE_NATS_SERVER at a nats-server binary.',
]

/** The nats-server binary, if there is one that can run (TROUPE_NATS_SERVER is taken as given by findNatsServer). */
function natsServerBinary(): string | undefined {
  const binary = findNatsServer()
  if (binary === undefined) return undefined
  try {
    accessSync(binary, constants.X_OK)
    return binary
  } catch {
    return undefined
  }
}

const nodeOfUser = (user: string): NodeName => NODES.find((n) => (n.users as readonly string[]).includes(user))!.node
const sum = (counts: Readonly<Record<string, number>>): number => Object.values(counts).reduce((a, b) => a + b, 0)
const phaseTimeout = (phase: { readonly posts: number; readonly everyMs: number }): number => phase.posts * phase.everyMs + SLACK_MS

export async function runClusterChat(options: ClusterChatOptions): Promise<ClusterChatResult> {
  const { log, raw = false } = options
  const binary = natsServerBinary()
  if (binary === undefined) {
    for (const line of INSTALL_HELP) log(line)
    return { ok: false, checks: [], missingNatsServer: true }
  }

  const started = Date.now()
  const changes = new Changes()
  const transcripts = new Transcripts()
  const display = new HeardDisplay()
  const nodes = new Map<NodeName, NodeProcess>()
  const node = (name: NodeName): NodeProcess => nodes.get(name)!
  let dropped: { readonly users: readonly string[]; readonly members: readonly string[] } | undefined
  let finalMembers: readonly string[] = []
  let deadLettersAfterDrop = Number.NaN
  let failure: unknown

  const onLine = (name: NodeName, line: NodeLine | string): void => {
    if (typeof line === 'string') return log(`  [${name}] ${line}`)
    if (raw) log(`raw ${name} ${JSON.stringify(line)}`)
    if ('heard' in line) {
      transcripts.record(line.heard)
      display.add(line.heard)
    } else if ('event' in line && line.event.type === 'node-down') {
      log(`  [${name}] sees node ${line.event.node} down: ${line.event.reason ?? ''}`)
    } else if ('error' in line) {
      log(`  [${name}] error: ${line.error.message}`)
    }
  }

  /** The first line of `child` from index `from` on that `pick` accepts; fails if the node exits first. */
  const lineFrom = <T>(child: NodeProcess, what: string, timeoutMs: number, pick: (line: NodeLine) => T | undefined, from = 0): Promise<T> =>
    changes.until(`${what} from node ${child.name}`, timeoutMs, () => {
      for (let i = from; i < child.lines.length; i++) {
        const value = pick(child.lines[i]!)
        if (value !== undefined) return value
      }
      if (child.exit !== undefined) throw new Error(`node ${child.name} exited (${child.exit.signal ?? child.exit.code}) before ${what}`)
      return undefined
    })

  /** Every user of `listeners` has `count` posts from each of `senders`; fails if a node it needs has exited. */
  const allReceived = (what: string, timeoutMs: number, listeners: readonly string[], senders: readonly string[], count: number): Promise<true> =>
    changes.until(what, timeoutMs, () => {
      for (const user of listeners) {
        const exit = node(nodeOfUser(user)).exit
        if (exit !== undefined) throw new Error(`node ${nodeOfUser(user)} exited (${exit.signal ?? exit.code}) while waiting for ${what}`)
      }
      return transcripts.reached(listeners, senders, count) || undefined
    })

  const report = async (child: NodeProcess) => {
    const from = child.lines.length
    child.send(command.report)
    return lineFrom(child, 'a report', SLACK_MS, (line) => ('report' in line ? line.report : undefined), from)
  }

  const nats = await startNatsServer({ jetstream: false })
  // Whatever happens, leave no process behind: nodes first (they would otherwise try to
  // reconnect), then the server. Both steps are idempotent.
  const cleanUp = async (): Promise<void> => {
    await Promise.all([...nodes.values()].map((child) => child.kill()))
    await nats.stop()
  }
  // Stopped from outside (Ctrl-C, a test's guard): the server is not a child that dies with us.
  const onSignal = (signal: NodeJS.Signals): void => {
    void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143))
  }
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal)
  // Batches the nodes' lines for reading: one line per user per second.
  const ticker = setInterval(() => display.flush(log, nodeOfUser), 1000)
  const flush = (): void => display.flush(log, nodeOfUser)
  try {
    log(`cluster-chat: 3 node processes over NATS; a room on node ${ROOM_NODE}, users on every node`)
    log(`  nats-server ${binary} on ${nats.url} (pid ${nats.pid})`)

    const start = (name: NodeName): NodeProcess => {
      const child = new NodeProcess(name, nats.url, (line) => {
        onLine(name, line)
        changes.notify()
      }, () => changes.notify())
      nodes.set(name, child)
      return child
    }
    // All three start at once (a start is the slow part); they join the room once all are up, so
    // that the room exists when the others look it up.
    const children = NODES.map((n) => start(n.node))
    await Promise.all(children.map((child) => lineFrom(child, 'up', READY_TIMEOUT_MS, (line) => ('up' in line ? line.up : undefined))))
    for (const child of children) child.send(command.join)
    const readies = await Promise.all(children.map((child) => lineFrom(child, 'ready', SLACK_MS, (line) => ('ready' in line ? line.ready : undefined))))
    for (const up of readies) {
      const hosts = up.node === ROOM_NODE ? `hosts the room (named "room", history ${HISTORY}) and ` : 'looked up the room on a; '
      log(`  node ${up.node}: pid ${node(up.node as NodeName).pid}, node id ${up.id}; ${hosts}users ${up.users.join(', ')} joined it with their own refs`)
    }
    log(`  membership: a heartbeat every ${HEARTBEAT_MS} ms, a node silent for ${DOWN_AFTER_MS} ms is declared down`)

    log('')
    log(`phase 1: all ${ALL_USERS.length} users post ${PHASES.all.posts} messages, one every ${PHASES.all.everyMs} ms; the room broadcasts each one to every member, across nodes`)
    for (const child of nodes.values()) child.send(command.chat(PHASES.all.posts, PHASES.all.everyMs))
    await allReceived('every user to receive every phase-1 post', phaseTimeout(PHASES.all), ALL_USERS, ALL_USERS, PHASES.all.posts)
    flush()
    log(`  every user on every node received all ${ALL_USERS.length * PHASES.all.posts} posts`)

    log('')
    const watcher = SURVIVORS[0]!
    const victimSender = VICTIMS[0]!
    const killAfter = PHASES.all.posts + KILL_AFTER_VICTIM_POSTS
    log(`phase 2: everyone posts ${PHASES.kill.posts} more; once ${watcher} has heard ${victimSender}#${killAfter}, node ${VICTIM} is killed with SIGKILL`)
    for (const child of nodes.values()) child.send(command.chat(PHASES.kill.posts, PHASES.kill.everyMs))
    await changes.until(`${watcher} to hear ${victimSender}#${killAfter}`, phaseTimeout(PHASES.kill), () => transcripts.of(watcher, victimSender).length >= killAfter || undefined)
    flush()
    const victim = node(VICTIM)
    log(`  SIGKILL node ${VICTIM} (pid ${victim.pid}) at ${((Date.now() - started) / 1000).toFixed(1)} s: ${VICTIMS.join(' and ')} vanish mid-conversation, nobody is told`)
    const killedAt = Date.now()
    await victim.kill()
    const down = await lineFrom(node(ROOM_NODE), `the room to drop ${VICTIM}'s users`, DOWN_AFTER_MS + HEARTBEAT_MS + SLACK_MS, (line) =>
      'dropped' in line && line.dropped.node === VICTIM ? line.dropped : undefined,
    )
    dropped = down
    flush()
    log(`  the room dropped ${down.users.join(', ')} ${Date.now() - killedAt} ms after the kill (node ${VICTIM} id ${down.id} declared down); members: ${down.members.join(', ')}`)
    // What the room sent the victims against what their node printed: the difference went to a
    // dead process, and no one noticed (a tell over NATS is at-most-once, never acknowledged).
    const printed = (user: string): number => ALL_USERS.reduce((total, sender) => total + transcripts.of(user, sender).length, 0)
    log(`  the room had told ${down.users.map((user) => `${user} ${down.told[user] ?? 0}`).join(', ')} messages; node ${VICTIM} printed ${down.users.map((user) => `${printed(user)} for ${user}`).join(', ')} before it died: the rest were lost with it`)
    await allReceived("a's and b's users to receive all of each other's phase-2 posts", phaseTimeout(PHASES.kill), SURVIVORS, SURVIVORS, PHASES.all.posts + PHASES.kill.posts)
    flush()
    log(`  ${SURVIVORS.join(', ')} kept chatting: each received all ${PHASES.all.posts + PHASES.kill.posts} posts of the others so far`)
    const before = await report(node(ROOM_NODE))

    log('')
    log(`phase 3: with ${VICTIM} gone, ${SURVIVORS.join(', ')} post ${PHASES.after.posts} more`)
    const survivingNodes = NODES.filter((n) => n.node !== VICTIM).map((n) => node(n.node))
    for (const child of survivingNodes) child.send(command.chat(PHASES.after.posts, PHASES.after.everyMs))
    await allReceived('every survivor to receive every phase-3 post', phaseTimeout(PHASES.after), SURVIVORS, SURVIVORS, SURVIVOR_POSTS)
    flush()
    log(`  after the drop, ${SURVIVORS.join(', ')} received all ${PHASES.after.posts} new posts of each other`)
    const after = await report(node(ROOM_NODE))
    finalMembers = after.room?.members ?? []
    deadLettersAfterDrop = sum(after.deadLetters) - sum(before.deadLetters)
    const deadLetters = Object.entries(after.deadLetters).map(([reason, count]) => `${count} (${reason})`).join(', ') || 'none'
    log(`  room: ${after.room?.taken ?? '?'} posts taken; members ${finalMembers.join(', ')}; keeps the last ${HISTORY}: ${after.room?.kept.join(' ') ?? ''}`)
    // A broadcast to c's users after c was declared down but before the room heard of it is a
    // dead letter `node-down`: usually none, as the room learns within the same moment.
    log(`  dead letters on node ${ROOM_NODE}: ${deadLetters} in all, ${deadLettersAfterDrop} since the drop`)

    log('')
    log(`shutdown: "shutdown" on the stdin of ${survivingNodes.map((c) => c.name).join(' and ')}; each leaves the cluster and exits`)
    for (const child of survivingNodes) child.send(command.shutdown)
    await Promise.all(survivingNodes.map((child) => changes.until(`node ${child.name} to exit`, SLACK_MS + DOWN_AFTER_MS, () => child.exit)))
  } catch (error) {
    failure = error
    flush()
    log(`error: ${error instanceof Error ? error.message : String(error)}`)
  } finally {
    clearInterval(ticker)
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
    await cleanUp()
  }

  const exits: Record<string, Exit | undefined> = Object.fromEntries([...nodes].map(([name, child]) => [name, child.exit]))
  const checks = checkClusterChat({ transcripts, dropped, finalMembers, deadLettersAfterDrop, exits })
  log(`  nats-server stopped; ${NODES.map(({ node: name }) => `${name}: ${exits[name]?.signal ?? `exit ${exits[name]?.code ?? '?'}`}`).join(', ')}`)
  log('')
  // After a failure the checks still say what was seen, but on a run cut short.
  log(failure === undefined ? 'Checks' : 'Checks (on what happened before the run stopped)')
  for (const check of checks) log(`  ${check.passed ? 'ok  ' : 'FAIL'} ${check.detail}`)
  const ok = failure === undefined && checks.every((check) => check.passed)
  const took = `${((Date.now() - started) / 1000).toFixed(1)} s`
  log(ok ? `PASS: all ${checks.length} checks (${took})` : `FAIL: ${checks.filter((c) => !c.passed).length} checks failed${failure === undefined ? '' : ', and the run stopped early'} (${took})`)
  return { ok, checks, missingNatsServer: false }
}
