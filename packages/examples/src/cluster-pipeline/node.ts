// One node of cluster-pipeline, run as its own process by the launcher (run.ts):
//   node node.js <nats url> <node name>
// It joins the cluster and registers, like every node, the `send-welcome` handler of the
// `user-registered` stream and the `report-dead` handler of its dead letters. JSON lines out:
// ready, each attempt (a middleware: attempt n of 4, retry delay), each mail, each dead letter;
// node a also says when every deliverable user has a mail. Commands on stdin: `publish` (this
// node's users register), `finish` (stats, and on node a the dead letters as stored; then exit).
import { ActorSystem, type ActorRef, type DurableMiddleware } from 'troupe'
import { serveCommands, waitForMember } from '../shared/cluster-node.js'
import { printLine } from '../shared/node-process.js'
import { CLUSTER_PIPELINE_ACTOR_MODULES } from './actor-modules.js'
import { DeadLetterDesk } from './dead-letter-desk.js'
import { Directory } from './directory.js'
import { Mailer } from './mailer.js'
import { Outbox } from './outbox.js'
import { DEAD_HANDLER, HANDLER, MAX_ATTEMPTS, MAX_JOBS, OUTBOX_NODE, RETRY_DELAY_MS, STREAM } from './settings.js'
import { ALL_USERS, DOUBLE_SUBMIT_NODE, DOUBLE_SUBMITTED, NODES, POISON, USERS, type NodeName, type UserRegistered } from './users.js'

const [servers, nodeArgument] = process.argv.slice(2)
const node = nodeArgument as NodeName
if (!servers || !NODES.includes(node)) throw new Error(`usage: node node.js <nats url> <${NODES.join('|')}>`)

const system = await ActorSystem.start({
  // One worker thread per node: three nodes share a small machine here.
  workers: 1,
  actors: CLUSTER_PIPELINE_ACTOR_MODULES,
  cluster: { servers, node },
})

let outbox: ActorRef<Outbox>
if (node === OUTBOX_NODE) {
  outbox = await system.spawn(Outbox, { name: 'outbox', placement: 'main' })
} else {
  await waitForMember(system, OUTBOX_NODE)
  const found = await system.lookup<Outbox>('outbox', { node: OUTBOX_NODE })
  if (!found) throw new Error(`no outbox on node ${OUTBOX_NODE}`)
  outbox = found
}
await system.spawn(Directory, { name: 'directory', placement: 'main', args: [node, outbox] })

// The attempt log: walnats's middleware example. `after` prints synchronously as the attempt is
// settled, before its ack or nak leaves the process.
const attemptLog: DurableMiddleware<UserRegistered> = {
  before: (job) => printLine({ type: 'started', node, user: job.event.id, seq: job.seq, attempt: job.attempt, maxAttempts: job.maxAttempts, at: Date.now() }),
  after(job, outcome) {
    const failure = outcome.status === 'done' ? {} : { error: outcome.error.message }
    const delay = outcome.status === 'retry' ? { delayMs: outcome.delayMs } : {}
    printLine({ type: 'settled', node, user: job.event.id, seq: job.seq, attempt: job.attempt, status: outcome.status, at: Date.now(), ...failure, ...delay })
  },
}

const registered = system.stream<UserRegistered>(STREAM)
const mailer = await registered.handle(Mailer, 'sendWelcome', {
  name: HANDLER,
  maxJobs: MAX_JOBS,
  maxAttempts: MAX_ATTEMPTS,
  retryDelayMs: RETRY_DELAY_MS,
  middlewares: [attemptLog],
})
const desk = await registered.deadLetters.handle(DeadLetterDesk, 'report', { name: DEAD_HANDLER, maxJobs: 1 })

if (node === OUTBOX_NODE) {
  // Done when every user but the poison one has a mail.
  const deliverable = ALL_USERS.filter((user) => user.id !== POISON).length
  void outbox.with({ timeoutMs: 120_000 }).ask.whenSent(deliverable).then((snapshot) => printLine({ type: 'complete', node, snapshot }))
}
printLine({ type: 'ready', node, pid: process.pid })

await serveCommands({
  async publish() {
    const users = [...USERS[node], ...(node === DOUBLE_SUBMIT_NODE ? ALL_USERS.filter((user) => user.id === DOUBLE_SUBMITTED) : [])]
    // No msgId: the double submission is two events, and the handler's idempotency keeps it to one mail.
    for (const user of users) await registered.publish(user)
    printLine({ type: 'published', node, users: users.map((user) => user.id) })
  },
  async finish() {
    const stored = node === OUTBOX_NODE ? { deadLetters: await registered.deadLetters.read(), outbox: await outbox.ask.snapshot() } : {}
    printLine({ type: 'stats', node, mailer: mailer.stats(), deadLetters: desk.stats(), ...stored })
    await system.shutdown()
    printLine({ type: 'stopped', node })
    process.exit(0)
  },
})
