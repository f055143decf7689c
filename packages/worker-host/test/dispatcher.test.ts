import { describe, expect, it } from 'vitest'
import { Dispatcher, type Runnable } from '../src/host/dispatcher.js'
import { MonitorBoard, NOW, BUSY } from '../src/monitor/monitor-board.js'

/** A cell with `pending` messages; each one it processes sends it one more, up to `selfSends`. */
class SelfSendingCell implements Runnable {
  scheduled = false
  runs = 0
  processed = 0

  constructor(
    private readonly dispatcher: Dispatcher,
    private pending: number,
    private selfSends: number,
  ) {}

  get runnable(): boolean {
    return this.pending > 0
  }

  get waiting(): number {
    return this.pending
  }

  run(budget: number): number {
    this.runs++
    let done = 0
    while (done < budget && this.pending > 0) {
      this.pending--
      done++
      if (this.selfSends > 0) {
        this.selfSends--
        this.pending++
        this.dispatcher.schedule(this) // what ActorCell.enqueue does for a self-tell
      }
    }
    this.processed += done
    return done
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('Dispatcher', () => {
  it('a cell that messages itself while running is queued once, not twice', async () => {
    const dispatcher = new Dispatcher(64)
    const cell = new SelfSendingCell(dispatcher, 1, 99)
    dispatcher.schedule(cell)
    await settle()
    expect(cell.processed).toBe(100)
    expect(cell.runs).toBe(2) // 64 + 36
    expect(dispatcher.processed).toBe(100)
  })

  it('cells scheduled during a turn join it: one turn, not one more per schedule', async () => {
    const dispatcher = new Dispatcher(64)
    const ran: string[] = []
    const idle = (name: string, onRun: () => void = () => undefined): Runnable => {
      let pending = 1
      return {
        scheduled: false,
        get runnable() {
          return pending > 0
        },
        get waiting() {
          return pending
        },
        run() {
          pending = 0
          ran.push(name)
          onRun()
          return 1
        },
      }
    }
    const b = idle('b')
    const c = idle('c')
    dispatcher.schedule(idle('a', () => {
      dispatcher.schedule(b)
      dispatcher.schedule(c)
    }))
    await settle()
    expect(ran).toEqual(['a', 'b', 'c'])
    expect(dispatcher.turns).toBe(1)
  })

  it('ready cells take turns of at most `throughput` messages', async () => {
    const dispatcher = new Dispatcher(10)
    const order: string[] = []
    const cell = (name: string, messages: number): Runnable => {
      let left = messages
      const runnable: Runnable = {
        scheduled: false,
        get runnable() {
          return left > 0
        },
        get waiting() {
          return left
        },
        run(budget) {
          const done = Math.min(budget, left)
          left -= done
          order.push(`${name}:${done}`)
          return done
        },
      }
      return runnable
    }
    dispatcher.schedule(cell('a', 25))
    dispatcher.schedule(cell('b', 12))
    await settle()
    expect(order).toEqual(['a:10', 'b:10', 'a:10', 'b:2', 'a:5'])
  })

  it('a turn ends once its time slice is spent and the next one starts after the event loop turned', async () => {
    // The board's clock is moved by hand (no ticker thread): each "handler" advances it 2 ms.
    const board = MonitorBoard.create(1)
    const dispatcher = new Dispatcher(64, { board, thread: 1, sliceMs: 5 })
    const turnsSeen: number[] = []
    let left = 10
    const slow: Runnable = {
      scheduled: false,
      get runnable() {
        return left > 0
      },
      get waiting() {
        return left
      },
      run(budget) {
        let done = 0
        while (done < budget && left > 0) {
          left--
          done++
          turnsSeen.push(dispatcher.turns)
          expect(Atomics.load(board.slots, BUSY)).toBe(1)
          board.slots[NOW] = board.slots[NOW]! + 2
          if (dispatcher.sliceOver()) break
        }
        return done
      },
    }
    const progressBefore = board.progress(1)
    dispatcher.schedule(slow)
    while (left > 0) await new Promise((resolve) => setImmediate(resolve))
    // 3 handlers per 5 ms slice (0→2→4→6): turns 1,1,1,2,2,2,3,3,3,4.
    expect(turnsSeen).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4])
    expect(Atomics.load(board.slots, BUSY)).toBe(0)
    // Each turn's end shows progress on the board: this is what the watchdog reads.
    expect(board.progress(1) - progressBefore).toBe(4)
    expect(dispatcher.processed).toBe(10)
  })

  it('without a board (no clock), turns end by message count only', async () => {
    const dispatcher = new Dispatcher(64)
    expect(dispatcher.sliceOver()).toBe(false)
  })
})

describe('load reports', () => {
  it('count the messages of the cells queued to run, whatever else the thread hosts', () => {
    const dispatcher = new Dispatcher(64)
    const a = new SelfSendingCell(dispatcher, 3, 0)
    const b = new SelfSendingCell(dispatcher, 5, 0)
    expect(dispatcher.queuedMessages()).toBe(0)
    dispatcher.schedule(a)
    dispatcher.schedule(b)
    expect(dispatcher.queuedMessages()).toBe(8)
  })
})
