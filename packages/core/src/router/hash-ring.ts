import { encodeValue } from '../serialization/codec.js'

/** FNV-1a over a string's UTF-16 code units, then murmur3's finaliser so near-identical strings spread. */
function hashString(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return mix(hash)
}

function hashBytes(bytes: Uint8Array): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i]!
    hash = Math.imul(hash, 0x01000193)
  }
  return mix(hash)
}

function mix(hash: number): number {
  hash ^= hash >>> 16
  hash = Math.imul(hash, 0x85ebca6b)
  hash ^= hash >>> 13
  hash = Math.imul(hash, 0xc2b2ae35)
  hash ^= hash >>> 16
  return hash >>> 0
}

/**
 * The hash of a routing key. Primitives hash by their text (so `7` and `'7'` meet), anything
 * else by its msgpack encoding, which is the same for equal structures with the same key order.
 */
export function keyHash(key: unknown): number {
  switch (typeof key) {
    case 'string':
      return hashString(key)
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'undefined':
      return hashString(String(key))
    default:
      return key === null ? hashString('null') : hashBytes(encodeValue(key))
  }
}

/**
 * A consistent-hash ring: each member owns `virtualNodes` points, and a key belongs to the
 * member owning the first point at or after the key's hash. Points depend only on the member's
 * id, so adding or removing a member moves only the keys of that member's points.
 */
export class HashRing {
  #points = new Uint32Array(0)
  #owners: number[] = []

  constructor(readonly virtualNodes: number) {}

  /**
   * Rebuilds the ring. Each member's points come from its `label`: its name when it has one, so
   * a ring over named actors maps keys the same way in every run and after re-creation (ids
   * follow spawn order); otherwise its id.
   */
  reset(members: readonly { readonly id: number; readonly label: string }[]): void {
    const points: Array<[number, number]> = []
    for (const { id, label } of members) {
      for (let i = 0; i < this.virtualNodes; i++) points.push([hashString(`${label}:${i}`), id])
    }
    // Ties (astronomically rare) break by member id, so every ring over the same members agrees.
    points.sort((a, b) => a[0] - b[0] || a[1] - b[1])
    this.#points = Uint32Array.from(points, (point) => point[0])
    this.#owners = points.map((point) => point[1])
  }

  /** The member owning `hash`, or undefined when the ring is empty. */
  owner(hash: number): number | undefined {
    const points = this.#points
    if (points.length === 0) return undefined
    let low = 0
    let high = points.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (points[middle]! < hash) low = middle + 1
      else high = middle
    }
    return this.#owners[low === points.length ? 0 : low]
  }
}
