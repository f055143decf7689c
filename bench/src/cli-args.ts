// Parses the runner's flags: --quick, --only <id-prefix or ratio id> (repeatable, or
// comma-separated), --pairs <n>, --runs <n>, --pin <cpu list>.

export interface CliOptions {
  readonly quick: boolean
  /** Empty means "run everything". An entry equal to a ratio id selects that ratio's benchmarks. */
  readonly only: readonly string[]
  /** Timed rounds of the groups ratios read; undefined: the mode's default. */
  readonly pairs: number | undefined
  /** Timed runs of benchmarks in no ratio; undefined: the mode's default. */
  readonly runs: number | undefined
  /** CPUs to pin the whole run to (taskset's list syntax, e.g. "0" or "0,1"); undefined: not pinned. */
  readonly pin: string | undefined
}

const usage = 'expected --quick, --only <id-prefix|ratio id>, --pairs <n>, --runs <n>, --pin <cpu list>'

function count(flag: string, text: string | undefined): number {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < 1) throw new Error(`${flag} needs a positive integer, got ${text === undefined ? 'nothing' : `"${text}"`}`)
  return Number(text)
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  let quick = false
  const only: string[] = []
  let pairs: number | undefined
  let runs: number | undefined
  let pin: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    const eq = arg.indexOf('=')
    const [flag, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined]
    const value = (): string | undefined => inline ?? argv[++i]
    if (flag === '--quick') {
      quick = true
    } else if (flag === '--only') {
      const v = value()
      if (v === undefined || v === '') throw new Error('--only needs an id prefix')
      only.push(...v.split(',').map((s) => s.trim()).filter((s) => s !== ''))
    } else if (flag === '--pairs') {
      pairs = count('--pairs', value())
    } else if (flag === '--runs') {
      runs = count('--runs', value())
    } else if (flag === '--pin') {
      const v = value()
      if (v === undefined || !/^\d+([-,]\d+)*$/.test(v)) throw new Error(`--pin needs a CPU list such as 0 or 0,1 or 0-3, got ${v === undefined ? 'nothing' : `"${v}"`}`)
      pin = v
    } else {
      throw new Error(`unknown argument: ${arg} (${usage})`)
    }
  }
  return { quick, only, pairs, runs, pin }
}
