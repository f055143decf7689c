// `pnpm example task-queue`: a master, a balancing pool of workers and a result aggregator.
import { runTaskQueue } from './run.js'

export async function main(log: (line: string) => void): Promise<boolean> {
  const result = await runTaskQueue({ log })
  return result.ok
}
