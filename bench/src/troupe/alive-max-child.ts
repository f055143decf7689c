// The child process of actors.alive.max: spawns idle actors in steps until something gives, and
// reports each step over IPC. A separate process, so a worker or heap that runs out of memory
// takes down this process at most, never the suite.
import { availableParallelism } from 'node:os'
import { ActorSystem } from 'troupe'
import type { AliveMessage } from './alive-max-protocol.js'
import { SPAWN_ACTORS, localSpawners, spawnLocally } from './idle-spawning.js'
import { hostedActors } from './system.js'

const [stepArg, limitArg] = process.argv.slice(2)
const step = Number(stepArg)
const limit = Number(limitArg)
/** Every core spawns: one worker and one spawner per core. */
const workers = Math.max(1, availableParallelism())

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error))

function send(message: AliveMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) throw new Error('must run as a forked child (it reports over IPC)')
    process.send(message, () => resolve())
  })
}

/** Steps until the limit or the first failure; returns why it stopped. */
async function stepUntilSomethingGives(): Promise<string> {
  if (!(Number.isInteger(step) && step > 0 && Number.isInteger(limit) && limit >= step)) return `bad sizes: step ${stepArg}, limit ${limitArg}`
  // Heap and worker limits stay at their defaults: what fits in them is the figure. The time
  // bounds are raised: a major GC of a heap with millions of actors can pause a worker for
  // seconds, and a step's ask waits for half a million spawns or more.
  const system = await ActorSystem.start({ workers, actors: SPAWN_ACTORS, askTimeoutMs: 600_000, handlerHangMs: 60_000 })
  let failed: (reason: string) => void = () => undefined
  const failure = new Promise<string>((resolve) => (failed = resolve))
  system.events.subscribe((event) => {
    if (event.type === 'worker-crashed') failed(`worker on thread ${event.thread} crashed: ${event.reason}`)
    if (event.type === 'actor-failed') failed(`actor#${event.actor} failed: ${event.error.message}`)
  })
  const spawners = await localSpawners(system)
  const base = await hostedActors(system)
  for (let alive = 0; alive < limit; ) {
    const count = Math.min(step, limit - alive)
    const started = performance.now()
    const outcome = await Promise.race([spawnLocally(spawners, count).then(() => undefined, (error: unknown) => `a spawn failed: ${describe(error)}`), failure])
    if (outcome !== undefined) return outcome
    const seconds = (performance.now() - started) / 1000
    const hosted = (await hostedActors(system)) - base
    if (hosted !== alive + count) return `after spawning ${alive + count} actors, the threads host ${hosted}`
    alive = hosted
    await send({ type: 'step', alive, rss: process.memoryUsage().rss, seconds })
  }
  return `reached the limit of ${limit}`
}

async function main(): Promise<void> {
  let reason: string
  try {
    reason = await stepUntilSomethingGives()
  } catch (error) {
    reason = `failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`
  }
  await send({ type: 'end', reason })
  // No shutdown: stopping millions of actors one by one takes long and measures nothing; the
  // workers end with the process.
  process.exit(0)
}

void main()
