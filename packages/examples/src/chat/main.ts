// `pnpm example chat`: chat rooms and users across workers, one order per room, history for late joiners.
import { runChat } from './run.js'

export async function main(log: (line: string) => void): Promise<boolean> {
  const result = await runChat({ log })
  return result.ok
}
