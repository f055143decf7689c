// `pnpm example airdisplay-cluster`: the AirDisplay app on three node processes over NATS, its
// banners sharded over them, one node SIGKILLed mid-tour.
import { runAirDisplayCluster } from './run.js'

export async function main(log: (line: string) => void): Promise<boolean> {
  return (await runAirDisplayCluster({ log })).ok
}
