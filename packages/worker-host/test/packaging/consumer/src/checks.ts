// What a user's program does with an installed troupe, checked by the packaging test: it must
// type-check under the strictest settings (with skipLibCheck off) and print the same line
// compiled and under tsx.
import { ActorSystem, OffloadTimeoutError, TaskNotFoundError, taskType, type PoolRouter } from 'troupe'
import { Echo } from './actors/echo.js'
import { Ledger } from './actors/ledger.js'

const tasks = new URL('./tasks.js', import.meta.url)
const square = taskType<typeof import('./tasks.js'), 'square'>(tasks, 'square')
const spin = taskType<typeof import('./tasks.js'), 'spin'>(tasks, 'spin')
// @ts-expect-error: a misspelled export name is a compile error
taskType<typeof import('./tasks.js'), 'sqare'>(tasks, 'sqare')
const misspelled = taskType<(n: number) => number>(tasks, 'sqare')

await using system = await ActorSystem.start({
  actors: [new URL('./actors/', import.meta.url)],
  threads: 2,
  offload: { tasks: [tasks], maxThreads: 1 },
})
const echo = await system.spawn(Echo)
const ledger = await system.spawn(Ledger)
const pool: PoolRouter<Echo> = await system.router(Echo, { strategy: 'round-robin', size: 2 })

ledger.tell({ type: 'add', amount: 2 })
ledger.tell({ type: 'add', amount: 3 })
const total: number = await ledger.ask({ type: 'total' })
const entries: readonly number[] = await ledger.ask({ type: 'entries' })
const describe = (error: unknown): string =>
  error instanceof OffloadTimeoutError ? `${error.code} ${error.exportName} ${error.timeoutMs}`
  : error instanceof TaskNotFoundError ? `${error.code} ${error.exportName}`
  : String(error)

console.log(JSON.stringify({
  echo: await echo.ask.echo('hi'),
  pool: await pool.ask.echo('routed'),
  total,
  entries,
  square: await system.offload(square, 7),
  missing: await system.offload(misspelled, 1).then(String, describe),
  timeout: await system.offload(spin, 10_000, { timeoutMs: 100 }).then(String, describe),
}))
