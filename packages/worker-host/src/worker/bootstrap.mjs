// Plain-JS first module of every troupe worker. On Node 20, tsx cannot install its loader into
// a worker through execArgv, so when actor modules are TypeScript the worker registers tsx itself,
// then imports the real entry.
//
// A spare worker (`spare: true`, see system/spare-worker.ts) loads everything first, then waits
// on `parentPort` for the `WorkerInit` of the slot it takes over: a replacement that costs no
// thread start-up and no module loading.
import { parentPort, workerData } from 'node:worker_threads'

const { entry, useTsx, spare } = workerData.troupe
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
// An entry that exports `start` is troupe's (entry.ts); any other runs on import.
const main = await import(entry)
if (spare) {
  // Listening first: the init may already be queued (messages wait until a listener is attached).
  const init = new Promise((resolve) => parentPort.once('message', (message) => resolve(message.troupe)))
  // Loading ahead is an optimization only (a module that fails here fails again, and is reported,
  // when used), and does not hold up a takeover: `start` runs as soon as the init arrives.
  // Once loaded, it says so: main reports the spare as ready (`stats().spareWorker`).
  void Promise.resolve(main.preload?.())
    .catch(() => undefined)
    .then(() => parentPort.postMessage({ troupeSpareReady: true }))
  main.start(await init)
} else if (typeof main.start === 'function') {
  main.start(workerData.troupe)
}
