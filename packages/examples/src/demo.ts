// `pnpm start`: troupe streaming messages across every core for a few seconds, then checking them.
import { runDemo } from './demo/run-demo.js'

// Eight seconds of streaming keeps `pnpm start` (build included) well under half a minute on a
// 2-core machine; DEMO_SECONDS overrides it.
const seconds = Number(process.env['DEMO_SECONDS'] ?? 8)
if (!(seconds > 0 && Number.isFinite(seconds))) {
  console.error(`DEMO_SECONDS must be a positive number of seconds, got ${process.env['DEMO_SECONDS']}`)
  process.exit(2)
}

const result = await runDemo({ seconds, workers: 'auto', log: (line) => console.log(line) })
process.exitCode = result.ok ? 0 : 1
