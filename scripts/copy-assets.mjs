// Copies the files that tsc does not emit from src to dist: the plain-JS `.mjs` modules (the
// worker bootstrap) and the dashboard's page (`dashboard/page/`: HTML, CSS and browser JS).
import { cpSync, readdirSync, statSync, mkdirSync } from 'node:fs'
import { join, dirname } from 'node:path'

const [from, to] = process.argv.slice(2)
if (!from || !to) throw new Error('usage: copy-assets.mjs <src> <dist>')
const walk = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name)
  return statSync(path).isDirectory() ? walk(path) : [path]
})
const isPageFile = (file) => /[\\/]dashboard[\\/]page[\\/][^\\/]+\.(html|css|js)$/.test(file)
for (const file of walk(from).filter((f) => f.endsWith('.mjs') || isPageFile(f))) {
  const target = join(to, file.slice(from.length))
  mkdirSync(dirname(target), { recursive: true })
  cpSync(file, target)
}
