import { Worker } from 'node:worker_threads'
import type { MonitorBoard } from './monitor-board.js'

/**
 * Starts the thread that keeps `board`'s clock. It is plain JavaScript started straight from
 * its file, so it costs one small isolate and no loader, and it never keeps the process alive.
 */
export function startTicker(board: MonitorBoard, tickMs = 1): Worker {
  const ticker = new Worker(new URL('./ticker.mjs', import.meta.url), {
    workerData: { buffer: board.buffer, tickMs },
    name: 'troupe-ticker',
    // A few hundred bytes of stack and heap are all it uses.
    resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1 },
  })
  ticker.unref()
  return ticker
}
