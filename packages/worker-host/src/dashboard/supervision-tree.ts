import type { ActorRecord } from '../system/directory.js'
import type { TreeNode, TreeView } from './feed-types.js'

/** What the tree is built from: the main thread's directory, read only. */
export interface TreeSource {
  readonly size: number
  topLevel(): readonly number[]
  childrenOf(parent: number): readonly number[]
  get(id: number): ActorRecord | undefined
  onThread(thread: number): ActorRecord[]
  foreignParent(id: number): { readonly thread: number } | undefined
}

/**
 * Up to this many recorded actors, every record is scanned to find the children whose parent
 * lives in a worker's local tree (main has no list of them). Past it, the scan would cost the
 * main thread more than a page refresh is worth: only the tree under the top-level actors shows.
 */
const FULL_SCAN_LIMIT = 10_000

interface Building {
  readonly node: { -readonly [K in keyof TreeNode]: TreeNode[K] }
  readonly children: TreeNode[]
  /** Child ids still to visit, in start order. */
  readonly pending: readonly number[]
}

/**
 * The supervision tree as the main thread records it (top-level actors, and children the system
 * placed: any placement but `'local'`), breadth first so that the top levels show before any
 * deep branch, capped at `maxNodes` actors. Children spawned `'local'` (the default of
 * `ctx.spawn`) live in their thread's local tree and are not recorded on main: the page says so.
 */
export function buildTree(source: TreeSource, workers: number, maxNodes: number): TreeView {
  const roots: TreeNode[] = []
  const queue: Building[] = []
  let shown = 0
  const visit = (ids: readonly number[], into: TreeNode[]): number => {
    let hidden = 0
    for (const id of ids) {
      const record = source.get(id)
      if (!record) continue
      if (shown >= maxNodes) {
        hidden++
        continue
      }
      shown++
      const building = open(record, source.childrenOf(id))
      into.push(building.node)
      queue.push(building)
    }
    return hidden
  }
  visit(source.topLevel(), roots)
  for (const [parent, children] of localParents(source, workers)) {
    if (shown >= maxNodes) break // their children are counted in `recorded - shown` all the same
    const placeholder = open(undefined, children, parent, source.foreignParent(parent)?.thread)
    roots.push(placeholder.node)
    queue.push(placeholder)
  }
  for (let i = 0; i < queue.length; i++) {
    const building = queue[i]!
    building.node.hiddenChildren = visit(building.pending, building.children)
  }
  return { roots, recorded: source.size, shown }
}

function open(record: ActorRecord | undefined, pending: readonly number[], localId = 0, localThread?: number): Building {
  const children: TreeNode[] = []
  const node = record
    ? { id: record.id, name: record.name, type: record.blueprint.export, thread: record.thread, restarts: record.restarts, lost: record.lost, local: false, children, hiddenChildren: 0 }
    : { id: localId, name: undefined, type: undefined, thread: localThread, restarts: 0, lost: false, local: true, children, hiddenChildren: 0 }
  return { node, children, pending }
}

/** Recorded actors whose parent is not recorded (it lives in a worker's local tree), by parent. */
function localParents(source: TreeSource, workers: number): Map<number, number[]> {
  const byParent = new Map<number, number[]>()
  if (source.size > FULL_SCAN_LIMIT) return byParent
  for (let thread = 0; thread <= workers; thread++) {
    for (const record of source.onThread(thread)) {
      if (record.parent === 0 || source.get(record.parent)) continue
      const siblings = byParent.get(record.parent)
      if (siblings) siblings.push(record.id)
      else byParent.set(record.parent, [record.id])
    }
  }
  return byParent
}
