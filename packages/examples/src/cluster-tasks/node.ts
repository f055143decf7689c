// One node of cluster-tasks, run as its own process by the launcher (run.ts):
//   node node.js <nats url> <node name>
// It joins the cluster, registers the three durable handlers (one stream per priority) and
// prints JSON lines: ready, every attempt's start and end (a middleware), node-down events, and
// on node a the monitor's progress. Commands on stdin: `publish` (this node's producer publishes
// its jobs), `finish` (print the handlers' stats, shut down, exit).
import { ActorSystem, type ActorRef, type DurableHandler, type DurableMiddleware } from 'troupe'
import { serveCommands, waitForMember } from '../shared/cluster-node.js'
import { printLine } from '../shared/node-process.js'
import { CLUSTER_TASKS_ACTOR_MODULES } from './actor-modules.js'
import { Directory } from './directory.js'
import { jobsFor, PRIORITIES, type Priority, type TaskJob } from './jobs.js'
import { ACK_WAIT_MS, handlerName, JOB_TIMEOUT_MS, MAX_ATTEMPTS, MAX_JOBS, MONITOR_INTERVAL_MS, NODE_MAX_JOBS, NODE_SLOWNESS, NODES, RETRY_DELAY_MS, streamName, TALLY_NODE, type NodeName } from './settings.js'
import { TaskRunner } from './task-runner.js'
import { Tally } from './tally.js'

const [servers, nodeArgument] = process.argv.slice(2)
const node = nodeArgument as NodeName
if (!servers || !NODES.includes(node)) throw new Error(`usage: node node.js <nats url> <${NODES.join('|')}>`)

const system = await ActorSystem.start({
  // One worker thread per node: three nodes share a small machine here; on real machines, more.
  workers: 1,
  actors: CLUSTER_TASKS_ACTOR_MODULES,
  cluster: { servers, node },
})
system.events.subscribe((event) => {
  if (event.type === 'node-down' && !event.self) printLine({ type: 'node-down', node, down: event.node, reason: event.reason })
})

const total = NODES.length * jobsFor(node).length
let tally: ActorRef<Tally>
if (node === TALLY_NODE) {
  tally = await system.spawn(Tally, { name: 'tally', placement: 'main', args: [total] })
} else {
  await waitForMember(system, TALLY_NODE)
  const found = await system.lookup<Tally>('tally', { node: TALLY_NODE })
  if (!found) throw new Error(`no tally on node ${TALLY_NODE}`)
  tally = found
}
await system.spawn(Directory, { name: 'directory', placement: 'main', args: [{ node, slowness: NODE_SLOWNESS[node], tally }] })

// Jobs running on this node, over the three handlers: a middleware counts them, so the launcher
// can check the node budget from the outside too.
let running = 0
let peakRunning = 0
const attemptLog: DurableMiddleware<TaskJob> = {
  before(job) {
    running++
    peakRunning = Math.max(peakRunning, running)
    printLine({ type: 'started', node, id: job.event.id, priority: job.event.priority, attempt: job.attempt, at: Date.now(), running })
  },
  // Printed synchronously as the attempt is settled, before its ack or nak leaves the process
  // (NATS flushes in a later microtask): a node killed without printing this did not ack.
  after(job, outcome) {
    running--
    const failure = outcome.status === 'done' ? {} : { error: `${outcome.error.name}: ${outcome.error.message}` }
    const delay = outcome.status === 'retry' ? { delayMs: outcome.delayMs } : {}
    printLine({ type: 'settled', node, id: job.event.id, priority: job.event.priority, attempt: job.attempt, status: outcome.status, at: Date.now(), ...failure, ...delay })
  },
}

const handlers = new Map<Priority, DurableHandler>()
for (const priority of PRIORITIES) {
  const handler = await system.stream<TaskJob>(streamName(priority)).handle(TaskRunner, 'run', {
    name: handlerName(priority),
    priority,
    maxJobs: MAX_JOBS,
    nodeMaxJobs: NODE_MAX_JOBS,
    jobTimeoutMs: JOB_TIMEOUT_MS[priority],
    maxAttempts: MAX_ATTEMPTS,
    retryDelayMs: RETRY_DELAY_MS,
    ackWaitMs: ACK_WAIT_MS,
    middlewares: [attemptLog],
  })
  handlers.set(priority, handler)
}

// The monitor, on the tally's node: the tally's progress every interval, and once all is done.
let monitor: NodeJS.Timeout | undefined
if (node === TALLY_NODE) {
  monitor = setInterval(() => {
    tally.ask.snapshot().then(
      ({ applied, expected, byNode, duplicates }) => printLine({ type: 'progress', applied, expected, byNode, duplicates: duplicates.length }),
      () => undefined, // a missed sample; the next one comes
    )
  }, MONITOR_INTERVAL_MS)
  void tally.with({ timeoutMs: 120_000 }).ask.whenComplete().then((snapshot) => printLine({ type: 'complete', snapshot }))
}

printLine({ type: 'ready', node, pid: process.pid })

await serveCommands({
  async publish() {
    const jobs = jobsFor(node)
    for (const job of jobs) await system.stream<TaskJob>(streamName(job.priority)).publish(job, { msgId: job.id })
    printLine({ type: 'published', node, count: jobs.length })
  },
  async finish() {
    clearInterval(monitor)
    const stats = Object.fromEntries([...handlers].map(([priority, handler]) => [priority, handler.stats()]))
    const snapshot = node === TALLY_NODE ? await tally.ask.snapshot() : undefined
    printLine({ type: 'stats', node, handlers: stats, peakRunning, ...(snapshot ? { snapshot } : {}) })
    await system.shutdown()
    printLine({ type: 'stopped', node })
    process.exit(0)
  },
})
