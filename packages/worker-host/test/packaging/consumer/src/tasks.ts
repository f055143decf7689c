export function square(n: number): number {
  return n * n
}

/** Blocks its thread for `ms`: a task that only a terminated thread stops. */
export function spin(ms: number): number {
  const until = Date.now() + ms
  while (Date.now() < until) {
    // busy on purpose
  }
  return ms
}
