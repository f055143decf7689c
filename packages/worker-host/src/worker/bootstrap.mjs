// Plain-JS first module of every troupe worker. On Node 20, tsx cannot install its loader into
// a worker through execArgv, so when actor modules are TypeScript the worker registers tsx itself,
// then imports the real entry.
import { workerData } from 'node:worker_threads'

const { entry, useTsx } = workerData.troupe
if (useTsx) {
  let tsx
  try {
    tsx = await import('tsx/esm/api')
  } catch (error) {
    // Say what to do, not just which import failed.
    throw new Error('troupe: TypeScript modules (.ts) need tsx in this project: npm install --save-dev tsx (or ship compiled .js)', { cause: error })
  }
  tsx.register()
}
await import(entry)
