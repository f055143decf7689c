// Parses the runner's flags: --quick and --only <id-prefix> (repeatable, or comma-separated).

export interface CliOptions {
  readonly quick: boolean
  /** Empty means "run everything". */
  readonly only: readonly string[]
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  let quick = false
  const only: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg === '--quick') {
      quick = true
    } else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length)
      if (value === undefined || value === '') throw new Error('--only needs an id prefix')
      only.push(...value.split(',').map((s) => s.trim()).filter((s) => s !== ''))
    } else {
      throw new Error(`unknown argument: ${arg} (expected --quick, --only <id-prefix>)`)
    }
  }
  return { quick, only }
}

export function isSelected(id: string, only: readonly string[]): boolean {
  return only.length === 0 || only.some((prefix) => id.startsWith(prefix))
}
