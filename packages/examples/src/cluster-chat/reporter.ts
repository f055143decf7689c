import { Actor } from 'troupe'
import type { ChatMessage } from '../chat/types.js'
import { printLine } from './protocol.js'

/**
 * Prints, on its node's stdout, every message the node's users receive. It runs on the main thread
 * (`placement: 'main'`), the thread that owns the process's stdout, and users on any thread tell it
 * in order: one line per message, in the order each user received them.
 */
export class Reporter extends Actor {
  heard(user: string, message: ChatMessage, history: boolean): void {
    printLine({ heard: { user, from: message.from, n: message.clientSeq, seq: message.seq, history } })
  }
}
