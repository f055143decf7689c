// The offload task fixtures as the tests reference them: the allow-listed folder, and typed refs.
import { taskType } from '../../src/index.js'
import type { fail, fib, spin, sumBytes, where } from '../fixtures/tasks/math.js'

/** The folder of task modules, as `offload.tasks` allows it. */
export const TASKS = new URL('../fixtures/tasks/', import.meta.url)
/** The module of most task fixtures, for refs a test builds itself. */
export const math = new URL('../fixtures/tasks/math.ts', import.meta.url)
export const fibTask = taskType<typeof fib>(math, 'fib')
export const spinTask = taskType<typeof spin>(math, 'spin')
export const failTask = taskType<typeof fail>(math, 'fail')
export const whereTask = taskType<typeof where>(math, 'where')
export const sumTask = taskType<typeof sumBytes>(math, 'sumBytes')
