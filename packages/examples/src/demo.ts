// `pnpm start`: streams across every core, a worker killed half way and brought back, and a
// ledger on the main thread that proves nothing was lost or counted twice.
import { runDemo } from './demo/run-demo.js'

// Eight seconds of streaming keeps `pnpm start` (build included) under half a minute on a
// 2-core machine; DEMO_SECONDS overrides it. The kill comes half way through.
const seconds = Number(process.env['DEMO_SECONDS'] ?? 8)
if (!(seconds > 0 && Number.isFinite(seconds))) {
  console.error(`DEMO_SECONDS must be a positive number of seconds, got ${process.env['DEMO_SECONDS']}`)
  process.exit(2)
}

// The live dashboard is served while the demo runs, on a free port unless DEMO_DASHBOARD_PORT names one.
const portSetting = process.env['DEMO_DASHBOARD_PORT'] ?? '0'
const dashboardPort = Number(portSetting)
if (!(/^\d{1,5}$/.test(portSetting) && dashboardPort <= 65_535)) {
  console.error(`DEMO_DASHBOARD_PORT must be a port number from 0 to 65535 (0 picks a free one), got ${portSetting}`)
  process.exit(2)
}

const result = await runDemo({ seconds, workers: 'auto', dashboardPort, log: (line) => console.log(line) })
process.exitCode = result.ok ? 0 : 1
