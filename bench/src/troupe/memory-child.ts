// The child process of memory.per-actor: measures idle actors in a fresh process, reports over IPC.
import { measureInThisProcess, type ChildReport } from './memory.js'

const [countArg, placementArg] = process.argv.slice(2)
const count = Number(countArg)
const placement = placementArg === 'main' ? 'main' : 'round-robin'

async function main(): Promise<void> {
  if (process.send === undefined) throw new Error('must run as a forked child (it reports over IPC)')
  let report: ChildReport
  try {
    if (!(Number.isInteger(count) && count > 0)) throw new Error(`bad actor count ${countArg}`)
    report = { ok: true, perActor: await measureInThisProcess(count, placement) }
  } catch (error) {
    report = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }
  }
  process.send(report, () => process.disconnect())
}

void main()
