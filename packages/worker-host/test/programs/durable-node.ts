// A cluster node with one durable handler (Idempotent.apply on stream 'kill-test'), for the test
// that SIGKILLs a node mid-job. Prints JSON lines: {"type":"ready"} once the handler runs, then
// {"type":"started","id","attempt"} as each job starts (a middleware's before hook).
import { ActorSystem } from '../../src/index.js'
import { Idempotent, type KillJob } from '../fixtures/durable-handlers.js'

const [servers, node, ackWaitMs] = process.argv.slice(2)
const print = (line: object) => process.stdout.write(JSON.stringify(line) + '\n')
const system = await ActorSystem.start({
  workers: 1,
  handlerHangMs: 10_000, // a loaded CI machine is not a hang (see test/helpers/system.ts)
  actors: [new URL('../fixtures/durable-handlers.ts', import.meta.url)],
  cluster: { servers: servers!, node: node! },
})
await system.stream<KillJob>('kill-test').handle(Idempotent, 'apply', {
  name: 'apply',
  maxJobs: 4,
  ackWaitMs: Number(ackWaitMs),
  pulse: true,
  middlewares: [{ before: (job) => print({ type: 'started', id: job.event.id, attempt: job.attempt }) }],
})
print({ type: 'ready', pid: process.pid })
