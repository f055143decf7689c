// `pnpm example kv-store`: a sharded key-value store whose shards and log writers are killed and
// hung while clients write, and which still holds every acknowledged write, exactly.
import { runKvStore } from './run.js'

export async function main(log: (line: string) => void): Promise<boolean> {
  const result = await runKvStore({ log })
  return result.ok
}
