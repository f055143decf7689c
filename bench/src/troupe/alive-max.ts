// actors.alive.max: how many idle actors one process holds at once with the default heap settings.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { BenchmarkDefinition, RunFigures } from '../harness.js'
import type { AliveMessage, AliveSizes, AliveStep } from './alive-max-protocol.js'

const id = 'actors.alive.max'
const rssId = 'actors.alive.max.rss'
const ALIVE_CHILD = new URL('./alive-max-child.js', import.meta.url)

/** Full: steps of 10^6 up to the 10^7 target. Quick: one step of 10^5, a smoke check of the path. */
export const aliveSizes: { readonly full: AliveSizes; readonly quick: AliveSizes } = {
  full: { step: 1_000_000, limit: 10_000_000 },
  quick: { step: 100_000, limit: 100_000 },
}
/** Ten full steps with GC pauses of multi-gigabyte heaps; a child past this is killed and its last step counts. */
const childTimeoutMs = 900_000

/** How far the child got: its last completed step (if any), and why it stopped. */
export interface AliveOutcome {
  readonly last: AliveStep | undefined
  readonly reason: string
}

const gigabytes = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(2)} GiB`

/**
 * Runs the steps in a fresh child process with Node's default flags (`execArgv: []`, so no heap
 * flag of this process is inherited) and collects its reports. Resolves whatever way the child
 * ends (limit, failed spawn, crashed worker, out-of-memory death, timeout): the outcome says how
 * far it got.
 */
export function runAliveChild(sizes: AliveSizes, log: (line: string) => void): Promise<AliveOutcome> {
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(ALIVE_CHILD), [String(sizes.step), String(sizes.limit)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    let last: AliveStep | undefined
    let reason: string | undefined
    const timer = setTimeout(() => {
      reason = `timed out after ${childTimeoutMs} ms`
      child.kill('SIGKILL')
    }, childTimeoutMs)
    child.on('message', (raw) => {
      const message = raw as AliveMessage
      if (message.type === 'end') reason ??= message.reason
      else {
        last = message
        log(`  ${id}: ${message.alive} alive, RSS ${gigabytes(message.rss)}, step took ${message.seconds.toFixed(2)} s`)
      }
    })
    child.on('error', (error) => (reason ??= `child process error: ${error.message}`))
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ last, reason: reason ?? `child exited with code ${code}${signal ? ` (${signal})` : ''} before saying why` })
    })
  })
}

/**
 * The figure: idle actors alive at the last completed step; its companion `actors.alive.max.rss`
 * is the process's RSS then, in bytes. A run in which no step completed fails.
 */
async function run(quick: boolean): Promise<RunFigures> {
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`)
  }
  const { last, reason } = await runAliveChild(quick ? aliveSizes.quick : aliveSizes.full, log)
  if (last === undefined) throw new Error(`${id}: no step completed: ${reason}`)
  log(`  ${id}: ${last.alive} idle actors alive at once, RSS ${gigabytes(last.rss)} (RSS / alive: ${Math.round(last.rss / last.alive)} B); stopped: ${reason}`)
  return { figure: last.alive, companions: { [rssId]: last.rss } }
}

/**
 * Its figure is a count that hardly varies between runs, and a full run takes minutes: three
 * timed rounds at most (enough for a verdict), and no warm-up round (each run is a fresh process).
 */
export const actorsAliveMax: BenchmarkDefinition = {
  id,
  unit: 'actors',
  companions: [{ id: rssId, unit: 'bytes' }],
  rounds: { timed: 3, warmup: 0 },
  run,
}
