import { InvalidOptionError } from '@troupe/core'
import { resolveListenOptions } from '../util/listen-options.js'

/** Options of `system.serveDashboard()`. */
export interface DashboardOptions {
  /** TCP port to listen on; 0 picks a free one (read it from the handle). Default 0. */
  readonly port?: number
  /**
   * Address to listen on. Default `'127.0.0.1'`: only this machine can open the page. Binding
   * another address exposes the system's figures to the network; set `token` then.
   */
  readonly host?: string
  /** How often the page's figures are sampled while at least one page is open, in ms. Default 1000. */
  readonly intervalMs?: number
  /**
   * How long one sample waits for a thread to answer, in ms; a thread that has not answered by
   * then (a hung worker) is shown as not answering, and the others are shown anyway. Default 500.
   */
  readonly sampleTimeoutMs?: number
  /** Most actors the supervision tree shows; the rest are counted in a "N more" note. Default 200. */
  readonly maxTreeNodes?: number
  /**
   * When set, the figures (`/events`, `/state.json`) are served only to requests that carry it,
   * as `?token=` or `Authorization: Bearer`. The handle's `url` includes it. At least 16
   * characters from `A-Z a-z 0-9 . _ ~ -`.
   */
  readonly token?: string
}

export interface ResolvedDashboardOptions {
  readonly port: number
  readonly host: string
  readonly intervalMs: number
  readonly sampleTimeoutMs: number
  readonly maxTreeNodes: number
  readonly token: string | undefined
}

const TOKEN = /^[A-Za-z0-9._~-]{16,256}$/

function integer(option: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value
  throw new InvalidOptionError(option, `an integer from ${min} to ${max}`, value)
}

/** Validates `serveDashboard`'s options, naming the offending one in an `InvalidOptionError`. */
export function resolveDashboardOptions(options: DashboardOptions | undefined): ResolvedDashboardOptions {
  const { port, host } = resolveListenOptions(options, ['intervalMs', 'sampleTimeoutMs', 'maxTreeNodes', 'token'])
  const { intervalMs, sampleTimeoutMs, maxTreeNodes, token } = options ?? {}
  if (token !== undefined && (typeof token !== 'string' || !TOKEN.test(token))) {
    // A token is a secret: the error says how long it was, never what it was.
    throw new InvalidOptionError('token', 'a string of 16 to 256 characters from A-Z a-z 0-9 . _ ~ -', typeof token === 'string' ? `${token.length} characters` : token)
  }
  return {
    port,
    host,
    intervalMs: integer('intervalMs', intervalMs, 1000, 100, 60_000),
    sampleTimeoutMs: integer('sampleTimeoutMs', sampleTimeoutMs, 500, 10, 60_000),
    maxTreeNodes: integer('maxTreeNodes', maxTreeNodes, 200, 1, 10_000),
    token,
  }
}
