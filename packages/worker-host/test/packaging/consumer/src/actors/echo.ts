import { Actor } from 'troupe'

/** Found through a folder allow-list: TypeScript under tsx, compiled JS otherwise. */
export class Echo extends Actor {
  echo(text: string): string {
    return text
  }
}
