// Plain-JS module every offload pool thread loads (piscina's `filename`). Like the actor worker
// bootstrap: on Node 20, TypeScript task modules need tsx registered from inside the thread.
import { workerData } from 'node:worker_threads'

const { entry, useTsx } = workerData.troupeOffload
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
const { runTask } = await import(entry)
export default runTask
