// Finds the workload in a user's module: imports it (TypeScript through tsx when it is installed)
// and picks the export, with errors that name the file and the export.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { isWorkload, validateWorkload, WorkloadDefinitionError } from './workload.js'
import type { Workload } from './workload.js'

export class WorkloadModuleError extends Error {
  override readonly name = 'WorkloadModuleError'
}

const typescript = /\.[cm]?tsx?$/

function codeOf(error: unknown): unknown {
  return error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined
}

/** Node 20 cannot import .ts by itself; tsx (an optional peer dependency) can, once registered. */
async function importModule(href: string, path: string): Promise<Record<string, unknown>> {
  try {
    return (await import(href)) as Record<string, unknown>
  } catch (error) {
    if (!(typescript.test(path) && codeOf(error) === 'ERR_UNKNOWN_FILE_EXTENSION')) throw error
  }
  try {
    const { register } = (await import('tsx/esm/api')) as { register: () => unknown }
    register()
  } catch {
    throw new WorkloadModuleError(`${path} is TypeScript: install tsx (npm i -D tsx) so troupe bench can load it, or compile it and pass the .js file`)
  }
  return (await import(href)) as Record<string, unknown>
}

/** The workload among a module's exports: `exportName`, else `default`, else the only workload export. */
export function pickWorkload(exports: Readonly<Record<string, unknown>>, path: string, exportName: string | undefined): Workload {
  const names = Object.keys(exports)
  const listed = names.length === 0 ? 'it has no exports' : `its exports: ${names.join(', ')}`
  let name = exportName
  if (name === undefined) {
    const workloads = names.filter((n) => isWorkload(exports[n]))
    if (isWorkload(exports.default)) name = 'default'
    else if (workloads.length === 1) name = workloads[0]
    else if (workloads.length > 1) throw new WorkloadModuleError(`${path} exports several workloads (${workloads.join(', ')}): pick one with --export <name>`)
    // A default export that is not (yet) a workload is checked below, so its error names the field.
    else if ('default' in exports) name = 'default'
    else throw new WorkloadModuleError(`${path} has no workload export: export default defineWorkload({ ... }) (${listed})`)
  }
  if (name === undefined || !(name in exports)) throw new WorkloadModuleError(`${path} has no export named "${exportName ?? 'default'}" (${listed})`)
  const candidate = exports[name]
  if (isWorkload(candidate)) return candidate
  try {
    return validateWorkload(candidate)
  } catch (error) {
    if (error instanceof WorkloadDefinitionError) throw new WorkloadModuleError(`${path}, export "${name}": ${error.message}`)
    throw error
  }
}

/** Imports `modulePath` (relative to `cwd`) and returns its workload. */
export async function loadWorkload(modulePath: string, exportName: string | undefined, cwd = process.cwd()): Promise<Workload> {
  const path = resolve(cwd, modulePath)
  if (!existsSync(path)) throw new WorkloadModuleError(`cannot find the workload module ${path}`)
  let exports: Record<string, unknown>
  try {
    exports = await importModule(pathToFileURL(path).href, path)
  } catch (error) {
    if (error instanceof WorkloadModuleError) throw error
    const message = error instanceof Error ? error.message : String(error)
    throw new WorkloadModuleError(`importing ${path} failed: ${message}`, { cause: error })
  }
  return pickWorkload(exports, path, exportName)
}
