/** Stops issued together at most, so a parent of a million children does not hold a million asks. */
const MAX_STOPS_IN_FLIGHT = 1024

/**
 * Stops `children` (given in start order) in reverse start order, as OTP does, without a round
 * trip per child. Consecutive children on one thread that have no recorded children of their
 * own are stopped together: their stop messages leave in reverse start order on one link, so
 * their thread takes them up in that order (each after the messages already in its mailbox).
 * A child with a subtree, or on another thread than the one before it, waits until the
 * children before it have stopped, as before. The first failure is thrown once its group has
 * settled.
 *
 * `leafThread`: the thread of a child without recorded children, `undefined` for any other.
 */
export async function stopInReverse(children: readonly number[], stop: (id: number) => Promise<void>, leafThread: (id: number) => number | undefined): Promise<void> {
  let i = children.length - 1
  while (i >= 0) {
    const thread = leafThread(children[i]!)
    if (thread === undefined) {
      await stop(children[i--]!)
      continue
    }
    const group: Promise<void>[] = []
    while (i >= 0 && group.length < MAX_STOPS_IN_FLIGHT && leafThread(children[i]!) === thread) group.push(stop(children[i--]!))
    await Promise.all(group)
  }
}
