// The task of baseline.piscina.tasks, run by piscina's workers (this module's compiled .js is the pool's filename).

/** Terms summed per task: a trivial CPU-bound body, so the figure is the pool's per-task cost. */
export const taskTerms = 1000

/** sum of 0..taskTerms-1 (499 500), a constant every result is checked against. */
export const termsSum = (taskTerms * (taskTerms - 1)) / 2

/** Sums 0..999 in a loop and adds `n`, so every reply is tied to its request. */
export function sumTask(n: number): number {
  let sum = 0
  for (let i = 0; i < taskTerms; i++) sum += i
  return sum + n
}

/** Throws unless a task's reply is sumTask(n), so a broken pool cannot report a fast figure. */
export function checkSumTask(n: number, result: unknown): void {
  if (result !== termsSum + n) throw new Error(`task(${n}) returned ${String(result)}, expected ${termsSum + n}`)
}

export default sumTask
