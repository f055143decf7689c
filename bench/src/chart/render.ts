// Draws a Vega-Lite spec as SVG in Node: vega-lite compiles it to Vega, vega renders it headless
// (renderer 'none' + toSVG needs no canvas package, no native code and no browser).
import { parse, View } from 'vega'
import type { Spec as VegaSpec } from 'vega'
import { compile } from 'vega-lite'
import type { TopLevelSpec } from 'vega-lite'

type Logger = NonNullable<NonNullable<Parameters<typeof compile>[1]>['logger']>

/** Routes vega-lite's and vega's errors and warnings to `onWarning`; drops info and debug. */
function warningLogger(onWarning: (message: string) => void): Logger {
  const report = (level: string, args: unknown[]): void => onWarning(`${level}: ${args.map(String).join(' ')}`)
  const logger: Logger = {
    level: () => logger,
    error: (...args) => (report('error', args), logger),
    warn: (...args) => (report('warning', args), logger),
    info: () => logger,
    debug: () => logger,
  }
  return logger
}

const toStderr = (message: string): void => {
  process.stderr.write(`chart ${message}\n`)
}

/** Compiles to a Vega spec; vega-lite's warnings (e.g. conflicting scales) go to `onWarning`. */
export function compileSpec(spec: TopLevelSpec, onWarning: (message: string) => void = toStderr): VegaSpec {
  return compile(spec, { logger: warningLogger(onWarning) }).spec
}

export async function renderSvg(spec: TopLevelSpec, onWarning: (message: string) => void = toStderr): Promise<string> {
  const logger = warningLogger(onWarning)
  const view = new View(parse(compileSpec(spec, onWarning)), { renderer: 'none', logger })
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}
