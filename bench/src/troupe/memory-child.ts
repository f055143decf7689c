// The child process of memory.per-actor: measures idle actors in a fresh process, reports over IPC.
import { measureInThisProcess, type ChildReport, type MemorySpawning } from './memory.js'

const spawnings: readonly MemorySpawning[] = ['local', 'round-robin', 'main']
const [countArg, spawningArg] = process.argv.slice(2)
const count = Number(countArg)
const spawning = spawnings.find((s) => s === spawningArg)

async function main(): Promise<void> {
  if (process.send === undefined) throw new Error('must run as a forked child (it reports over IPC)')
  let report: ChildReport
  try {
    if (!(Number.isInteger(count) && count > 0)) throw new Error(`bad actor count ${countArg}`)
    if (spawning === undefined) throw new Error(`bad spawning ${spawningArg}: one of ${spawnings.join(', ')}`)
    report = { ok: true, perActor: await measureInThisProcess(count, spawning) }
  } catch (error) {
    report = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }
  }
  process.send(report, () => process.disconnect())
}

void main()
