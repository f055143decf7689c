// `node packages/examples/dist/example.js <name>` (or `pnpm example <name>`): runs one example.
import { existsSync } from 'node:fs'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Every example, in the order they are listed. Each lives in `./<name>/main.js`. */
const EXAMPLES = ['flash-sale', 'kv-store', 'order-pipeline', 'game-room', 'task-queue', 'chat', 'cluster-chat', 'cluster-tasks', 'cluster-pipeline', 'airdisplay', 'airdisplay-cluster'] as const

type ExampleName = (typeof EXAMPLES)[number]

/** The contract of every example's `main.ts`: resolves true when the example's own checks passed. */
type ExampleMain = (log: (line: string) => void) => Promise<boolean>

/** Wrong or missing argument, or an example not in this build. */
const USAGE_ERROR = 2

// `.js` in dist, `.ts` when run from sources: the examples sit next to this module.
const extension = extname(fileURLToPath(import.meta.url))
const mainUrl = (name: ExampleName): URL => new URL(`./${name}/main${extension}`, import.meta.url)

const isExampleName = (name: string): name is ExampleName => (EXAMPLES as readonly string[]).includes(name)

/** Examples whose module is present. Checked on the file system, so nothing is imported for it. */
function available(): ExampleName[] {
  return EXAMPLES.filter((name) => existsSync(mainUrl(name)))
}

function listing(): string {
  const present = available()
  const missing = EXAMPLES.filter((name) => !present.includes(name))
  const names = present.length === 0 ? '(none built)' : present.join(', ')
  return missing.length === 0 ? `examples: ${names}` : `examples: ${names} (not in this build: ${missing.join(', ')})`
}

/** Imports only the example asked for, so one example's missing or broken module cannot stop another. */
async function load(name: ExampleName): Promise<ExampleMain> {
  const module: unknown = await import(mainUrl(name).href)
  const main: unknown = typeof module === 'object' && module !== null && 'main' in module ? module.main : undefined
  if (typeof main !== 'function') throw new Error(`${name}/main${extension} does not export a function \`main(log)\``)
  return main as ExampleMain
}

async function run(argument: string | undefined): Promise<number> {
  if (argument === undefined || argument === '--help' || argument === '-h') {
    console.log('usage: pnpm example <name>   (or: node packages/examples/dist/example.js <name>)')
    console.log(listing())
    return argument === undefined ? USAGE_ERROR : 0
  }
  if (!isExampleName(argument)) {
    console.error(`unknown example "${argument}"; ${listing()}`)
    return USAGE_ERROR
  }
  if (!available().includes(argument)) {
    console.error(`example "${argument}" is not in this build (no ${fileURLToPath(mainUrl(argument))}); ${listing()}`)
    return USAGE_ERROR
  }
  const main = await load(argument)
  const passed = await main((line) => console.log(line))
  return passed ? 0 : 1
}

try {
  process.exitCode = await run(process.argv[2])
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error))
  process.exitCode = 1
}
