// The pool thread of baseline.poolifier.tasks: poolifier runs the task a ThreadWorker wraps, the
// same sumTask as baseline.piscina.tasks and offload.tasks.
import { ThreadWorker } from 'poolifier'
import { sumTask } from './piscina-task.js'

// poolifier types a task's input as optional; the benchmark always passes a number.
export default new ThreadWorker<number, number>((n) => sumTask(n as number))
