// The small message every baseline moves: { type: 'inc', n }.

export interface IncMessage {
  readonly type: 'inc'
  readonly n: number
}

export function incMessage(n: number): IncMessage {
  return { type: 'inc', n }
}

/** Sum of n over messages 0..count-1; receivers report their sum so a run proves every message arrived intact. */
export function expectedChecksum(count: number): number {
  return (count * (count - 1)) / 2
}
