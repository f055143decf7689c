// `pnpm example airdisplay`: banners as entities with durable state, expiry by reminder, a race for
// one banner that the actor model settles, and live updates over pub/sub and a websocket.
// The standing server for a browser is `serve.ts`.
import { runAirDisplay } from './run.js'

export async function main(log: (line: string) => void): Promise<boolean> {
  const result = await runAirDisplay({ log })
  return result.ok
}
