// The flags of `troupe bench`, parsed and checked; every mistake is a UsageError that names it.
import { DEFAULT_PAIRS } from './scaling.js'

export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export interface CliOptions {
  readonly module: string
  /** The export to run; undefined: `default`, or the module's only workload. */
  readonly exportName: string | undefined
  /** undefined: 1 .. maxWorkers. */
  readonly workers: readonly number[] | undefined
  readonly maxWorkers: number | undefined
  readonly pairs: number
  readonly warmupRounds: number
  readonly goal: number
  readonly out: string
  readonly timeoutMs: number
  readonly seed: number
  readonly progress: boolean
  readonly help: boolean
}

export const usage = `usage: troupe bench <workload-module> [options]

Runs the workload a module exports (made with defineWorkload) on 1..N workers, in paired rounds,
and prints the scaling table; writes <out>/<name>.json and <out>/<name>.svg.

options:
  --export <name>      the export to run (default: the default export, or the only workload)
  --workers <list>     worker counts, e.g. 1,2,4 (default: 1 .. the CPUs available)
  --max-workers <n>    worker counts 1 .. n
  --pairs <n>          timed rounds: pairs of each count with the smallest (default ${DEFAULT_PAIRS})
  --warmup <n>         untimed rounds first (default 1)
  --goal <x>           efficiency each count should reach, 1 = linear (default 0.85)
  --out <dir>          where the JSON and SVG go (default ./troupe-bench)
  --timeout <ms>       limit for one run: setup, both passes, checks (default 120000)
  --seed <n>           seed of the bootstrap intervals (default 1)
  --no-progress        no progress bar
  -h, --help           this text`

function integer(flag: string, text: string | undefined, min: number): number {
  if (text === undefined || text.startsWith('--')) throw new UsageError(`${flag} needs a value`)
  const value = Number(text)
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) throw new UsageError(`${flag} must be an integer >= ${min}, got "${text}"`)
  return value
}

function positive(flag: string, text: string | undefined): number {
  if (text === undefined || text.startsWith('--')) throw new UsageError(`${flag} needs a value`)
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} must be a positive number, got "${text}"`)
  return value
}

function workerList(text: string | undefined): number[] {
  if (text === undefined || text.startsWith('--')) throw new UsageError('--workers needs a list, e.g. 1,2,4')
  const counts = text.split(',').map((part) => integer('--workers', part.trim(), 1))
  if (new Set(counts).size !== counts.length) throw new UsageError(`--workers must not repeat a count, got "${text}"`)
  return counts.sort((a, b) => a - b)
}

export function parseCliOptions(argv: readonly string[]): CliOptions {
  let module: string | undefined
  let exportName: string | undefined
  let workers: number[] | undefined
  let maxWorkers: number | undefined
  let pairs = DEFAULT_PAIRS
  let warmupRounds = 1
  let goal = 0.85
  let out = 'troupe-bench'
  let timeoutMs = 120_000
  let seed = 1
  let progress = true
  let help = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined]
    const value = (): string | undefined => inline ?? argv[++i]
    switch (flag) {
      case '--export': {
        const name = value()
        if (name === undefined || name === '' || name.startsWith('--')) throw new UsageError('--export needs an export name')
        exportName = name
        break
      }
      case '--workers':
        workers = workerList(value())
        break
      case '--max-workers':
        maxWorkers = integer('--max-workers', value(), 1)
        break
      case '--pairs':
        pairs = integer('--pairs', value(), 1)
        break
      case '--warmup':
        warmupRounds = integer('--warmup', value(), 0)
        break
      case '--goal':
        goal = positive('--goal', value())
        break
      case '--out': {
        const dir = value()
        if (dir === undefined || dir === '' || dir.startsWith('--')) throw new UsageError('--out needs a directory')
        out = dir
        break
      }
      case '--timeout':
        timeoutMs = integer('--timeout', value(), 1)
        break
      case '--seed':
        seed = integer('--seed', value(), 0)
        break
      case '--no-progress':
        progress = false
        break
      case '-h':
      case '--help':
        help = true
        break
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`)
        if (module !== undefined) throw new UsageError(`one workload module at a time (got "${module}" and "${arg}")`)
        module = arg
    }
  }
  if (workers !== undefined && maxWorkers !== undefined) throw new UsageError('give --workers or --max-workers, not both')
  if (module === undefined && !help) throw new UsageError('missing the workload module (a file that exports defineWorkload(...))')
  return { module: module ?? '', exportName, workers, maxWorkers, pairs, warmupRounds, goal, out, timeoutMs, seed, progress, help }
}
