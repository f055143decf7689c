import { realpathSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { InvalidOptionError, SpawnError } from '@troupe/core'
import { isModuleAllowed } from '@troupe/core/internal'

/**
 * The program's entry module (the script `node` or `tsx` was started with) must never be
 * imported as an actor or task module. On a worker, importing it runs the whole program again:
 * it starts another actor system inside the worker, which spawns again, and so on, while the
 * first spawn never settles. On the main thread, a module whose top-level `await` is still
 * running (it awaits `spawn`) cannot be imported again: the import waits for itself, for ever.
 * So it is refused, with the way out: move the actor class into its own module.
 *
 * The entry is `process.argv[1]` on the main thread (under tsx too, where it is the `.ts` file),
 * and whatever the main thread said on a worker (whose own `argv[1]` is troupe's bootstrap).
 */
let entryPath: string | undefined | null = null // null: not looked up yet

/** The entry module's real path on this thread, if the program has one (not a REPL or `-e`). */
export function programEntryPath(): string | undefined {
  if (entryPath === null) entryPath = process.argv[1] === undefined ? undefined : realFile(resolve(process.argv[1]))
  return entryPath
}

/** A worker adopts the main thread's entry (its own `argv[1]` is the worker bootstrap). */
export function adoptProgramEntry(path: string | undefined): void {
  entryPath = path
}

const WHY = 'importing it again would run the whole program again on a worker (or wait for itself on the main thread), and spawn would never settle'
const FIX = 'move the actor class into its own module and allow-list that one'

/** Throws `SpawnError` when `href` is the program's entry module. */
export function refuseProgramEntry(href: string, exportName: string): void {
  if (isProgramEntry(href)) throw new SpawnError(href, exportName, `the module is the program's entry module: ${WHY}; ${FIX}`)
}

/** `ActorSystem.start`: an allow-list that names the entry module itself is refused at once. */
export function checkNoProgramEntry(option: string, hrefs: readonly string[]): void {
  hrefs.forEach((href, i) => {
    if (!href.endsWith('/') && isProgramEntry(href)) {
      throw new InvalidOptionError(`${option}[${i}]`, `a module other than the program's entry module (${WHY}); ${FIX}`, href)
    }
  })
}

/** A hint for "class not found" when the entry module sits in an allow-listed folder, and is skipped. */
export function programEntryHint(allowList: readonly string[]): string {
  const entry = programEntryPath()
  if (entry === undefined || !isModuleAllowed(allowList, pathToFileURL(entry).href)) return ''
  return `; if the class is defined in the program's entry module (${entry}), which is never loaded as an actor module, ${FIX}`
}

const checked = new Map<string, boolean>()

export function isProgramEntry(href: string): boolean {
  const entry = programEntryPath()
  if (entry === undefined || !href.startsWith('file:')) return false
  let found = checked.get(href)
  if (found === undefined) {
    found = modulePaths(href).some((path) => realFile(path) === entry)
    checked.set(href, found)
  }
  return found
}

/** The files a module URL may load: itself, and under tsx a `.js` specifier's TypeScript source. */
function modulePaths(href: string): string[] {
  let path: string
  try {
    path = fileURLToPath(href)
  } catch {
    return []
  }
  const ext = extname(path)
  const typescript = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] }[ext] ?? []
  return [path, ...typescript.map((other) => path.slice(0, -ext.length) + other)]
}

/** The real path of a file (symlinks resolved, as Node does for the entry), or undefined. */
function realFile(path: string): string | undefined {
  try {
    return realpathSync(path)
  } catch {
    return undefined
  }
}
