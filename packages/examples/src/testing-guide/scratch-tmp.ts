import { Actor } from 'troupe'
export class Stubborn extends Actor {
  onStop(): Promise<void> { return new Promise(() => undefined) }
  ping(): string { return 'pong' }
}
