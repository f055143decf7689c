import { MessageChannel, MessagePort } from 'node:worker_threads'
import type { Link } from './link.js'
import { MessagePortLink } from './message-port-link.js'

/**
 * The two ends of a data channel between two threads. The system creates it (on the main
 * thread) and hands each end to the thread that uses it, transferring it if that is a worker;
 * there, `openThreadLink` turns the end into that thread's link to the other.
 */
export interface ThreadChannel {
  readonly port1: MessagePort
  readonly port2: MessagePort
}

/** Every data channel between threads is created here. */
export function createThreadChannel(): ThreadChannel {
  return new MessageChannel()
}

/**
 * One end of a data channel as a thread receives it: a port (real threads), or already a link
 * (the test kit's simulated threads, which share one thread and need no port).
 */
export type ChannelEnd = MessagePort | Link

/** The link over one end of a channel, on the thread that received that end. */
export function openThreadLink(end: ChannelEnd): Link {
  return end instanceof MessagePort ? new MessagePortLink(end) : end
}
