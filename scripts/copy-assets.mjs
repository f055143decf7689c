// Copies the plain-JS files that tsc does not emit (the worker bootstrap) from src to dist.
import { cpSync, readdirSync, statSync, mkdirSync } from 'node:fs'
import { join, dirname } from 'node:path'

const [from, to] = process.argv.slice(2)
if (!from || !to) throw new Error('usage: copy-assets.mjs <src> <dist>')
const walk = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name)
  return statSync(path).isDirectory() ? walk(path) : [path]
})
for (const file of walk(from).filter((f) => f.endsWith('.mjs'))) {
  const target = join(to, file.slice(from.length))
  mkdirSync(dirname(target), { recursive: true })
  cpSync(file, target)
}
