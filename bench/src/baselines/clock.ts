// A wall clock comparable across worker threads (each thread's performance.now() has its own origin).

export function absoluteNowMs(): number {
  return performance.timeOrigin + performance.now()
}
