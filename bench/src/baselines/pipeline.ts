// Drives async calls with a fixed number in flight: each lane issues its next call when its previous one resolves.

/** Calls `call(i)` for i in 0..total-1 with at most `inFlight` outstanding at any time. */
export async function runPipelined(total: number, inFlight: number, call: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < total) await call(next++)
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, lane))
}

/** Throws unless a remote inc(n) came back as n + 1, so a broken transport cannot post a fast figure. */
export function checkInc(n: number, result: number): void {
  if (result !== n + 1) throw new Error(`inc(${n}) returned ${result}`)
}

/** Runs `calls` pipelined calls and returns calls per second. */
export async function pipelinedRate(calls: number, inFlight: number, call: (i: number) => Promise<void>): Promise<number> {
  const started = performance.now()
  await runPipelined(calls, inFlight, call)
  const seconds = (performance.now() - started) / 1000
  return calls / seconds
}

/** Sequential `inc(i)` calls, one in flight; returns each round trip in µs. */
export async function roundTripsUs(calls: number, inc: (n: number) => Promise<number>): Promise<number[]> {
  const samples: number[] = []
  for (let i = 0; i < calls; i++) {
    const started = performance.now()
    const result = await inc(i)
    samples.push((performance.now() - started) * 1000)
    checkInc(i, result)
  }
  return samples
}
