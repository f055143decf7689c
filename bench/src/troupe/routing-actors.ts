// The routee of routing.uneven.*: a stateless actor doing one uneven job per message.
import { Actor } from 'troupe'
import { spinJob } from './routing-task.js'

export class Spinner extends Actor {
  job(id: number, ms: number): number {
    return spinJob({ id, ms })
  }
}
