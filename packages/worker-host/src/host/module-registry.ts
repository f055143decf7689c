import { readdir } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { ActorNotAllowedError, isActorClass, SpawnError, type Actor } from '@troupe/core'
import { entityNameOf, isEntityClass, isModuleAllowed } from '@troupe/core/internal'
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
  /** Entity classes of the allow-listed modules by entity name; `null`: two classes claim the name. */
  #entities: Map<string, LoadedActorClass | null> | undefined
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
    refuseEntity(exported, href, exportName)
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

  /**
   * The entity class named `name` (see `entityNameOf`) among the allow-listed modules: only what
   * they export can be activated, as only what they export can be spawned. Undefined when none
   * is; an error when two different classes claim the name.
   */
  async entityClass(name: string): Promise<LoadedActorClass | undefined> {
    if (this.#entities === undefined) {
      this.#index ??= this.#buildIndex()
      const index = await this.#index
      if (this.#entities === undefined) {
        const entities = new Map<string, LoadedActorClass | null>()
        for (const actorClass of index.keys()) {
          if (!isEntityClass(actorClass)) continue
          const entityName = entityNameOf(actorClass)
          const known = entities.get(entityName)
          entities.set(entityName, known === undefined || (known as unknown) === actorClass ? (actorClass as unknown as LoadedActorClass) : null)
        }
        this.#entities = entities
      }
    }
    const found = this.#entities.get(name)
    if (found === null) throw new SpawnError('(several modules)', name, `two different entity classes of the allow-listed modules are named "${name}": give one a distinct \`static entityName\``)
    return found
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

/**
 * An entity is not spawned: it exists by its type and key, and is activated by its first message.
 * Spawned, it would run as a plain actor, with no key and no durable state.
 */
export function refuseEntity(actorClass: unknown, module: string, exportName: string): void {
  if (isEntityClass(actorClass)) throw new SpawnError(module, exportName, 'the class is an Entity: entities are not spawned; get a ref with system.entity(Type, key) or ctx.entity(Type, key), and its first message activates it')
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
