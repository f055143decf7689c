import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * Module URLs that work the same from compiled JS and from TypeScript sources run by tsx.
 *
 * A program names its actor and task modules the way its own imports do: `./counter.js`, since
 * TypeScript (NodeNext) wants the `.js` of the compiled file. Under tsx the compiled file does
 * not exist, only `counter.ts`, and tsx's resolver maps one to the other for imports. These
 * URLs are not imports but data, so troupe applies the same rule itself: a `file:` URL ending
 * in `.js` (`.mjs`, `.cjs`) whose file is absent, but whose TypeScript sibling (`.ts`, `.tsx`;
 * `.mts`; `.cts`) exists, names that sibling. The rule only looks at files, never at which
 * loader is active, so the same program gets the same module on every thread.
 */
const SIBLINGS: Record<string, readonly string[]> = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] }
const JS_EXTENSION = /\.[cm]?js$/
const TYPESCRIPT_MODULE = /\.[cm]?tsx?$/
const NOT_A_MODULE = /\.d\.[cm]?ts$|\.test\.[cm]?[jt]sx?$/

const resolved = new Map<string, string>()

/** `href`, or its TypeScript sibling when `href` is a `file:` URL of an absent `.js` file. */
export function sourceModuleHref(href: string): string {
  let result = resolved.get(href)
  if (result === undefined) {
    result = findSource(href)
    resolved.set(href, result)
  }
  return result
}

function findSource(href: string): string {
  if (!href.startsWith('file:')) return href
  const url = new URL(href)
  const extension = JS_EXTENSION.exec(url.pathname)?.[0]
  if (extension === undefined) return href
  let path: string
  try {
    path = fileURLToPath(url)
  } catch {
    return href
  }
  if (existsSync(path)) return href
  for (const sibling of SIBLINGS[extension] ?? []) {
    const candidate = new URL(url)
    candidate.pathname = url.pathname.slice(0, -extension.length) + sibling
    if (existsSync(fileURLToPath(candidate))) return candidate.href
  }
  return href
}

/** True when a module URL names a TypeScript file. */
export function isTypeScriptModule(href: string): boolean {
  return TYPESCRIPT_MODULE.test(new URL(href).pathname)
}

/**
 * True when loading these allow-listed modules needs a TypeScript loader: a module file is
 * TypeScript, or an allow-listed `file:` folder (ending in `/`) holds a TypeScript module at
 * any depth (`node_modules`, `.d.ts` and tests aside). Expects hrefs already passed through
 * `sourceModuleHref`. Reads the folders once, when the system starts.
 */
export function needsTypeScript(allowList: readonly string[]): boolean {
  return allowList.some((href) => (href.endsWith('/') ? folderHoldsTypeScript(href) : isTypeScriptModule(href)))
}

function folderHoldsTypeScript(href: string): boolean {
  if (!href.startsWith('file:')) return false
  let names: string[]
  try {
    names = readdirSync(fileURLToPath(href), { recursive: true, encoding: 'utf8' })
  } catch {
    return false
  }
  return names.some((name) => TYPESCRIPT_MODULE.test(name) && !NOT_A_MODULE.test(name) && !name.split(/[\\/]/).includes('node_modules'))
}
