import { readdir } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { ActorNotAllowedError, isActorClass, SpawnError, type Actor } from '@troupe/core'
import { isModuleAllowed } from '@troupe/core/internal'
import { isProgramEntry, refuseProgramEntry } from './program-entry.js'

export type LoadedActorClass = new (...args: unknown[]) => Actor

/** Where a class comes from, in the form a worker can import. */
export interface ActorTypeLocation {
  readonly module: string
  readonly export: string
}

/**
 * Imports actor modules for one thread, enforcing the allow-list. Every host (workers and the
 * main thread) spawns through this, so there is one enforcement point and it cannot be skipped
 * by talking to a worker directly.
 */
export class ModuleRegistry {
  readonly #allowList: readonly string[]
  readonly #modules = new Map<string, Promise<Record<string, unknown>>>()
  #index: Promise<Map<unknown, ActorTypeLocation>> | undefined
  /** The index once built: a local spawn finds its class without waiting. */
  #built: Map<unknown, ActorTypeLocation> | undefined
  /** Classes loaded by module URL and export name, for the same reason. */
  readonly #loaded = new Map<string, LoadedActorClass>()

  constructor(allowList: readonly string[]) {
    this.#allowList = allowList
  }

  get allowList(): readonly string[] {
    return this.#allowList
  }

  async load(module: string, exportName: string): Promise<LoadedActorClass> {
    // Loaded (and so checked) before under this very URL: a spawn per message must not parse it again.
    const known = this.#loaded.get(`${module}#${exportName}`)
    if (known !== undefined) return known
    let href: string
    try {
      href = new URL(module).href
    } catch {
      throw new SpawnError(module, exportName, 'the module is not an absolute URL')
    }
    if (!isModuleAllowed(this.#allowList, href)) throw new ActorNotAllowedError(href, exportName)
    refuseProgramEntry(href, exportName)
    let namespace: Record<string, unknown>
    try {
      namespace = await this.#import(href)
    } catch (error) {
      throw new SpawnError(href, exportName, `the module cannot be imported (${error instanceof Error ? error.message : String(error)})`, { cause: error })
    }
    if (!(exportName in namespace)) throw new SpawnError(href, exportName, `the module has no export named "${exportName}"`)
    const exported = namespace[exportName]
    if (!isActorClass(exported)) throw new SpawnError(href, exportName, 'the export is not a class extending Actor')
    this.#loaded.set(`${href}#${exportName}`, exported as unknown as LoadedActorClass)
    return exported as unknown as LoadedActorClass
  }

  /** The class `load` returned for this module and export before, if it did. */
  loadedNow(module: string, exportName: string): LoadedActorClass | undefined {
    return this.#loaded.get(`${module}#${exportName}`)
  }

  /**
   * Where a class comes from, if the allow-listed modules have been indexed already; `null` if
   * they have and the class is not among them; `undefined` if that is not known yet.
   */
  locateNow(actorClass: unknown): ActorTypeLocation | null | undefined {
    if (this.#built === undefined) return undefined
    return this.#built.get(actorClass) ?? null
  }

  /**
   * Finds the module and export name of a class, among the allow-listed module files and the
   * module files inside allow-listed `file:` folders. Imports them on first use.
   */
  async locate(actorClass: unknown): Promise<ActorTypeLocation | undefined> {
    this.#index ??= this.#buildIndex()
    return (await this.#index).get(actorClass)
  }

  async #buildIndex(): Promise<Map<unknown, ActorTypeLocation>> {
    const index = new Map<unknown, ActorTypeLocation>()
    const files = [...this.#allowList.filter((entry) => !entry.endsWith('/')), ...(await modulesInFolders(this.#allowList))].filter((href) => !isProgramEntry(href))
    const namespaces = await Promise.all(files.map((href) => this.#import(href).catch(() => ({}))))
    namespaces.forEach((namespace, i) => {
      for (const [name, value] of Object.entries(namespace)) {
        if (isActorClass(value) && !index.has(value)) index.set(value, { module: files[i]!, export: name })
      }
    })
    this.#built = index
    return index
  }

  #import(href: string): Promise<Record<string, unknown>> {
    let namespace = this.#modules.get(href)
    if (!namespace) {
      namespace = import(href) as Promise<Record<string, unknown>>
      this.#modules.set(href, namespace)
      namespace.catch(() => this.#modules.delete(href))
    }
    return namespace
  }
}

const MODULE_FILE = /\.(?:m?js|m?ts)$/
const NOT_A_MODULE = /\.d\.m?ts$|\.test\.m?[jt]s$/

/**
 * The module files inside the allow-listed `file:` folders, at any depth (node_modules aside),
 * so that `spawn(Class)` finds classes exported there. A folder that cannot be read adds none.
 */
async function modulesInFolders(allowList: readonly string[]): Promise<string[]> {
  const found: string[] = []
  for (const entry of allowList) {
    if (!entry.endsWith('/') || !entry.startsWith('file:')) continue
    let names: string[]
    try {
      names = await readdir(fileURLToPath(entry), { recursive: true })
    } catch {
      continue
    }
    for (const name of names) {
      if (MODULE_FILE.test(name) && !NOT_A_MODULE.test(name) && !name.split(/[\\/]/).includes('node_modules')) {
        found.push(pathToFileURL(`${fileURLToPath(entry)}${name}`).href)
      }
    }
  }
  return found
}
