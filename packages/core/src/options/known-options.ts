import { InvalidOptionError } from '../errors/errors.js'

/**
 * Refuses keys an options object does not know: a typo (`askTimeout`) would otherwise be ignored
 * in silence, and the default used where the caller meant to set something.
 */
export function checkKnownOptions(options: object, known: readonly string[], prefix = ''): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new InvalidOptionError(`${prefix}${key}`, `one of the known options (${known.join(', ')})`, (options as Record<string, unknown>)[key])
  }
}
