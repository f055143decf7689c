// Writes the publishable `troupe` tarball: one package that carries @troupe/core inside it.
//
//   node scripts/release-pack.mjs [--out <dir>] [--no-build] [--check]
//
// - builds @troupe/core and troupe (unless --no-build);
// - stages troupe's compiled JS in dist/ and core's in dist/core/, rewriting the imports of
//   `@troupe/core` and `@troupe/core/internal` into relative paths, so the package has no
//   `@troupe/core` dependency and installs alone;
// - rolls the typings into dist/index.d.ts and dist/testkit/index.d.ts (the `troupe/testkit`
//   entry), which hold the public API and nothing else (internal classes, comlink's types and
//   core's internals never reach a user's program); what both entries declare (ActorSystem,
//   refs, errors) is in one shared file, so a type is the same type through either entry;
// - writes a manifest from packages/worker-host/package.json: no source export condition, no
//   workspace dependency, core's own dependencies merged in;
// - adds README.md and LICENSE, then runs `npm pack` into --out (default ./packed);
// - with --check, lints the tarball with publint and @arethetypeswrong/cli (both offline).
// Prints the tarball's absolute path as its last line.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { rollup } from 'rollup'
import { dts } from 'rollup-plugin-dts'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const outIndex = args.indexOf('--out')
const outDir = resolve(outIndex >= 0 ? args[outIndex + 1] : join(root, 'packed'))
const hostDir = join(root, 'packages/worker-host')
const coreDir = join(root, 'packages/core')

const run = (command, commandArgs, cwd = root) => execFileSync(command, commandArgs, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' })
const walk = (dir) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => join(dir, name))
const isJs = (file) => /\.m?js$/.test(file)

if (!args.includes('--no-build')) {
  run('pnpm', ['--filter', '@troupe/core', '--filter', 'troupe', 'run', 'build'])
}

const stage = mkdtempSync(join(tmpdir(), 'troupe-pack-'))
try {
  const dist = join(stage, 'dist')
  copyJs(join(hostDir, 'dist'), dist)
  copyJs(join(coreDir, 'dist'), join(dist, 'core'))
  for (const file of walk(dist).filter(isJs)) rewriteCoreImports(file, dist)
  await bundleTypings(dist)
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest(), null, 2)}\n`)
  cpSync(join(root, 'README.md'), join(stage, 'README.md'))
  cpSync(join(root, 'LICENSE'), join(stage, 'LICENSE'))

  mkdirSync(outDir, { recursive: true })
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', outDir], stage))
  const tarball = join(outDir, packed.filename)
  if (args.includes('--check')) check(tarball)
  console.log(tarball)
} finally {
  rmSync(stage, { recursive: true, force: true })
}

/** Compiled JS only: no source maps (they point at sources the package does not ship), no typings (rolled up below). */
function copyJs(from, to) {
  for (const file of walk(from).filter(isJs)) {
    const target = join(to, relative(from, file))
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'))
  }
}

/** `@troupe/core` and `@troupe/core/internal` become relative imports of the copy in dist/core. */
function rewriteCoreImports(file, dist) {
  const text = readFileSync(file, 'utf8')
  const rewritten = text.replace(/(['"])@troupe\/core(\/internal)?\1/g, (_, quote, internal) => {
    let path = relative(dirname(file), join(dist, 'core', internal ? 'internal.js' : 'index.js')).split(sep).join('/')
    if (!path.startsWith('.')) path = `./${path}`
    return `${quote}${path}${quote}`
  })
  if (/['"]@troupe\/core/.test(rewritten)) throw new Error(`${file}: an import of @troupe/core was left unrewritten`)
  if (rewritten !== text) writeFileSync(file, rewritten)
}

/** One declaration file per entry of the package, with core's public types inlined. */
async function bundleTypings(dist) {
  const warnings = []
  const bundle = await rollup({
    input: { index: join(hostDir, 'dist/index.d.ts'), 'testkit/index': join(hostDir, 'dist/testkit/index.d.ts') },
    external: (id) => id.startsWith('node:'),
    plugins: [
      {
        name: 'troupe-core',
        resolveId(id) {
          if (id === '@troupe/core') return join(coreDir, 'dist/index.d.ts')
          if (id === '@troupe/core/internal') return join(coreDir, 'dist/internal.d.ts')
          return null
        },
      },
      dts(),
    ],
    onwarn: (warning) => warnings.push(warning.message),
  })
  await bundle.write({ dir: dist, format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: 'shared-types.d.ts' })
  await bundle.close()
  if (warnings.length > 0) throw new Error(`rolling up the typings:\n${warnings.join('\n')}`)
}

/** The published manifest: troupe's own fields, core's dependencies, no workspace links, no source condition. */
function manifest() {
  const host = JSON.parse(readFileSync(join(hostDir, 'package.json'), 'utf8'))
  const core = JSON.parse(readFileSync(join(coreDir, 'package.json'), 'utf8'))
  const dependencies = { ...host.dependencies }
  delete dependencies['@troupe/core']
  for (const [name, version] of Object.entries(core.dependencies ?? {})) {
    if (dependencies[name] !== undefined && dependencies[name] !== version) {
      throw new Error(`@troupe/core wants ${name}@${version} and troupe ${name}@${dependencies[name]}: align them`)
    }
    dependencies[name] = version
  }
  for (const [name, version] of Object.entries(dependencies)) {
    if (String(version).startsWith('workspace:')) throw new Error(`dependency ${name} is a workspace link`)
  }
  const entry = { types: './dist/index.d.ts', default: './dist/index.js' }
  const testkit = { types: './dist/testkit/index.d.ts', default: './dist/testkit/index.js' }
  return {
    name: host.name,
    version: host.version,
    description: host.description,
    keywords: host.keywords,
    homepage: host.homepage,
    bugs: host.bugs,
    repository: host.repository,
    license: host.license,
    type: 'module',
    engines: host.engines,
    bin: host.bin,
    exports: { '.': entry, './testkit': testkit, './package.json': './package.json' },
    main: entry.default,
    types: entry.types,
    files: ['dist'],
    dependencies,
    peerDependencies: host.peerDependencies,
    peerDependenciesMeta: host.peerDependenciesMeta,
  }
}

/** publint and arethetypeswrong on the tarball itself, as a registry would serve it. Offline. */
function check(tarball) {
  const bin = (name) => join(root, 'node_modules/.bin', name)
  execFileSync(bin('publint'), ['run', tarball, '--strict'], { stdio: 'inherit' })
  // ESM only by design (Node >= 20.11): the profile leaves out `require` resolution.
  execFileSync(bin('attw'), [tarball, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'table-flipped'], { stdio: 'inherit' })
}
