// `pnpm example order-pipeline`: orders through inventory, payment (with retries) and shipping.
import { runOrderPipeline } from './run.js'

export async function main(log: (line: string) => void): Promise<boolean> {
  const result = await runOrderPipeline({ log })
  return result.ok
}
