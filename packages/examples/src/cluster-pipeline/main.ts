// `pnpm example cluster-pipeline`: walnats's "user registered → send email" over three node processes.
import { runClusterPipeline } from './run.js'

export async function main(log: (line: string) => void): Promise<boolean> {
  const result = await runClusterPipeline({ log })
  return result.ok
}
