/**
 * OTP's restart intensity: a supervisor may restart at most `maxRestarts` times within any
 * `withinMs` window. The restart that would be one too many is refused, and the supervisor
 * gives up (stops its children and fails itself). Times come from the caller, so tests can
 * drive it without a clock.
 */
export class RestartIntensity {
  readonly #maxRestarts: number
  readonly #withinMs: number
  #restarts: number[] = []

  constructor(maxRestarts: number, withinMs: number) {
    this.#maxRestarts = maxRestarts
    this.#withinMs = withinMs
  }

  /** Records a restart at `now`; false when it exceeds the intensity (and is not recorded). */
  tryRestart(now: number): boolean {
    this.#restarts = this.#restarts.filter((at) => now - at < this.#withinMs)
    if (this.#restarts.length >= this.#maxRestarts) return false
    this.#restarts.push(now)
    return true
  }

  /** Restarts still counted in the window ending at `now`. */
  countAt(now: number): number {
    return this.#restarts.filter((at) => now - at < this.#withinMs).length
  }
}
