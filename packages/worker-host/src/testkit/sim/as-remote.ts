import type * as Comlink from 'comlink'
import { SimLink } from './sim-link.js'

/**
 * An API called in-process as if over comlink: each call answers asynchronously, and its
 * arguments and result are copied (structured clone), as they would be between threads, so a
 * simulated thread never shares an object with another. Link ends pass as they are: they are
 * what a real call would transfer. `refuse` returns an error once the thread on the other side
 * is gone: its calls then reject, as a dead worker's would.
 */
export function asRemote<T extends object>(api: T, refuse: () => Error | undefined): Comlink.Remote<T> {
  const remote: Record<string, unknown> = {}
  for (const key of Object.keys(api) as (keyof T & string)[]) {
    const member = api[key]
    if (typeof member !== 'function') continue
    remote[key] = async (...args: unknown[]) => {
      const refused = refuse()
      if (refused) throw refused
      const result = await (member as (...a: unknown[]) => unknown).apply(api, args.map(copy))
      return copy(result)
    }
  }
  return remote as unknown as Comlink.Remote<T>
}

function copy(value: unknown): unknown {
  if (value === undefined || value === null || typeof value !== 'object' || value instanceof SimLink) return value
  return structuredClone(value)
}
