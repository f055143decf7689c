// `pnpm example cluster-chat`: the chat across three node processes over NATS, with a node killed mid-conversation.
// `--raw` also prints every line the nodes print (JSON), for tests and the curious.
import { runClusterChat } from './launcher.js'

export async function main(log: (line: string) => void): Promise<boolean> {
  const result = await runClusterChat({ log, raw: process.argv.includes('--raw') })
  return result.ok
}
