/** What one side of a pipeline counted: how many values, and their sum. Plain data, so it crosses threads. */
export interface StreamTotals {
  readonly count: number
  readonly sum: number
}

export const NO_TOTALS: StreamTotals = { count: 0, sum: 0 }

/** Sum of the sequence numbers 0..count-1: what a complete, loss-free stream must add up to. */
export function sumOfSequence(count: number): number {
  return (count * (count - 1)) / 2
}
