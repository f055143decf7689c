// `pnpm example game-room`: several game rooms at once, players on every worker.
import { runGameRoom } from './run.js'

export async function main(log: (line: string) => void): Promise<boolean> {
  const result = await runGameRoom({ log })
  return result.ok
}
