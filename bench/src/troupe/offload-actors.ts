// The actor side of offload.actor-cpu: the same CPU task, done by stateful actors on workers.
import { Actor } from 'troupe'
import { sumTask } from '../baselines/piscina-task.js'

export class Summer extends Actor {
  sum(n: number): number {
    return sumTask(n)
  }
}
