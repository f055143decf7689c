import type { SystemEvent } from 'troupe'

const WORKER_CRASHED = 'ERR_WORKER_CRASHED'

function codeOf(error: Error): unknown {
  return 'code' in error ? error.code : undefined
}

/**
 * One line per event worth showing while the demo runs: the worker's death and recovery, and
 * each actor brought back. `actor-failed` is shown only when it is not the worker's death
 * (that one is said once, by `worker-crashed`); starts and stops are routine.
 */
export function describeEvent(labels: ReadonlyMap<number, string>): (event: SystemEvent) => string | undefined {
  const name = (actor: number): string => labels.get(actor) ?? `actor#${actor}`
  return (event) => {
    switch (event.type) {
      case 'worker-crashed':
        return `event worker-crashed    worker ${event.thread}: ${event.reason}`
      case 'worker-hung':
        return `event worker-hung       worker ${event.thread}: silent for ${event.silentMs} ms`
      case 'worker-replaced':
        return `event worker-replaced   worker ${event.thread}: a fresh thread took its slot`
      case 'actor-restarted':
        return `event actor-restarted   ${name(event.actor)} on worker ${event.thread} (restart ${event.restarts})`
      case 'worker-recovered':
        return `event worker-recovered  worker ${event.thread}: ${event.actors} actors restarted`
      case 'actor-failed':
        return codeOf(event.error) === WORKER_CRASHED ? undefined : `event actor-failed      ${name(event.actor)}: ${event.error.message} (${event.directive})`
      case 'fatal':
        return `event fatal             ${event.error.message}`
      case 'actor-started':
      case 'actor-stopped':
        return undefined
    }
  }
}
