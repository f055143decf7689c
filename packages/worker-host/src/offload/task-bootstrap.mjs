// Plain-JS module every offload pool thread loads (piscina's `filename`). Like the actor worker
// bootstrap: on Node 20, TypeScript task modules need tsx registered from inside the thread.
import { workerData } from 'node:worker_threads'

const { entry, useTsx } = workerData.troupeOffload
if (useTsx) {
  const { register } = await import('tsx/esm/api')
  register()
}
const { runTask } = await import(entry)
export default runTask
