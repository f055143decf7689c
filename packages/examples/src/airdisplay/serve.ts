// The standing server, for a browser:
//   pnpm build && node packages/examples/dist/airdisplay/serve.js [--port 8080] [--host 127.0.0.1]
//     [--store ./airdisplay-data] [--banners 6] [--show-ms 60000] [--workers N]
// Prints "airdisplay listening on <url>" once it serves; Ctrl-C (SIGINT) or SIGTERM shuts it down
// gracefully, and a second Ctrl-C, no longer handled, ends it at once.
import { parseArgs } from 'node:util'
import { InvalidOptionError } from 'troupe'
import { startAirDisplay, type AirDisplay } from './server.js'
import type { AirDisplayOptions } from './options.js'

const USAGE = 'usage: serve.js [--port 8080] [--host 127.0.0.1] [--store ./airdisplay-data] [--banners 6] [--show-ms 60000] [--workers N]'
/** Wrong arguments, as for `example.js`. */
const USAGE_ERROR = 2

/** The flag that sets each option, to name it in an error. */
const FLAG_OF: Readonly<Record<string, string>> = { port: '--port', host: '--host', storePath: '--store', banners: '--banners', showMs: '--show-ms', workers: '--workers' }

/** A flag's value as a whole number; the error names the flag as the user typed it. */
function whole(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^[0-9]{1,10}$/.test(value)) throw new RangeError(`--${flag} must be a whole number, got ${JSON.stringify(value)}`)
  return Number(value)
}

function optionsFromArgs(args: string[]): AirDisplayOptions {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      store: { type: 'string' },
      banners: { type: 'string' },
      'show-ms': { type: 'string' },
      workers: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  })
  const options: Record<string, unknown> = {
    port: whole('port', values.port) ?? 8080,
    host: values.host,
    storePath: values.store,
    banners: whole('banners', values.banners),
    showMs: whole('show-ms', values['show-ms']),
    workers: whole('workers', values.workers),
    log: (line: string) => console.log(line),
  }
  // Unset flags take the server's defaults.
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as AirDisplayOptions
}

let options: AirDisplayOptions
try {
  options = optionsFromArgs(process.argv.slice(2))
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error))
  console.error(USAGE)
  process.exit(USAGE_ERROR)
}

let display: AirDisplay
try {
  display = await startAirDisplay(options)
} catch (error) {
  if (!(error instanceof InvalidOptionError)) throw error
  console.error(`${FLAG_OF[error.option] ?? error.option}: ${error.message}`)
  console.error(USAGE)
  process.exit(USAGE_ERROR)
}
console.log(`airdisplay listening on ${display.url} (store ${display.storePath}); Ctrl-C to stop`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`airdisplay: ${signal}, shutting down`)
    display.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      },
    )
  })
}
