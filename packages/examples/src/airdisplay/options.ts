import { resolve } from 'node:path'
import { InvalidOptionError } from 'troupe'
import { SHOW_MS_MAX, SHOW_MS_MIN } from './banner.js'
import { MAX_FLEET } from './fleet.js'

/** How to start an AirDisplay server (`startAirDisplay`). Every field is optional. */
export interface AirDisplayOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number
  /** Interface to bind. Default `'127.0.0.1'`: this machine only. */
  readonly host?: string
  /** Banners in the fleet, `b-1`..`b-N`. Default 6. */
  readonly banners?: number
  /** How long a message shows, in ms. Default 60 000. */
  readonly showMs?: number
  /** The LMDB directory holding the banners and their reminders. Default `./airdisplay-data` under the working directory. */
  readonly storePath?: string
  /** Worker threads. Default: troupe's (the number of cores). */
  readonly workers?: number
  /** Where the server's own lines go (listening, feed clients). Default: nowhere. */
  readonly log?: (line: string) => void
  /**
   * Runs this server as one node of a cluster (see docs/cluster.md): the banners live in the NATS
   * store (bucket prefix `airdisplay`) instead of LMDB (`storePath` is then unused), sharded over
   * the nodes, and every node's page hears every banner. Checked by troupe, naming `cluster.<option>`.
   */
  readonly cluster?: AirDisplayCluster
}

/** The cluster an AirDisplay node joins. */
export interface AirDisplayCluster {
  readonly servers: string | readonly string[]
  readonly node: string
  readonly heartbeatMs?: number
  readonly downAfterMs?: number
}

export interface ResolvedOptions {
  readonly port: number
  readonly host: string
  readonly banners: number
  readonly showMs: number
  /** Absolute: resolved once, against the working directory at start. */
  readonly storePath: string
  readonly workers: number | undefined
  readonly log: (line: string) => void
  readonly cluster: AirDisplayCluster | undefined
}

export const DEFAULT_STORE_DIR = 'airdisplay-data'
const KNOWN = ['port', 'host', 'banners', 'showMs', 'storePath', 'workers', 'log', 'cluster']

const isInteger = (value: unknown, min: number, max: number): value is number => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max

/** Fills in the defaults and checks every option, throwing an `InvalidOptionError` that names the wrong one. */
export function resolveOptions(options: AirDisplayOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', `an object { ${KNOWN.join('?, ')}? }`, options)
  // A typo (`showMS`) would otherwise be ignored in silence, and the default used instead.
  for (const [key, value] of Object.entries(options)) {
    if (!KNOWN.includes(key)) throw new InvalidOptionError(key, `one of the known options (${KNOWN.join(', ')})`, value)
  }
  const { port = 0, host = '127.0.0.1', banners = 6, showMs = 60_000, storePath = DEFAULT_STORE_DIR, workers, log = () => undefined, cluster } = options
  if (!isInteger(port, 0, 65_535)) throw new InvalidOptionError('port', 'an integer from 0 to 65535 (0: a free port)', port)
  if (typeof host !== 'string' || host.length === 0 || /\s/.test(host)) throw new InvalidOptionError('host', 'a hostname or IP address', host)
  if (!isInteger(banners, 1, MAX_FLEET)) throw new InvalidOptionError('banners', `an integer from 1 to ${MAX_FLEET}`, banners)
  if (!isInteger(showMs, SHOW_MS_MIN, SHOW_MS_MAX)) throw new InvalidOptionError('showMs', `an integer of ms from ${SHOW_MS_MIN} to ${SHOW_MS_MAX}`, showMs)
  if (typeof storePath !== 'string' || storePath.length === 0) throw new InvalidOptionError('storePath', 'a directory path', storePath)
  if (workers !== undefined && !isInteger(workers, 1, 256)) throw new InvalidOptionError('workers', 'an integer from 1 to 256', workers)
  if (typeof log !== 'function') throw new InvalidOptionError('log', 'a function (line: string) => void', log)
  if (cluster !== undefined && (typeof cluster !== 'object' || cluster === null)) throw new InvalidOptionError('cluster', "an object { servers, node } (troupe checks its fields)", cluster)
  return { port, host, banners, showMs, storePath: resolve(storePath), workers, log, cluster }
}
