import { LogWriter } from '../store/index.js'
import { newInstanceId, type Beat, type Beating } from './beat.js'
import { exitWorker, spinForever } from './faults.js'

/**
 * The store's log writer, unchanged, plus what this example needs around it: an answer to the
 * heartbeat monitor, and the two faults the demonstration injects. A subclass in this folder
 * rather than a change to `store/`, which other examples share.
 */
export class KvLogWriter extends LogWriter implements Beating {
  readonly #instance = newInstanceId()

  beat(): Beat {
    const { liveKeys, logRecords, bytes } = this.stats()
    return { instance: this.#instance, thread: this.ctx.thread, detail: `${liveKeys} live keys, ${logRecords} records in ${bytes} bytes` }
  }

  /** Fault: process.exit(1) on the writer's worker. */
  crashWorker(): never {
    return exitWorker()
  }

  /** Fault: a handler stuck in a synchronous loop; the writer's worker stops answering. */
  hang(): never {
    return spinForever()
  }
}
