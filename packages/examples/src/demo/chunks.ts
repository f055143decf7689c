// Chunk arithmetic. Every value a pipeline streams is a function of (chunk, chunk size), so any
// chunk can be generated again after a crash, and its count and sum are known in closed form.

/** The first sequence number of `chunk`: chunk k holds k·size .. (k+1)·size − 1. */
export function firstOfChunk(chunk: number, size: number): number {
  return chunk * size
}

/** The chunk a sequence number belongs to. */
export function chunkOf(seq: number, size: number): number {
  return Math.floor(seq / size)
}

/** Sum of chunk k's values: size terms from k·size, so size · (2·k·size + size − 1) / 2. */
export function chunkSum(chunk: number, size: number): number {
  return (size * (2 * chunk * size + size - 1)) / 2
}
