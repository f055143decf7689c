// `pnpm example cluster-tasks`: a distributed task queue over three node processes and NATS JetStream.
import { runClusterTasks } from './run.js'

export async function main(log: (line: string) => void): Promise<boolean> {
  const result = await runClusterTasks({ log })
  return result.ok
}
