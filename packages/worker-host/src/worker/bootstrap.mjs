// Plain-JS first module of every troupe worker. On Node 20, tsx cannot install its loader into
// a worker through execArgv, so when actor modules are TypeScript the worker registers tsx itself,
// then imports the real entry.
import { workerData } from 'node:worker_threads'

const { entry, useTsx } = workerData.troupe
if (useTsx) {
  const { register } = await import('tsx/esm/api')
  register()
}
await import(entry)
