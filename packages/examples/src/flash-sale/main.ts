import { runFlashSale } from './run.js'

/**
 * The flash-sale example: the sale once undisturbed, then once more with the inventory's
 * worker killed mid-sale. Resolves true when both runs reconcile exactly.
 */
export async function main(log: (line: string) => void): Promise<boolean> {
  const calm = await runFlashSale({ killMidSale: false, log })
  log('')
  log('Same sale again, killing the inventory’s worker halfway through.')
  log('')
  const killed = await runFlashSale({ killMidSale: true, log })
  log('')
  log(`${calm.ok && killed.ok ? 'PASS' : 'FAIL'}: undisturbed run ${calm.ok ? 'reconciled' : 'FAILED'} in ${calm.seconds.toFixed(1)} s, run with a killed worker ${killed.ok ? 'reconciled' : 'FAILED'} in ${killed.seconds.toFixed(1)} s`)
  return calm.ok && killed.ok
}
