import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'

export interface Asset {
  readonly body: Buffer
  readonly contentType: string
}

const TYPES = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' } as const

/**
 * The page's files, next to this module in `page/` (copied to dist by the build), and uPlot's
 * from the installed `uplot` package: the page loads nothing from anywhere else. An explicit
 * list, so a request path is only ever a key, never a path on disk.
 */
const PAGE_FILES = ['index.html', 'app.js', 'charts.js', 'render.js', 'tree.js', 'style.css'] as const
const UPLOT_FILES = { '/uplot.js': 'uplot/dist/uPlot.iife.min.js', '/uplot.css': 'uplot/dist/uPlot.min.css' } as const

let loading: Promise<ReadonlyMap<string, Asset>> | undefined

/** Every asset by request path, read once per process (a few tens of kB). */
export function loadAssets(): Promise<ReadonlyMap<string, Asset>> {
  loading ??= readAll().catch((error: unknown) => {
    loading = undefined // a later dashboard may try again
    throw error
  })
  return loading
}

async function readAll(): Promise<ReadonlyMap<string, Asset>> {
  const require = createRequire(import.meta.url)
  const entries: [string, URL | string][] = [
    ...PAGE_FILES.map((file): [string, URL] => [file === 'index.html' ? '/' : `/${file}`, new URL(`./page/${file}`, import.meta.url)]),
    ...Object.entries(UPLOT_FILES).map(([path, id]): [string, string] => [path, require.resolve(id)]),
  ]
  const assets = await Promise.all(
    entries.map(async ([path, file]): Promise<[string, Asset]> => {
      const extension = String(file).slice(String(file).lastIndexOf('.') + 1) as keyof typeof TYPES
      return [path, { body: await readFile(file), contentType: TYPES[extension] }]
    }),
  )
  return new Map(assets)
}
