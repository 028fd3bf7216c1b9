// Pre-bundled copies of the ESM packages that are many small modules: TypeBox (about 680 modules,
// `typebox` is one file an export) and jose (46). Loading them one by one is a good part of a
// process's start: every module is resolved, read, compiled and linked on its own.
//
// Two users:
// - the production build (scripts/build.mjs) writes them into dist/vendor/ and points the compiled
//   server and CLI at them: a server starts about 0.25 s sooner (bench/results.md);
// - the test runner (scripts/test.mjs) bundles them once a run for the test files' processes
//   (used through scripts/test-bundle-hooks.mjs): those run under tsx, whose module hooks run in a
//   thread of their own in Node 20, so every module loaded costs a round trip between two threads
//   (2.0 s → 1.35 s to import src/app.ts and src/deps.ts).
//
// Bundled with esbuild, every export of a package in one build with `splitting`: the exports share
// their common chunks, so a process still holds one instance of each of the package's modules and
// its state, in a dozen files.

import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

export const BUNDLED_PACKAGES = ['typebox', 'jose']
const CONDITIONS = ['import', 'node', 'default']

/** The file an `exports` entry names for `import` in Node (undefined: none, or not a module). */
function importTarget(entry) {
  if (typeof entry === 'string') return /\.m?js$/.test(entry) ? entry : undefined
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return undefined
  for (const condition of CONDITIONS) {
    if (condition in entry) {
      const target = importTarget(entry[condition])
      if (target) return target
    }
  }
  return undefined
}

/**
 * Bundles each package of BUNDLED_PACKAGES (every entry of its `exports` without a wildcard)
 * into `outDir/<package>/`; returns { specifier: file URL } for the hooks (an empty object when
 * esbuild is missing: the processes then load the packages as installed).
 */
export async function bundlePackages(root, outDir) {
  const require = createRequire(path.join(root, 'package.json'))
  let esbuild
  try {
    esbuild = await import(pathToFileURL(require.resolve('esbuild')).href)
  } catch {
    return {}
  }
  const map = {}
  for (const name of BUNDLED_PACKAGES) {
    const packageDir = path.join(root, 'node_modules', name)
    const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'))
    const entryPoints = {}
    const specifiers = {}
    for (const [key, entry] of Object.entries(manifest.exports ?? {})) {
      const target = importTarget(entry)
      if (key.includes('*') || !target) continue
      const entryName = key === '.' ? 'index' : key.slice(2).replaceAll('/', '__')
      entryPoints[entryName] = path.join(packageDir, target)
      specifiers[key === '.' ? name : `${name}/${key.slice(2)}`] = entryName
    }
    const out = path.join(outDir, name)
    for (const license of ['LICENSE', 'LICENSE.md', 'license']) {
      // The packages' licences travel with their code (both MIT).
      const file = path.join(packageDir, license)
      if (fs.existsSync(file)) {
        fs.mkdirSync(out, { recursive: true })
        fs.copyFileSync(file, path.join(out, 'LICENSE'))
        break
      }
    }
    await esbuild.build({
      entryPoints,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      outdir: out,
      outExtension: { '.js': '.mjs' },
      logLevel: 'silent',
    })
    for (const [specifier, entryName] of Object.entries(specifiers)) {
      map[specifier] = pathToFileURL(path.join(out, `${entryName}.mjs`)).href
    }
  }
  return map
}
